"""Login, refresh rotation, logout and token checks, through the Lambda handlers."""
from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from doctorlive.auth import tokens
from doctorlive.settings import get_settings


def test_login_returns_rs256_tokens_with_identity_claims(login, conn):
    body = login("admin@clinica.local")
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "RS256"
    claims = jwt.decode(body["access_token"], tokens.keys().public_key, algorithms=["RS256"],
                        issuer=get_settings().jwt_issuer)
    user = conn.execute("SELECT id, entity_id FROM users WHERE email = 'admin@clinica.local'").fetchone()
    assert claims["sub"] == str(user["id"])
    assert claims["role"] == "ENTITY_ADMIN"
    assert claims["entity_id"] == str(user["entity_id"])
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert body["refresh_expires_in"] == 7 * 24 * 3600
    assert body["user"]["email"] == "admin@clinica.local"
    assert "password_hash" not in json.dumps(body)


def test_manager_token_has_no_entity(login):
    claims = jwt.decode(login("manager@conexa.local")["access_token"], options={"verify_signature": False})
    assert claims["role"] == "MANAGER" and claims["entity_id"] is None


def test_wrong_email_and_wrong_password_look_the_same(api):
    wrong_pw = api.post("/api/v1/auth/login", {"email": "admin@clinica.local", "password": "nope"})
    wrong_email = api.post("/api/v1/auth/login", {"email": "ghost@clinica.local", "password": "nope"})
    assert wrong_pw.status == wrong_email.status == 401
    assert wrong_pw.json() == wrong_email.json()
    assert wrong_pw.json()["error"]["code"] == "invalid_credentials"


def test_invalid_body_names_the_failing_fields(api):
    reply = api.post("/api/v1/auth/login", {"email": "not-an-email"})
    assert reply.status == 422
    fields = {f["field"] for f in reply.json()["error"]["details"]["fields"]}
    assert fields == {"email", "password"}


def test_me_returns_the_logged_in_user(api, login):
    token = login("admin@design.local")["access_token"]
    reply = api.get("/api/v1/auth/me", token=token)
    assert reply.status == 200
    assert reply.json()["email"] == "admin@design.local"
    assert reply.json()["entity_name"] == "Design Studio XYZ"


def test_refresh_rotates_and_a_used_token_is_rejected(api, login, conn):
    first = login("admin@clinica.local")
    rotated = api.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert rotated.status == 200
    assert rotated.json()["refresh_token"] != first["refresh_token"]
    assert api.get("/api/v1/auth/me", token=rotated.json()["access_token"]).status == 200

    # Past the grace window for parallel refreshes (tests/integration/test_refresh_grace.py).
    conn.execute("UPDATE refresh_tokens SET used_at = used_at - interval '1 hour' WHERE token_hash = %s",
                 (tokens.hash_token(first["refresh_token"]),))
    replay = api.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert replay.status == 401
    assert replay.json()["error"]["code"] == "refresh_token_reused"
    # Reuse means theft: the whole session family is revoked, the new token too.
    after = api.post("/api/v1/auth/refresh", {"refresh_token": rotated.json()["refresh_token"]})
    assert after.status == 401


def test_logout_revokes_the_session(api, login):
    pair = login("admin@clinica.local")
    assert api.post("/api/v1/auth/logout", {"refresh_token": pair["refresh_token"]}).status == 204
    assert api.post("/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]}).status == 401


def test_refresh_with_unknown_token_is_401(api):
    assert api.post("/api/v1/auth/refresh", {"refresh_token": "x" * 43}).status == 401


def _forge(claims: dict, header: dict, key: bytes = b"") -> str:
    def b64(d: bytes) -> str:
        return base64.urlsafe_b64encode(d).rstrip(b"=").decode()

    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    if header["alg"] == "none":
        return signing_input + "."
    import hashlib
    import hmac

    sig = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(sig)}"


@pytest.fixture
def valid_claims(login):
    token = login("admin@clinica.local")["access_token"]
    return jwt.decode(token, options={"verify_signature": False}), token


@pytest.mark.parametrize("attack", ["expired", "tampered", "alg_none", "hs256_with_public_key",
                                    "foreign_key", "garbage", "missing"])
def test_bad_access_tokens_are_401(api, valid_claims, attack):
    claims, token = valid_claims
    from cryptography.hazmat.primitives import serialization

    public_pem = tokens.keys().public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    if attack == "expired":
        now = int(time.time())
        bad = jwt.encode({**claims, "iat": now - 3600, "exp": now - 60}, tokens.keys().private_key,
                         algorithm="RS256")
    elif attack == "tampered":
        head, payload, sig = token.split(".")
        forged = json.loads(base64.urlsafe_b64decode(payload + "==")) | {"role": "MANAGER"}
        payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
        bad = f"{head}.{payload}.{sig}"
    elif attack == "alg_none":
        bad = _forge({**claims, "role": "MANAGER"}, {"alg": "none", "typ": "JWT"})
    elif attack == "hs256_with_public_key":
        bad = _forge({**claims, "role": "MANAGER"}, {"alg": "HS256", "typ": "JWT"}, public_pem)
    elif attack == "foreign_key":
        other = tokens.load_keys(tokens.generate_private_key_pem())
        bad = jwt.encode(claims, other.private_key, algorithm="RS256")
    elif attack == "garbage":
        bad = "not.a.jwt"
    else:
        bad = None
    reply = api.get("/api/v1/auth/me", token=bad)
    assert reply.status == 401
    assert reply.json()["error"]["code"] in {"token_expired", "invalid_token", "missing_token"}


def test_five_failed_logins_then_429_with_retry_after(api):
    creds = {"email": "admin@design.local", "password": "wrong"}
    statuses = [api.post("/api/v1/auth/login", creds, ip="203.0.113.9").status for _ in range(5)]
    assert statuses == [401] * 5
    locked = api.post("/api/v1/auth/login", {**creds, "password": "doctorlive-dev"}, ip="203.0.113.9")
    assert locked.status == 429
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert locked.json()["error"]["code"] == "too_many_requests"
    # The limit is per e-mail + IP: the same user from another address is not locked out.
    assert api.post("/api/v1/auth/login", {**creds, "password": "doctorlive-dev"}, ip="203.0.113.10").status == 200


def test_concurrent_failed_logins_never_exceed_the_limit(api):
    from concurrent.futures import ThreadPoolExecutor

    creds = {"email": "admin@clinica.local", "password": "wrong"}
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: api.post("/api/v1/auth/login", creds, ip="192.0.2.50").status,
                                 range(12)))
    assert statuses.count(401) == 5
    assert statuses.count(429) == 7


def test_a_successful_login_clears_earlier_failures(api):
    creds = {"email": "admin@clinica.local", "password": "wrong"}
    for _ in range(4):
        assert api.post("/api/v1/auth/login", creds, ip="192.0.2.77").status == 401
    assert api.post("/api/v1/auth/login", {**creds, "password": "doctorlive-dev"}, ip="192.0.2.77").status == 200
    for _ in range(5):
        assert api.post("/api/v1/auth/login", creds, ip="192.0.2.77").status == 401
