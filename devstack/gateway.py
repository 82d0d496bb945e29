"""The local API gateway: serves every row of functions/api/routes.py by invoking that row's
Lambda handler with an API Gateway REST proxy event, as API Gateway does in the cloud.

    python -m devstack.gateway [--host 127.0.0.1] [--port 8000]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from devstack import ports
from devstack.apigw import (
    allowed_methods,
    invoke,
    match,
    response_body,
    response_headers,
    rest_event,
)
from devstack.httpserver import DevServer
from devstack.redact import scrub


class GatewayHandler(BaseHTTPRequestHandler):
    server_version = "doctorlive-gateway"
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        url = urlsplit(self.path)
        method = self.command
        lookup = "GET" if method == "OPTIONS" else method
        route, params, path_exists = match(lookup, url.path)
        if method == "OPTIONS" and route is None and path_exists:
            route, params, _ = next(
                (match(m, url.path) for m in ("POST", "PUT", "DELETE", "PATCH") if match(m, url.path)[0]),
                (None, {}, True))
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else None
        if route is None:
            status = 405 if path_exists else 404
            code = "method_not_allowed" if path_exists else "not_found"
            headers = [("content-type", "application/json")]
            if path_exists:  # RFC 9110: a 405 names what the path does allow
                headers.append(("allow", ", ".join(allowed_methods(url.path))))
            self._reply(status, headers,
                        json.dumps({"error": {"code": code, "message": "No such route", "details": None}}).encode())
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        event = rest_event(route, method, url.path, path_params=params, query=url.query,
                           headers=headers, body=body, source_ip=self.client_address[0])
        try:
            result = invoke(route, event)
        except Exception as exc:  # noqa: BLE001 - like API Gateway: a crashed Lambda is a 502
            self.log_error("lambda %s failed: %r", route.module, exc)
            self._reply(502, [("content-type", "application/json")],
                        b'{"error": {"code": "bad_gateway", "message": "Internal server error", "details": null}}')
            return
        self._reply(int(result.get("statusCode", 502)), response_headers(result), response_body(result))

    def _reply(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in ("content-length", "connection"):
                self.send_header(k, v)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def __getattr__(self, name: str):
        # Every method reaches the route table, so TRACE, CONNECT, PROPFIND... get the JSON 404/405
        # the table implies, not http.server's 501 HTML page.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (malformed request line, header too long) in the error shape."""
        self.close_connection = True
        body = json.dumps({"error": {"code": "bad_request" if code < 500 else "gateway_error",
                                     "message": message or "Bad request", "details": None}}).encode()
        try:
            self.send_response(code, message)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.send_header("connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, fmt: str, *args) -> None:
        # Every line (access, errors, malformed requests) is scrubbed: no token in a path or query.
        if os.environ.get("GATEWAY_ACCESS_LOG", "1") != "0":
            sys.stderr.write(f"gateway: {self.address_string()} {scrub(fmt % args)}\n")


def serve(host: str, port: int) -> DevServer:
    return DevServer((host, port), GatewayHandler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.gateway")
    parser.add_argument("--host", default=os.environ.get("GATEWAY_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GATEWAY_PORT", ports.GATEWAY)))
    args = parser.parse_args(argv)
    server = serve(args.host, args.port)
    print(f"gateway: http://{args.host}:{args.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
