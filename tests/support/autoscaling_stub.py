"""A stand-in for Application Auto Scaling's API (LocalStack's free edition does not have it),
speaking its wire protocol as boto3's "application-autoscaling" client uses it: `POST /` with
`X-Amz-Target: AnyScaleFrontendService.<Operation>`, an AWS JSON 1.1 body, a SigV4
Authorization header, errors as `{"__type", "message"}` with HTTP 400.

Only what doctorlive.assistant.capacity calls: DescribeScalableTargets and
RegisterScalableTarget (registering a new target needs both bounds, updating one either; the
minimum may not exceed the maximum), on targets held in memory. `calls` records each request.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "AnyScaleFrontendService."


class AutoScalingStub:
    def __init__(self):
        self.targets: dict[tuple[str, str, str], dict] = {}
        self.calls: list[tuple[str, dict]] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                target = self.headers.get("X-Amz-Target", "")
                if not self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 "):
                    return self._send(400, {"__type": "MissingAuthenticationTokenException",
                                            "message": "Missing Authentication Token"})
                if not target.startswith(PREFIX):
                    return self._send(400, {"__type": "UnknownOperationException", "message": target})
                try:
                    self._send(200, stub.answer(target.removeprefix(PREFIX), body))
                except ValueError as exc:
                    self._send(400, {"__type": "ValidationException", "message": str(exc)})

            def _send(self, status: int, payload: dict):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, operation: str, body: dict) -> dict:
        with self._lock:
            self.calls.append((operation, body))
            if operation == "DescribeScalableTargets":
                ids = set(body.get("ResourceIds") or [])
                found = [t for (ns, rid, dim), t in self.targets.items()
                         if ns == body["ServiceNamespace"] and (not ids or rid in ids)
                         and dim == body.get("ScalableDimension", dim)]
                return {"ScalableTargets": found}
            if operation == "RegisterScalableTarget":
                key = (body["ServiceNamespace"], body["ResourceId"], body["ScalableDimension"])
                current = self.targets.get(key)
                if current is None and ("MinCapacity" not in body or "MaxCapacity" not in body):
                    raise ValueError("MinCapacity and MaxCapacity are required to register a new target")
                merged = {"ServiceNamespace": key[0], "ResourceId": key[1], "ScalableDimension": key[2],
                          "MinCapacity": body.get("MinCapacity", (current or {}).get("MinCapacity")),
                          "MaxCapacity": body.get("MaxCapacity", (current or {}).get("MaxCapacity"))}
                if merged["MinCapacity"] > merged["MaxCapacity"]:
                    raise ValueError("Minimum capacity cannot be greater than maximum capacity")
                self.targets[key] = merged
                return {"ScalableTargetARN": f"arn:aws:application-autoscaling:us-east-1:000000000000:"
                                             f"scalable-target/{abs(hash(key)):x}"}
            raise ValueError(f"operation {operation} is not in this stand-in")

    def start(self) -> AutoScalingStub:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
