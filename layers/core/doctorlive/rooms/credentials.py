"""A participant's credentials: an unguessable magic-link token and an 8-digit password, both
from the operating system's CSPRNG (`secrets`). Only their hashes are stored: SHA-256 of the
token (looked up by equality), bcrypt of the password (8 digits are guessable offline, so the
slow hash; online guessing is limited by room_participants.failed_attempts/locked_until)."""
from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from doctorlive.auth.digests import hash_token
from doctorlive.auth.passwords import hash_password
from doctorlive.settings import get_settings

PASSWORD_DIGITS = 8


def new_password() -> str:
    return f"{secrets.randbelow(10 ** PASSWORD_DIGITS):0{PASSWORD_DIGITS}d}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def magic_link(token: str) -> str:
    """The token rides in the fragment: browsers never send a fragment to a server, so it reaches
    neither the room site's CDN logs nor any proxy's (the room site reads it from location.hash)."""
    return f"{get_settings().room_site_url.rstrip('/')}/join#token={token}"


@dataclass(frozen=True)
class Credentials:
    token: str = field(repr=False)
    password: str = field(repr=False)
    token_hash: str
    password_hash: str = field(repr=False)

    @property
    def link(self) -> str:
        return magic_link(self.token)


def issue(count: int) -> list[Credentials]:
    """`count` fresh credentials; bcrypt runs in threads (it releases the GIL)."""

    plain = [(new_token(), new_password()) for _ in range(count)]
    if count <= 1:
        hashes = [hash_password(p) for _, p in plain]
    else:
        with ThreadPoolExecutor(max_workers=min(4, count)) as pool:
            hashes = list(pool.map(hash_password, (p for _, p in plain)))
    return [Credentials(t, p, hash_token(t), h) for (t, p), h in zip(plain, hashes, strict=True)]
