"""API Gateway REST (v1) proxy events, built the way API Gateway builds them.

Used by the local gateway and by the tests, so both invoke Lambda handlers exactly as the
cloud does.
"""
from __future__ import annotations

import asyncio
import base64
import importlib
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from functions.api.routes import ROUTES, Route

_PARAM = re.compile(r"\{(\w+)\}")


def _compile(path: str) -> re.Pattern[str]:
    return re.compile("^" + _PARAM.sub(lambda m: f"(?P<{m.group(1)}>[^/]+)", path) + "$")


_MATCHERS = [(route, _compile(route.path)) for route in ROUTES]


def match(method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
    """(route, path parameters, path_exists) for a request."""
    path_exists = False
    for route, pattern in _MATCHERS:
        m = pattern.match(path)
        if m:
            path_exists = True
            if route.method == method or (method == "HEAD" and route.method == "GET"):
                return route, m.groupdict(), True
    return None, {}, path_exists


def allowed_methods(path: str) -> list[str]:
    """The methods a path answers (for a 405's `Allow`): its routes', HEAD with GET, OPTIONS."""
    methods = {route.method for route, pattern in _MATCHERS if pattern.match(path)}
    if "GET" in methods:
        methods.add("HEAD")
    if methods:
        methods.add("OPTIONS")
    return sorted(methods)


def rest_event(route: Route, method: str, path: str, *, path_params: dict[str, str] | None = None,
               query: str = "", headers: dict[str, str] | None = None, body: bytes | str | None = None,
               source_ip: str = "127.0.0.1", stage: str = "local") -> dict:
    headers = dict(headers or {})
    qs = parse_qs(query, keep_blank_values=True)
    is_b64 = False
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            body, is_b64 = base64.b64encode(body).decode("ascii"), True
    now = time.time()
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": method,
        "headers": headers or None,
        "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
        "queryStringParameters": {k: v[-1] for k, v in qs.items()} or None,
        "multiValueQueryStringParameters": qs or None,
        "pathParameters": path_params or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": route.path,
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "stage": stage,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(now * 1000),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "identity": {"sourceIp": source_ip, "userAgent": headers.get("user-agent", "")},
            "protocol": "HTTP/1.1",
            "accountId": "000000000000",
            "apiId": "local",
        },
        "body": body if body not in (None, "") else None,
        "isBase64Encoded": is_b64,
    }


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    timeout_ms: int = 29_000
    _start: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:000000000000:function:{self.function_name}"

    @property
    def function_version(self) -> str:
        return "$LATEST"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.timeout_ms - int((time.monotonic() - self._start) * 1000))


def response_body(result: dict) -> bytes:
    body = result.get("body") or ""
    return base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")


def response_headers(result: dict) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    multi = result.get("multiValueHeaders") or {}
    for k, values in multi.items():
        pairs.extend((k, str(v)) for v in values)
    for k, v in (result.get("headers") or {}).items():
        if k not in multi:
            pairs.append((k, str(v)))
    return pairs


_modules: dict[str, object] = {}
_import_lock = threading.Lock()


def invoke(route: Route, event: dict) -> dict:
    """Call the route's Lambda handler as the Lambda runtime would (one thread, one loop)."""
    with _import_lock:
        if route.module not in _modules:
            _modules[route.module] = importlib.import_module(f"functions.api.{route.module}")
    # Mangum runs the ASGI app on the thread's event loop: a Lambda's only thread has one,
    # the gateway's and the tests' worker threads get their own.
    try:
        asyncio.get_event_loop()
    except RuntimeError:
        asyncio.set_event_loop(asyncio.new_event_loop())
    return _modules[route.module].handler(event, LambdaContext(function_name=route.module))
