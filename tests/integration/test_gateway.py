"""The local gateway serves every row of the route table over real HTTP."""
from __future__ import annotations

import threading

import httpx
import pytest

from devstack.gateway import serve
from functions.api.routes import ROUTES


@pytest.fixture(scope="module")
def gateway(database):
    server = serve("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_health_and_login_over_http(gateway):
    with httpx.Client(base_url=gateway) as client:
        assert client.get("/health").json() == {"status": "ok", "database": "ok"}
        reply = client.post("/api/v1/auth/login",
                            json={"email": "admin@clinica.local", "password": "doctorlive-dev"})
        assert reply.status_code == 200
        me = client.get("/api/v1/auth/me",
                        headers={"authorization": f"Bearer {reply.json()['access_token']}"})
        assert me.json()["email"] == "admin@clinica.local"


def test_unknown_paths_and_methods_get_the_error_shape(gateway):
    with httpx.Client(base_url=gateway) as client:
        missing = client.get("/api/v1/nothing-here")
        wrong_method = client.delete("/api/v1/auth/login")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_cors_preflight_is_answered(gateway):
    reply = httpx.options(f"{gateway}/api/v1/auth/login", headers={
        "origin": "http://127.0.0.1:5173", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] in ("*", "http://127.0.0.1:5173")


def test_openapi_document_covers_every_route(gateway):
    from openapi_spec_validator import validate

    spec = httpx.get(f"{gateway}/openapi.json").json()
    validate(spec)
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    expected = {(r.method, r.path) for r in ROUTES if r.module != "openapi"}
    assert documented == expected
    login = spec["paths"]["/api/v1/auth/login"]["post"]
    assert {"401", "422", "429"} <= set(login["responses"])
    assert spec["paths"]["/api/v1/auth/me"]["get"]["security"] == [{"bearer": []}]


def test_a_hundred_simultaneous_connections_all_get_answers(gateway):
    """As a browser opening a page plus the admin site's parallel calls on a busy machine: no
    connection is refused, reset or left unanswered (http.server's backlog of 5 dropped some)."""
    import socket
    from urllib.parse import urlsplit

    port = urlsplit(gateway).port
    clients = 100
    barrier = threading.Barrier(clients)
    answers: list[str] = [""] * clients

    def one(i: int) -> None:
        barrier.wait()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
                s.sendall(b"GET /api/v1/nothing-here HTTP/1.1\r\nhost: gateway\r\nconnection: close\r\n\r\n")
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
            answers[i] = data.split(b"\r\n", 1)[0].decode()
        except OSError as exc:
            answers[i] = repr(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = [a for a in answers if a != "HTTP/1.1 404 Not Found"]
    assert not failed, f"{len(failed)} of {clients} connections failed: {sorted(set(failed))}"


def test_the_access_log_never_shows_a_token(gateway, capfd, monkeypatch, tmp_path):
    """Issue 11 item 7: links sent before the change still put tokens in paths and queries; the
    local gateway's (and the static sites') access logs show `…redacted` in their place."""
    import secrets
    import socket
    import uuid
    from urllib.parse import urlsplit

    from devstack.sites import StaticSite

    monkeypatch.setenv("GATEWAY_ACCESS_LOG", "1")
    monkeypatch.setenv("SITES_ACCESS_LOG", "1")
    token, jwt_like = secrets.token_urlsafe(32), "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWhlcmU"
    room = uuid.uuid4()
    (tmp_path / "index.html").write_text("<!doctype html><title>room</title>")
    site = StaticSite(tmp_path, {"apiUrl": gateway}).start()
    try:
        with httpx.Client(base_url=gateway) as client:
            client.get(f"/api/v1/magic-link/{token}")  # the old route: a 404 now, but still logged
            client.post("/api/v1/magic-link/preview", json={"token": token})
            client.get(f"/api/v1/auth/set-password?lang=pt&token={token}")
            client.get(f"/api/v1/rooms/{room}", headers={"authorization": f"Bearer {jwt_like}"})
            client.get(f"/api/v1/x/{jwt_like}?access_token={jwt_like}")
        httpx.get(f"{site.url}/join?token={token}")
        host, port = urlsplit(gateway).hostname, urlsplit(gateway).port
        with socket.create_connection((host, port), timeout=5) as raw:  # a malformed request line
            raw.sendall(f"GET /join?token={token} HTTP/9.9 junk\r\n\r\n".encode())
            raw.recv(4096)
    finally:
        site.stop()
    err = capfd.readouterr().err
    assert token not in err and jwt_like not in err
    assert "/api/v1/magic-link/…redacted" in err
    assert "/api/v1/auth/set-password?lang=pt&token=…redacted" in err
    assert "access_token=…redacted" in err and "/api/v1/x/…redacted" in err
    assert "site:" in err and "/join?token=…redacted" in err
    assert f"/api/v1/rooms/{room}" in err  # ids stay readable: they are not secrets
