"""Field types shared by request models: e-mail and E.164 phone numbers.

E-mail is checked by shape, not deliverability, and accepts internal domains such as
`clinica.local` (pydantic's EmailStr rejects special-use names and pulls in dnspython).
"""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


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


Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
Phone = Annotated[str, StringConstraints(max_length=32), AfterValidator(_phone)]
