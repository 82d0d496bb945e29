from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    Field,
    StringConstraints,
    model_validator,
)

from doctorlive.validation import Email, Input, Instant, Line, Model, Phone, TimeZoneName

Title = Line(200)
Name = Line(200)
Description = Annotated[str, StringConstraints(max_length=4000)]
Instructions = Annotated[str, StringConstraints(max_length=8000)]
RoomStatus = Literal["SCHEDULED", "ACTIVE", "COMPLETED", "CANCELLED"]
NotificationStatus = Literal["queued", "sent", "failed"]


_In = Input


class ParticipantIn(_In):
    name: Name
    email: Email | None = None
    phone: Phone | None = Field(None, description="E.164, e.g. +5511987654321 (WhatsApp)")

    @model_validator(mode="after")
    def _reachable(self) -> ParticipantIn:
        if not self.email and not self.phone:
            raise ValueError("give the participant an e-mail, a phone number or both")
        return self


class RoomCreate(_In):
    entity_id: UUID | None = Field(None, description="Required for the platform MANAGER; "
                                                     "others schedule in their own entity")
    title: Title
    description: Description | None = None
    scheduled_start: Instant = Field(description="ISO 8601 with an offset (or local time in `timezone`)")
    scheduled_end: Instant
    timezone: TimeZoneName | None = Field(None, description="IANA zone of the meeting; "
                                                            "default: the entity's")
    department_id: UUID | None = None
    custom_instructions: Instructions | None = None
    max_participants: int | None = Field(None, ge=1, le=100,
                                         description="At most the entity's limit; default: the entity's")
    assistant_enabled: bool | None = Field(None, description="The AI assistant joins this meeting; "
                                                             "default: the entity's setting")
    record: bool | None = Field(None, description="Record this meeting; default: the entity's "
                                                  "record_meetings. false turns it off for this "
                                                  "meeting; true is refused (422) when the entity "
                                                  "does not record meetings")
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=100)


class ParticipantsAdd(_In):
    participants: list[ParticipantIn] = Field(min_length=1, max_length=100)


class RoomParticipant(Model):
    id: UUID = Field(description="The participant id (LiveKit identity participant_{id})")
    name: str
    email: str | None
    phone: str | None
    email_status: NotificationStatus | None
    whatsapp_status: NotificationStatus | None
    joined_at: datetime | None
    left_at: datetime | None
    duration_seconds: int | None
    token_expires_at: datetime | None
    locked_until: datetime | None
    invited_at: datetime


class Room(Model):
    id: UUID
    entity_id: UUID
    department_id: UUID | None
    organizer_id: UUID
    organizer_name: str
    title: str
    description: str | None
    scheduled_start: datetime
    scheduled_end: Instant
    timezone: str
    custom_instructions: str | None
    max_participants: int
    assistant_enabled: bool
    record: bool = Field(description="The meeting is recorded (and its participants are told so)")
    status: RoomStatus
    livekit_room_name: str | None
    participant_count: int
    actual_participants: int
    started_at: datetime | None
    ended_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime


class RoomDetail(Room):
    participants: list[RoomParticipant]


class RoomFilters(Model):
    status: RoomStatus | None = None
    start_from: datetime | None = None
    start_to: datetime | None = None
    entity_id: UUID | None = None
    order: Literal["asc", "desc"] = "desc"  # by scheduled start


class WebhookAck(Model):
    status: Literal["applied", "duplicate", "ignored"]
