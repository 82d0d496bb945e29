from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints

from doctorlive.validation import PASSWORD_MAX_BYTES, Email, Input, Line, Model


def _fits_bcrypt(value: str) -> str:
    if len(value.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise ValueError(f"must be at most {PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt reads no more)")
    return value


NewPassword = Annotated[str, StringConstraints(min_length=10, max_length=PASSWORD_MAX_BYTES),
                        AfterValidator(_fits_bcrypt)]


class UserCreate(Input):
    email: Email
    name: Line(200)
    role: Literal["ENTITY_ADMIN", "PROFESSIONAL"]
    professional_id: UUID | None = Field(None, description="Give this professional a login")


class UserUpdate(Input):
    """Partial update; none of these may be null."""
    name: Line(200) = None
    role: Literal["ENTITY_ADMIN", "PROFESSIONAL"] = None
    active: bool = None


class User(Model):
    id: UUID
    email: str
    name: str
    role: str
    entity_id: UUID | None
    active: bool
    has_password: bool
    last_login_at: datetime | None
    created_at: datetime


class UserCreated(User):
    set_password_url: str = Field(description="One-time link to choose a password (also e-mailed)")
    set_password_expires_at: datetime


class PasswordChange(Input):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: NewPassword


class PasswordSet(Input):
    token: str = Field(min_length=16, max_length=256)
    new_password: NewPassword
