"""A stand-in for the OpenAI embeddings API (POST /v1/embeddings), speaking its wire format,
for tests only: deterministic vectors from hashed words, and scripted failures (429, 500)."""
from __future__ import annotations

import hashlib
import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def hashed_vector(text: str, dims: int) -> list[float]:
    v = [0.0] * dims
    for word in text.lower().split():
        h = int(hashlib.sha256(word.encode()).hexdigest(), 16)
        v[h % dims] += 1.0 if (h >> 20) & 1 else -1.0
    norm = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / norm for x in v]


class OpenAIStub:
    def __init__(self, api_key: str = "sk-test"):
        self.api_key = api_key
        self.requests: list[dict] = []
        self.failures: list[tuple[int, dict]] = []  # queued (status, headers) to answer next
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                stub.requests.append({"path": self.path, "body": body,
                                      "auth": self.headers.get("authorization")})
                if self.headers.get("authorization") != f"Bearer {stub.api_key}":
                    return self._json(401, {"error": {"message": "Incorrect API key", "type": "invalid_request_error",
                                                      "code": "invalid_api_key"}})
                if stub.failures:
                    status, headers = stub.failures.pop(0)
                    return self._json(status, {"error": {"message": "scripted failure", "type": "server_error"}},
                                      headers)
                if self.path != "/v1/embeddings":
                    return self._json(404, {"error": {"message": "not found"}})
                inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                dims = body.get("dimensions", 1536)
                data = [{"object": "embedding", "index": i, "embedding": hashed_vector(t, dims)}
                        for i, t in enumerate(inputs)]
                self._json(200, {"object": "list", "data": data, "model": body["model"],
                                 "usage": {"prompt_tokens": sum(len(t.split()) for t in inputs),
                                           "total_tokens": sum(len(t.split()) for t in inputs)}})

            def _json(self, status, payload, headers=None):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
