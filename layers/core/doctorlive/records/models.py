"""Response models of the meeting record API. Money is the stored numeric (agent_usage.cost_usd,
6 decimals) as an exact decimal: a string in JSON."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import model_validator

from doctorlive.errors import invalid
from doctorlive.validation import Model


class TranscriptSegment(Model):
    id: int
    participant_id: UUID | None
    speaker_name: str
    started_at: datetime
    ended_at: datetime
    text: str
    language: str | None = None


class MeetingSummary(Model):
    room_id: UUID
    summary: str
    action_items: list[str]
    mode: str
    model: str | None
    created_at: datetime
    updated_at: datetime


class Recording(Model):
    id: UUID
    status: str  # "available" (a file to download) or "failed" (the egress ended without one)
    duration_seconds: int | None
    file_size_bytes: int | None
    started_at: datetime | None
    ended_at: datetime | None
    purge_at: datetime | None
    created_at: datetime
    download_url: str | None = None
    download_expires_at: datetime | None = None


class UsageFigures(Model):
    """Sums of agent_usage rows."""
    sessions: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    stt_seconds: Decimal = Decimal("0.000")
    embedding_tokens: int = 0
    duration_seconds: int = 0
    cost_usd: Decimal = Decimal("0.000000")


class UsageRow(Model):
    """One agent session of a meeting, with every model's figures and the cost breakdown."""
    id: UUID
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: int | None
    llm_model: str | None
    stt_model: str | None
    embedding_model: str | None
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    stt_seconds: Decimal
    embedding_tokens: int
    cost_usd: Decimal
    cost_breakdown: dict[str, Any]


class RoomUsage(Model):
    room_id: UUID
    items: list[UsageRow]
    totals: UsageFigures


class MeetingUsage(UsageFigures):
    room_id: UUID
    title: str
    entity_id: UUID
    entity_name: str
    scheduled_start: datetime
    first_started_at: datetime


class EntityUsage(UsageFigures):
    entity_id: UUID
    entity_name: str


class MonthUsage(UsageFigures):
    month: str  # YYYY-MM (UTC)


class UsageReport(Model):
    """Per meeting (one page), and over the whole filtered range: per entity, per month, all."""
    items: list[MeetingUsage]
    total: int
    page: int
    limit: int
    totals: UsageFigures
    by_entity: list[EntityUsage]
    by_month: list[MonthUsage]


class UsageFilters(Model):
    """from_date and to_date are UTC days, both included (a session counts on the day it started)."""
    entity_id: UUID | None = None
    from_date: date | None = None
    to_date: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> UsageFilters:
        if self.from_date and self.to_date and self.to_date < self.from_date:
            raise invalid("query.to_date", "to_date must not be before from_date", "date_order",
                          summary="Invalid request: to_date is before from_date")
        return self
