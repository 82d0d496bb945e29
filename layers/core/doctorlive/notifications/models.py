"""The notification message: what the API publishes and a notifier reads.

One message per recipient and channel. Everything a notifier needs to render and send is in the
message, so sending needs no database read; the database only records the outcome. The secret
part (magic link, password, set-password link) travels sealed in `sealed` (see sealing.py).
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import ConfigDict, Field

from doctorlive.validation import Model


class Channel(StrEnum):
    EMAIL = "email"
    WHATSAPP = "whatsapp"


class Kind(StrEnum):
    INVITATION = "invitation"
    CANCELLATION = "cancellation"
    SET_PASSWORD = "set_password"
    MEETING_NOTES = "meeting_notes"  # the assistant's summary, to the organiser


class Meeting(Model):
    """The meeting as the invitation shows it (and as its calendar event describes it)."""
    room_id: UUID
    title: str
    description: str | None = None
    start: datetime  # aware
    end: datetime
    timezone: str
    organizer_name: str
    organizer_email: str
    entity_name: str
    ics_sequence: int = 0

    @property
    def ics_uid(self) -> str:
        return f"room-{self.room_id}@doctor-live"


class Notes(Model):
    """The assistant's notes of a meeting (never its transcript)."""
    summary: str
    action_items: list[str] = Field(default=[])  # pydantic copies it per instance


class Secret(Model):
    """The sealed part: never logged, never stored in plain form."""
    link: str
    password: str | None = None
    notes: Notes | None = None  # MEETING_NOTES: what the meeting said travels sealed too


class Notification(Model):
    model_config = ConfigDict(extra="ignore")

    v: Literal[1] = 1
    notification_id: UUID
    kind: Kind
    channel: Channel
    locale: Literal["pt-BR", "en"] = "pt-BR"
    recipient_name: str
    email: str | None = None
    phone: str | None = None
    meeting: Meeting | None = None
    entity_name: str | None = None
    expires_at: datetime | None = None  # of the link (set-password)
    timezone: str | None = None  # to show expires_at in (default: the meeting's, else UTC)
    sealed: str | None = None

    @property
    def recipient(self) -> str:
        address = self.email if self.channel is Channel.EMAIL else self.phone
        if not address:
            raise ValueError(f"a {self.channel} notification needs its address")
        return address

    def attributes(self) -> dict[str, dict[str, str]]:
        """SNS message attributes: the per-channel subscriptions filter on `channel`."""
        return {"channel": {"DataType": "String", "StringValue": self.channel.value},
                "kind": {"DataType": "String", "StringValue": self.kind.value}}
