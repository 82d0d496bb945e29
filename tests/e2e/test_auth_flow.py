"""The deployed API answers like the local gateway: health, login, refresh, me, lockout, and
the OpenAPI document (whose function carries every route module)."""
from __future__ import annotations

import base64
import json
import uuid


def jwt_header(token: str) -> dict:
    head = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))


def test_health_reaches_the_database(api):
    reply = api.get("/health")
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"status": "ok", "database": "ok"}


def test_login_returns_an_rs256_token_pair(login):
    body = login()
    assert jwt_header(body["access_token"])["alg"] == "RS256"
    assert body["refresh_token"] and body["token_type"] == "Bearer"
    assert body["user"]["email"] == "admin@clinica.local"


def test_refresh_rotates_the_pair(api, login):
    first = login()
    reply = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reply.status_code == 200, reply.text
    second = reply.json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert jwt_header(second["access_token"])["alg"] == "RS256"


def test_me_with_a_token(api, login):
    token = login()["access_token"]
    reply = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["email"] == "admin@clinica.local"


def test_me_without_a_token_is_401(api):
    reply = api.get("/api/v1/auth/me")
    assert reply.status_code == 401, reply.text
    assert reply.json()["error"]["code"] == "missing_token"


def test_sixth_failed_login_is_429_with_retry_after(api):
    # A fresh e-mail per run: the lockout counts failures per e-mail and IP for 15 minutes.
    email = f"nobody-{uuid.uuid4().hex[:12]}@clinica.local"
    statuses = []
    for _ in range(6):
        reply = api.post("/api/v1/auth/login", json={"email": email, "password": "wrong-password"})
        statuses.append(reply.status_code)
    assert statuses == [401] * 5 + [429], statuses
    assert int(reply.headers["retry-after"]) > 0


def test_openapi_document_lists_every_route(api):
    from functions.api.routes import ROUTES

    reply = api.get("/openapi.json")
    assert reply.status_code == 200, reply.text
    paths = reply.json()["paths"]
    assert {(r.method.lower(), r.path) for r in ROUTES if r.module != "openapi"} <= \
        {(m, p) for p, ops in paths.items() for m in ops}
