"""RS256 access tokens and opaque refresh tokens.

Access tokens are JWTs signed with the platform's RSA key (15 minutes); verification accepts
RS256 only, so `alg=none` and HS256 tokens (e.g. signed with the public key) are rejected.
Refresh tokens are random strings; only their SHA-256 is stored.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID, uuid4

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from doctorlive.auth.digests import hash_token  # noqa: F401 - re-exported
from doctorlive.errors import Unauthorized
from doctorlive.settings import get_settings
from doctorlive.tenancy import Principal, Role

ALGORITHM = "RS256"


@dataclass(frozen=True)
class KeyPair:
    private_key: rsa.RSAPrivateKey
    public_key: rsa.RSAPublicKey
    kid: str


def generate_private_key_pem(bits: int = 2048) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def load_keys(private_pem: str) -> KeyPair:
    private_key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    if not isinstance(private_key, rsa.RSAPrivateKey):
        # A ValueError, as for a malformed PEM: either way the configured key is a bad value.
        raise ValueError("the JWT signing key must be an RSA private key")  # noqa: TRY004
    public_key = private_key.public_key()
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return KeyPair(private_key, public_key, hashlib.sha256(der).hexdigest()[:16])


@lru_cache(maxsize=1)
def keys() -> KeyPair:
    return load_keys(get_settings().private_key_pem())


def sign(token_type: str, claims: dict, ttl_seconds: int, now: float | None = None) -> str:
    """An RS256 JWT of the platform: issuer, `type`, issue and expiry times and an id are added."""
    now = int(now if now is not None else time.time())
    kp = keys()
    payload = {"iss": get_settings().jwt_issuer, "type": token_type, **claims,
               "iat": now, "exp": now + ttl_seconds, "jti": uuid4().hex}
    return jwt.encode(payload, kp.private_key, algorithm=ALGORITHM, headers={"kid": kp.kid})


def decode(token: str, token_type: str, *, audience: str | None = None,
           require: tuple[str, ...] = ()) -> dict:
    """The claims of a platform JWT of `token_type`. Only RS256 is accepted, so `alg=none` and
    HS256 tokens (e.g. signed with the public key) fail; a token of another type fails too.
    Raises PyJWT's errors; callers turn them into their own 401s."""
    claims = jwt.decode(token, keys().public_key, algorithms=[ALGORITHM],
                        issuer=get_settings().jwt_issuer, audience=audience,
                        options={"require": ["exp", "iat", "sub", "iss", *require]})
    if claims.get("type") != token_type:
        raise jwt.InvalidTokenError(f"not a {token_type} token")
    return claims


def issue_access_token(principal: Principal, now: float | None = None) -> str:
    now = time.time() if now is None else now
    return sign("access", {
        "sub": str(principal.user_id),
        "email": principal.email,
        "role": principal.role.value,
        "entity_id": str(principal.entity_id) if principal.entity_id else None,
        # `iat` has whole seconds; revocation (users.tokens_valid_after) needs finer.
        "iat_ms": int(now * 1000),
    }, get_settings().access_token_ttl_seconds, now)


def verify_access_token(token: str) -> Principal:
    return verify_access(token)[0]


def verify_access(token: str) -> tuple[Principal, int]:
    """The principal of a valid access token and when it was issued (epoch milliseconds)."""
    try:
        claims = decode(token, "access")
        entity = claims.get("entity_id")
        principal = Principal(user_id=UUID(claims["sub"]), role=Role(claims["role"]),
                              entity_id=UUID(entity) if entity else None, email=claims.get("email", ""))
        return principal, int(claims.get("iat_ms") or claims["iat"] * 1000)
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Access token expired", code="token_expired") from exc
    except (jwt.InvalidTokenError, ValueError, KeyError) as exc:
        raise Unauthorized("Invalid access token", code="invalid_token") from exc


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def successor_refresh_token(token: str) -> str:
    """The refresh token that replaces `token` on rotation: derived (HMAC under a key from the
    signing key), so a refresh repeated inside the grace window can return the same successor
    without the platform storing any token."""
    mac = hmac.new(_successor_key(), token.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


@lru_cache(maxsize=1)
def _successor_key() -> bytes:
    return hashlib.sha256(b"doctor-live refresh successor\0" + get_settings().private_key_pem().encode()).digest()


