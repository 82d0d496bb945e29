"""bcrypt password hashing (cost 10 by default)."""
from __future__ import annotations

from functools import lru_cache

import bcrypt

from doctorlive.settings import get_settings


def hash_password(password: str, rounds: int | None = None) -> str:
    rounds = rounds or get_settings().bcrypt_rounds
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-ish time: an unknown user is checked against a dummy hash of the same cost."""
    candidate = (password_hash or _dummy_hash()).encode("ascii")
    ok = bcrypt.checkpw(password.encode("utf-8"), candidate)
    return ok and password_hash is not None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")
