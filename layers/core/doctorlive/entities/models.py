from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from doctorlive.validation import Email, Input, Line, Model, Phone, TimeZoneName

Name = Line(200)
EntityType = Line(50)
Instructions = Annotated[str, StringConstraints(max_length=8000)]
Retention = Literal[7, 30, 90, 365]
Locale = Literal["pt-BR", "en"]
Timezone = TimeZoneName
_In = Input


# ---- entities --------------------------------------------------------------------------------

class EntityCreate(_In):
    name: Name
    type: EntityType
    default_instructions: Instructions | None = None
    max_participants: int = Field(10, ge=1, le=100)
    recording_retention_days: Retention = 30
    locale: Locale = "pt-BR"
    timezone: Timezone = "America/Sao_Paulo"
    assistant_enabled: bool = Field(True, description="The AI assistant joins this entity's meetings "
                                                      "(each meeting may turn it off)")
    record_meetings: bool = Field(False, description="Meetings are recorded (room composite to the "
                                                     "platform's recordings bucket, kept for "
                                                     "recording_retention_days); each meeting may "
                                                     "turn it off, none may turn it on when this is off")


class EntityUpdate(_In):
    """Partial update: only the fields sent change; `null` only where a value may be cleared."""
    name: Name = None
    type: EntityType = None
    default_instructions: Instructions | None = None
    max_participants: int = Field(None, ge=1, le=100)
    recording_retention_days: Retention = None
    locale: Locale = None
    timezone: Timezone = None
    assistant_enabled: bool = None
    record_meetings: bool = None
    active: bool = None


# What an ENTITY_ADMIN may change on its own entity; the rest is the platform MANAGER's.
ENTITY_ADMIN_FIELDS = frozenset({"default_instructions", "recording_retention_days", "locale", "timezone",
                                 "assistant_enabled", "record_meetings"})


class Entity(Model):
    id: UUID
    name: str
    type: str
    default_instructions: str | None
    max_participants: int
    recording_retention_days: int
    locale: str
    timezone: str
    assistant_enabled: bool
    record_meetings: bool
    active: bool
    department_count: int = 0
    created_at: datetime
    updated_at: datetime


class EntityFilters(Model):
    q: str | None = None
    type: str | None = None
    active: bool | None = None


# ---- departments -----------------------------------------------------------------------------

class DepartmentCreate(_In):
    name: Name
    instructions: Instructions | None = None


class DepartmentUpdate(_In):
    name: Name = None
    instructions: Instructions | None = None
    active: bool = None


class Department(Model):
    id: UUID
    entity_id: UUID
    name: str
    instructions: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


# ---- professionals ---------------------------------------------------------------------------

class ProfessionalCreate(_In):
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    specialty: Line(200, min_length=0) | None = None


class ProfessionalUpdate(_In):
    name: Name = None
    email: Email | None = None
    phone: Phone | None = None
    specialty: Line(200, min_length=0) | None = None
    active: bool = None


class ProfessionalLink(_In):
    entity_id: UUID


class Professional(Model):
    id: UUID
    entity_id: UUID
    user_id: UUID | None
    name: str
    email: str | None
    phone: str | None
    specialty: str | None
    active: bool
    entity_ids: list[UUID] = Field(default=[])  # pydantic copies it per instance
    created_at: datetime
    updated_at: datetime


class Stats(Model):
    entities: int
    active_entities: int
    departments: int
    professionals: int
    meetings_total: int
    meetings_upcoming: int
    meetings_active: int
    active_users: int
