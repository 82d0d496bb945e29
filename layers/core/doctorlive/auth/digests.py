"""Digests of opaque tokens (refresh tokens, set-password and magic links): what the database
stores instead of the token. Apart from doctorlive.auth.tokens so that the services that only
hash a token do not import jwt and cryptography (cold start)."""
from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
