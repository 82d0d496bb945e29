"""A stand-in for a LiveKit server's signalling endpoint that only records who knocks.

Browsers connect to LiveKit with a WebSocket to `/rtc` (livekit-client 2.x: `/rtc/v1`, then
`/rtc` as a fallback) carrying the LiveKit token in the `access_token` query parameter, and on
failure ask `/rtc/validate` over HTTP, also with the token. This server records every such
request. WebSocket upgrades are accepted and then left silent (no join response), so the page
stays "connecting" for as long as the test needs; HTTP requests get a 503.
"""
from __future__ import annotations

import base64
import hashlib
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


@dataclass(frozen=True)
class Knock:
    path: str
    websocket: bool
    access_token: str | None
    origin: str | None


class RtcRecorder:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.knocks: list[Knock] = []
        self._lock = threading.Condition()
        self._sockets: list[socket.socket] = []
        self._closing = threading.Event()
        self._server = self._make_server(port)
        self.port = self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def start(self) -> RtcRecorder:
        threading.Thread(target=self._server.serve_forever, name="rtc-recorder", daemon=True).start()
        return self

    def stop(self) -> None:
        self._closing.set()
        for s in list(self._sockets):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.shutdown()
        self._server.server_close()

    def clear(self) -> None:
        with self._lock:
            self.knocks.clear()

    def wait_for(self, predicate, timeout: float = 20.0) -> list[Knock]:
        with self._lock:
            if not self._lock.wait_for(lambda: any(predicate(k) for k in self.knocks), timeout):
                raise TimeoutError(f"no matching connection within {timeout}s; saw {self.knocks}")
            return [k for k in self.knocks if predicate(k)]

    def _record(self, knock: Knock) -> None:
        with self._lock:
            self.knocks.append(knock)
            self._lock.notify_all()

    def _make_server(self, port: int) -> ThreadingHTTPServer:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def do_GET(self):
                url = urlsplit(self.path)
                token = (parse_qs(url.query).get("access_token") or [None])[0]
                upgrade = self.headers.get("upgrade", "").lower() == "websocket"
                recorder._record(Knock(url.path, upgrade, token, self.headers.get("origin")))
                if upgrade and url.path.startswith("/rtc"):
                    accept = base64.b64encode(hashlib.sha1(
                        (self.headers["sec-websocket-key"] + _WS_GUID).encode()).digest()).decode()
                    self.send_response(101, "Switching Protocols")
                    self.send_header("Upgrade", "websocket")
                    self.send_header("Connection", "Upgrade")
                    self.send_header("Sec-WebSocket-Accept", accept)
                    self.end_headers()
                    self.wfile.flush()
                    recorder._sockets.append(self.connection)
                    self.connection.settimeout(1.0)
                    while not recorder._closing.is_set():  # hold the line, say nothing
                        try:
                            if not self.connection.recv(4096):
                                break
                        except TimeoutError:
                            continue
                        except OSError:
                            break
                    self.close_connection = True
                    return
                body = b'{"error": "no LiveKit server here: a recorder for tests"}'
                self.send_response(503)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(body)

        server = ThreadingHTTPServer((self.host, port), Handler)
        server.daemon_threads = True
        return server
