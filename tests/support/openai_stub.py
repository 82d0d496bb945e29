"""A stand-in for the OpenAI API, speaking its wire format, for tests and the benchmark only:
- POST /v1/embeddings: deterministic vectors from hashed words;
- POST /v1/chat/completions: scripted replies (`replies`), streamed as server-sent events with a
  final usage chunk when asked to stream (as livekit-plugins-openai does), or one JSON body;
- POST /v1/audio/transcriptions: scripted texts (`transcripts`) for multipart uploads;
plus scripted failures (429, 500), a scripted latency before the next answer (`delays`) and, for
the benchmark, a latency profile replayed on every request (`latency` per path before the first
byte, `token_interval` between streamed chat tokens) and real vectors (`embedder`) and texts (`transcriber`)."""
from __future__ import annotations

import hashlib
import json
import math
import threading
import time
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
        self.replies: list[str] = []      # chat completions, in order (default: an echo)
        self.transcripts: list[str] = []  # audio transcriptions, in order
        self.delays: list[float] = []     # seconds before answering the next request (latency replay)
        self.usage: list[dict] = []       # what each chat completion reported as usage
        self.latency: dict[str, float] = {}  # path -> seconds before answering, every request
        self.token_interval = 0.0         # seconds between streamed chat tokens
        self.default_reply = "OK."        # the chat reply when `replies` is empty
        self.embedder = None              # texts -> vectors (default: hashed words)
        self.transcriber = None           # uploaded body -> text (default: `transcripts` in order)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["content-length"]))
                is_json = self.headers.get("content-type", "").startswith("application/json")
                body = json.loads(raw) if is_json else {"bytes": len(raw)}
                stub.requests.append({"path": self.path, "body": body,
                                      "auth": self.headers.get("authorization")})
                if stub.delays:
                    time.sleep(stub.delays.pop(0))
                if stub.latency.get(self.path):
                    time.sleep(stub.latency[self.path])
                if self.headers.get("authorization") != f"Bearer {stub.api_key}":
                    return self._json(401, {"error": {"message": "Incorrect API key", "type": "invalid_request_error",
                                                      "code": "invalid_api_key"}})
                if stub.failures:
                    status, headers = stub.failures.pop(0)
                    return self._json(status, {"error": {"message": "scripted failure", "type": "server_error"}},
                                      headers)
                if self.path == "/v1/chat/completions":
                    return self._chat(body)
                if self.path == "/v1/audio/transcriptions":
                    if stub.transcriber is not None:
                        text = stub.transcriber(raw)
                    else:
                        text = stub.transcripts.pop(0) if stub.transcripts else ""
                    return self._json(200, {"text": text})
                if self.path != "/v1/embeddings":
                    return self._json(404, {"error": {"message": "not found"}})
                inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                dims = body.get("dimensions", 1536)
                vectors = (stub.embedder(inputs) if stub.embedder is not None
                           else [hashed_vector(t, dims) for t in inputs])
                data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
                self._json(200, {"object": "list", "data": data, "model": body["model"],
                                 "usage": {"prompt_tokens": sum(len(t.split()) for t in inputs),
                                           "total_tokens": sum(len(t.split()) for t in inputs)}})

            def _chat(self, body):
                prompt = sum(len(str(m.get("content", "")).split()) for m in body["messages"]) * 4 // 3 + 7
                text = stub.replies.pop(0) if stub.replies else stub.default_reply
                usage = {"prompt_tokens": prompt, "completion_tokens": len(text.split()) + 1,
                         "total_tokens": prompt + len(text.split()) + 1,
                         "prompt_tokens_details": {"cached_tokens": 0}}
                stub.usage.append(usage)
                created, cid = int(time.time()), f"chatcmpl-{len(stub.usage)}"
                if not body.get("stream"):
                    return self._json(200, {"id": cid, "object": "chat.completion", "created": created,
                                            "model": body["model"], "usage": usage, "choices": [{
                                                "index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": text}}]})
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()

                def event(payload):
                    self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
                    self.wfile.flush()
                base = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": body["model"]}
                words = text.split(" ")
                for i, word in enumerate(words):
                    if i and stub.token_interval:
                        time.sleep(stub.token_interval)
                    delta = {"content": word + (" " if i < len(words) - 1 else "")}
                    if i == 0:
                        delta["role"] = "assistant"
                    event({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
                event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                if (body.get("stream_options") or {}).get("include_usage"):
                    event({**base, "choices": [], "usage": usage})
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

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
