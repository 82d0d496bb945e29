"""Validation at the edge, one way for every request model: `Input` and the field types here.

- `Input` forbids unknown fields and rejects control characters (NUL among them, which
  PostgreSQL cannot store) in every text it holds, nested or not; `\\t`, `\\n`, `\\r` are allowed
  in multi-line text (descriptions, instructions).
- `Line(n)` is one line of at most n characters (names, titles): no control characters at all,
  no line or paragraph separators (U+0085, U+2028, U+2029), so it is safe in e-mail headers,
  calendar fields and WhatsApp templates.
- Partial updates: a field that may be left out but whose column is NOT NULL is typed `T = None`
  (not `T | None`): leaving it out keeps the value, an explicit `null` is a 422. `T | None` is
  only for columns that may be cleared.
- `Instant`: a date-time the platform can add to (link expiry, retention) without overflow.
- `TimeZoneName`: an IANA zone that exists. `Email`, `Phone`: by shape.

E-mail is checked by shape, not deliverability, and accepts internal domains such as
`clinica.local` (pydantic's EmailStr rejects special-use names and pulls in dnspython).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, field_validator

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
# C0 controls but tab and line breaks, DEL, C1 controls but NEL (U+0085, a line break).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# bcrypt reads at most 72 bytes of a password: a new password must fit in them.
PASSWORD_MAX_BYTES = 72
# Far enough for any meeting or expiry the platform computes, far from datetime's limits.
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2999, 12, 31, tzinfo=UTC)


def check_text(value: str) -> str:
    if CONTROL.search(value):
        raise ValueError("must not contain control characters (such as NUL)")
    return value


def _one_line(value: str) -> str:
    if _NOT_ONE_LINE.search(value):
        raise ValueError("must be a single line without control characters")
    return value


_BLANK_RUN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(value: str) -> str:
    """Any text as one line: each run of white space, line breaks and control characters
    becomes one space. For what goes into headers and templates, whatever is stored."""
    return _BLANK_RUN.sub(" ", value).strip()


def Line(max_length: int, min_length: int = 1) -> Any:  # reads as a type
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
                     AfterValidator(_one_line)]


def _texts(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(k)
            yield from _texts(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from _texts(v)


class Model(BaseModel):
    """Base of every response and record model: its validator and serializer are built when it
    is first used, not when its module is imported, so a function builds only the models its
    own route touches (a models module serves many routes; building its models cost 8-25 ms of
    import). Request models (Input) are built at once: FastAPI reads a request body through a
    TypeAdapter of `Annotated[model, Body(...)]`, and rebuilding that lazily warns that the
    body's alias has no effect."""
    model_config = ConfigDict(defer_build=True)


class Input(BaseModel):
    """Base of every request model."""
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        for text in _texts(value):
            check_text(text)
        return value


def _email(value: str) -> str:
    value = value.strip()
    local, _, _domain = value.partition("@")
    if not _EMAIL.match(value) or len(local) > 64 or ".." in value:
        raise ValueError("not a valid e-mail address")
    return value.lower()


def _phone(value: str) -> str:
    compact = re.sub(r"[\s().-]", "", value)
    if not _E164.match(compact):
        raise ValueError("phone must be in E.164 format, e.g. +5511987654321")
    return compact


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone(value: str) -> str:
    if value not in _zones():
        raise ValueError("not a known IANA time zone, e.g. America/Sao_Paulo")
    return value


def _instant(value: datetime) -> datetime:
    try:
        as_utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError as exc:
        raise ValueError("date out of range") from exc
    if not EARLIEST <= as_utc <= LATEST:
        raise ValueError(f"date must be between {EARLIEST.year} and {LATEST.year}")
    return value


Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
Phone = Annotated[str, StringConstraints(max_length=32), AfterValidator(_phone)]
TimeZoneName = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_zone)]
Instant = Annotated[datetime, AfterValidator(_instant)]
