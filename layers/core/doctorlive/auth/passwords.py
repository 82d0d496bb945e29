"""bcrypt password hashing (cost 10 by default).

bcrypt reads at most 72 bytes of a password (bcrypt 5 raises beyond them, earlier releases
ignored the rest): new passwords are limited to 72 UTF-8 bytes at the edge (`NewPassword`),
and a longer candidate is checked on its first 72 bytes, as hashes made by bcrypt < 5 were."""
from __future__ import annotations

from functools import lru_cache

import bcrypt

from doctorlive.settings import get_settings
from doctorlive.validation import PASSWORD_MAX_BYTES


def _bcrypt_input(password: str) -> bytes:
    return password.encode("utf-8")[:PASSWORD_MAX_BYTES]


def hash_password(password: str, rounds: int | None = None) -> str:
    rounds = rounds or get_settings().bcrypt_rounds
    return bcrypt.hashpw(_bcrypt_input(password), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-ish time: an unknown user is checked against a dummy hash of the same cost."""
    candidate = (password_hash or _dummy_hash()).encode("ascii")
    ok = bcrypt.checkpw(_bcrypt_input(password), candidate)
    return ok and password_hash is not None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")
