"""SQL of the meeting record: transcript segments, the summary, recordings, agent usage, and the
room_events audit of who read what. Every read names a room the caller was already allowed to
see (service.py), or filters by the same visibility rule as the rooms (rooms.repo.visible)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from doctorlive.pagination import PageParams
from doctorlive.records.models import UsageFilters
from doctorlive.rooms.repo import visible
from doctorlive.sqlutil import contains, fetch_page, many, one
from doctorlive.tenancy import Principal

# Sums of agent_usage rows `u`; the same expressions for a meeting, an entity, a month, all.
_SUMS = """count(u.id)::int AS sessions,
       COALESCE(sum(u.prompt_tokens), 0)::bigint AS prompt_tokens,
       COALESCE(sum(u.completion_tokens), 0)::bigint AS completion_tokens,
       COALESCE(sum(u.total_tokens), 0)::bigint AS total_tokens,
       COALESCE(sum(u.stt_seconds), 0)::numeric(14, 3) AS stt_seconds,
       COALESCE(sum(u.embedding_tokens), 0)::bigint AS embedding_tokens,
       COALESCE(sum(u.duration_seconds), 0)::bigint AS duration_seconds,
       COALESCE(sum(u.cost_usd), 0)::numeric(14, 6) AS cost_usd"""



@dataclass(frozen=True, slots=True)
class SegmentRecord:
    id: int
    participant_id: UUID | None
    speaker_name: str
    started_at: datetime
    ended_at: datetime
    text: str
    language: str | None


@dataclass(frozen=True, slots=True)
class SummaryRecord:
    room_id: UUID
    summary: str
    action_items: list[str]
    mode: str
    model: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RecordingRecord:
    id: UUID
    s3_key: str | None  # None: the egress ended without writing a file
    duration_seconds: int | None
    file_size_bytes: int | None
    started_at: datetime | None
    ended_at: datetime | None
    purge_at: datetime | None
    created_at: datetime

    @property
    def status(self) -> str:
        return "available" if self.s3_key else "failed"


@dataclass(frozen=True, slots=True)
class UsageSession:
    """One agent_usage row: an assistant session of a meeting."""
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


@dataclass(frozen=True, slots=True)
class UsageSums:
    """_SUMS over some agent_usage rows."""
    sessions: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    stt_seconds: Decimal
    embedding_tokens: int
    duration_seconds: int
    cost_usd: Decimal


@dataclass(frozen=True, slots=True)
class MeetingSums(UsageSums):
    room_id: UUID
    title: str
    entity_id: UUID
    entity_name: str
    scheduled_start: datetime
    first_started_at: datetime


@dataclass(frozen=True, slots=True)
class EntitySums(UsageSums):
    entity_id: UUID
    entity_name: str


@dataclass(frozen=True, slots=True)
class MonthSums(UsageSums):
    month: str  # YYYY-MM (UTC)


@dataclass(frozen=True, slots=True)
class UsageTotals:
    """The usage report's figures: one page of meetings (`total` of them match), and over every
    matching row the sums per entity, per month and overall."""
    items: list[MeetingSums]
    total: int
    by_entity: list[EntitySums]
    by_month: list[MonthSums]
    totals: UsageSums


class RecordRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    # ---- transcript ------------------------------------------------------------------------------

    def transcript(self, room_id: UUID, q: str | None, paging: PageParams) -> tuple[list[SegmentRecord], int]:
        where, params = "s.room_id = %(room)s", {"room": room_id}
        if q:
            where += " AND s.text ILIKE %(q)s"
            params["q"] = contains(q)
        return fetch_page(
            self.conn, select="""SELECT s.id, s.participant_id, s.speaker_name, s.started_at, s.ended_at,
                                        s.text, s.language FROM transcript_segments s""",
            table="transcript_segments s", where=where, params=params, order_by="s.started_at, s.id",
            limit=paging.limit, offset=paging.offset, record=SegmentRecord)

    # ---- summary ---------------------------------------------------------------------------------

    def summary(self, room_id: UUID) -> SummaryRecord | None:
        return one(self.conn, SummaryRecord,
                   """SELECT room_id, summary, action_items, mode, model, created_at, updated_at
                        FROM meeting_summaries WHERE room_id = %s""", (room_id,))

    # ---- recordings ------------------------------------------------------------------------------

    def recordings(self, room_id: UUID) -> list[RecordingRecord]:
        return many(self.conn, RecordingRecord,
                    """SELECT id, s3_key, duration_seconds, file_size_bytes, started_at, ended_at, purge_at,
                              created_at
                         FROM recordings WHERE room_id = %s ORDER BY COALESCE(started_at, created_at), id""",
                    (room_id,))

    # ---- usage -----------------------------------------------------------------------------------

    def room_usage(self, room_id: UUID) -> tuple[list[UsageSession], UsageSums]:
        rows = many(
            self.conn, UsageSession,
            """SELECT id, started_at, ended_at, duration_seconds, llm_model, stt_model, embedding_model,
                      prompt_tokens, completion_tokens, total_tokens, stt_seconds, embedding_tokens,
                      cost_usd, cost_breakdown
                 FROM agent_usage WHERE room_id = %s ORDER BY started_at, id""", (room_id,))
        totals = one(self.conn, UsageSums, f"SELECT {_SUMS} FROM agent_usage u WHERE u.room_id = %s", (room_id,))
        return rows, totals

    def _usage_where(self, who: Principal, f: UsageFilters) -> tuple[str, dict]:
        where, params = visible(who)
        conds = [where]
        if f.entity_id:
            conds.append("r.entity_id = %(entity_id)s")
            params["entity_id"] = f.entity_id
        if f.from_date:
            conds.append("u.started_at >= %(from_at)s")
            params["from_at"] = datetime(f.from_date.year, f.from_date.month, f.from_date.day,
                                         tzinfo=UTC)
        if f.to_date:
            conds.append("u.started_at < %(to_at)s")
            params["to_at"] = datetime(f.to_date.year, f.to_date.month, f.to_date.day,
                                       tzinfo=UTC) + timedelta(days=1)
        return " AND ".join(conds), params

    def usage_report(self, who: Principal, f: UsageFilters, paging: PageParams) -> UsageTotals:
        """Per meeting (one page, newest first) and, over every matching row, per entity, per
        month and overall: the same rows summed four ways, so the totals add up."""
        where, params = self._usage_where(who, f)
        base = "agent_usage u JOIN rooms r ON r.id = u.room_id JOIN entities e ON e.id = r.entity_id"
        total = self.conn.execute(
            f"SELECT count(DISTINCT u.room_id) AS n FROM {base} WHERE {where}", params).fetchone()["n"]
        items = many(
            self.conn, MeetingSums,
            f"""SELECT r.id AS room_id, r.title, r.entity_id, e.name AS entity_name, r.scheduled_start,
                       min(u.started_at) AS first_started_at, {_SUMS}
                  FROM {base} WHERE {where}
                 GROUP BY r.id, e.name
                 ORDER BY min(u.started_at) DESC, r.id
                 LIMIT %(_limit)s OFFSET %(_offset)s""",
            {**params, "_limit": paging.limit, "_offset": paging.offset})
        by_entity = many(
            self.conn, EntitySums,
            f"""SELECT r.entity_id, e.name AS entity_name, {_SUMS} FROM {base} WHERE {where}
                 GROUP BY r.entity_id, e.name ORDER BY e.name, r.entity_id""", params)
        by_month = many(
            self.conn, MonthSums,
            f"""SELECT to_char(u.started_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, {_SUMS}
                  FROM {base} WHERE {where} GROUP BY 1 ORDER BY 1""", params)
        totals = one(self.conn, UsageSums, f"SELECT {_SUMS} FROM {base} WHERE {where}", params)
        return UsageTotals(items=items, total=total, by_entity=by_entity, by_month=by_month, totals=totals)

    # ---- audit -----------------------------------------------------------------------------------

    def audit(self, room_id: UUID, event_type: str, data: dict) -> None:
        """Who read what of the meeting, in its room_events (never the content itself)."""
        self.conn.execute(
            "INSERT INTO room_events (room_id, event_type, event_data) VALUES (%s, %s, %s)",
            (room_id, event_type, Jsonb(data)))


