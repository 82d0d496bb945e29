from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from doctorlive.tenancy import Role
from doctorlive.validation import Email, Input, Model


class LoginRequest(Input):
    email: Email
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(Input):
    refresh_token: str = Field(min_length=16, max_length=512)


class TokenPair(Model):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_expires_in: int


class UserOut(Model):
    id: UUID
    email: str
    name: str
    role: Role
    entity_id: UUID | None
    entity_name: str | None = None
    active: bool
    last_login_at: datetime | None = None


class LoginResponse(TokenPair):
    user: UserOut


class UserRecord(Model):
    """A users row as the auth service needs it (includes the hash; never returned by the API)."""
    id: UUID
    email: str
    name: str
    role: Role
    entity_id: UUID | None
    active: bool
    password_hash: str | None
    entity_name: str | None = None
    entity_active: bool | None = None
    last_login_at: datetime | None = None

    def public(self) -> UserOut:
        return UserOut.model_validate(self.model_dump(exclude={"password_hash", "entity_active"}))


class RefreshRecord(Model):
    id: UUID
    user_id: UUID
    family_id: UUID
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None
