"""SQL of the meeting record: transcript segments, the summary, recordings, agent usage, and the
room_events audit of who read what. Every read names a room the caller was already allowed to
see (service.py), or filters by the same visibility rule as the rooms (rooms.repo.visible)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from doctorlive.pagination import PageParams
from doctorlive.records.models import UsageFilters
from doctorlive.rooms.repo import visible
from doctorlive.sqlutil import fetch_page
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


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class RecordRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    # ---- transcript ------------------------------------------------------------------------------

    def transcript(self, room_id: UUID, q: str | None, paging: PageParams) -> tuple[list[dict], int]:
        where, params = "s.room_id = %(room)s", {"room": room_id}
        if q:
            where += " AND s.text ILIKE %(q)s"
            params["q"] = _like(q)
        return fetch_page(
            self.conn, select="""SELECT s.id, s.participant_id, s.speaker_name, s.started_at, s.ended_at,
                                        s.text, s.language FROM transcript_segments s""",
            table="transcript_segments s", where=where, params=params, order_by="s.started_at, s.id",
            limit=paging.limit, offset=paging.offset)

    # ---- summary ---------------------------------------------------------------------------------

    def summary(self, room_id: UUID) -> dict | None:
        return self.conn.execute(
            """SELECT room_id, summary, action_items, mode, model, created_at, updated_at
                 FROM meeting_summaries WHERE room_id = %s""", (room_id,)).fetchone()

    # ---- recordings ------------------------------------------------------------------------------

    def recordings(self, room_id: UUID) -> list[dict]:
        return self.conn.execute(
            """SELECT id, s3_key, duration_seconds, file_size_bytes, started_at, ended_at, purge_at,
                      created_at
                 FROM recordings WHERE room_id = %s ORDER BY COALESCE(started_at, created_at), id""",
            (room_id,)).fetchall()

    # ---- usage -----------------------------------------------------------------------------------

    def room_usage(self, room_id: UUID) -> tuple[list[dict], dict]:
        rows = self.conn.execute(
            """SELECT id, started_at, ended_at, duration_seconds, llm_model, stt_model, embedding_model,
                      prompt_tokens, completion_tokens, total_tokens, stt_seconds, embedding_tokens,
                      cost_usd, cost_breakdown
                 FROM agent_usage WHERE room_id = %s ORDER BY started_at, id""", (room_id,)).fetchall()
        totals = self.conn.execute(f"SELECT {_SUMS} FROM agent_usage u WHERE u.room_id = %s",
                                   (room_id,)).fetchone()
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

    def usage_report(self, who: Principal, f: UsageFilters, paging: PageParams) -> dict:
        """Per meeting (one page, newest first) and, over every matching row, per entity, per
        month and overall: the same rows summed four ways, so the totals add up."""
        where, params = self._usage_where(who, f)
        base = "agent_usage u JOIN rooms r ON r.id = u.room_id JOIN entities e ON e.id = r.entity_id"
        total = self.conn.execute(
            f"SELECT count(DISTINCT u.room_id) AS n FROM {base} WHERE {where}", params).fetchone()["n"]
        items = self.conn.execute(
            f"""SELECT r.id AS room_id, r.title, r.entity_id, e.name AS entity_name, r.scheduled_start,
                       min(u.started_at) AS first_started_at, {_SUMS}
                  FROM {base} WHERE {where}
                 GROUP BY r.id, e.name
                 ORDER BY min(u.started_at) DESC, r.id
                 LIMIT %(_limit)s OFFSET %(_offset)s""",
            {**params, "_limit": paging.limit, "_offset": paging.offset}).fetchall()
        by_entity = self.conn.execute(
            f"""SELECT r.entity_id, e.name AS entity_name, {_SUMS} FROM {base} WHERE {where}
                 GROUP BY r.entity_id, e.name ORDER BY e.name, r.entity_id""", params).fetchall()
        by_month = self.conn.execute(
            f"""SELECT to_char(u.started_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, {_SUMS}
                  FROM {base} WHERE {where} GROUP BY 1 ORDER BY 1""", params).fetchall()
        totals = self.conn.execute(f"SELECT {_SUMS} FROM {base} WHERE {where}", params).fetchone()
        return {"items": items, "total": total, "by_entity": by_entity, "by_month": by_month,
                "totals": totals}

    # ---- audit -----------------------------------------------------------------------------------

    def audit(self, room_id: UUID, event_type: str, data: dict) -> None:
        """Who read what of the meeting, in its room_events (never the content itself)."""
        self.conn.execute(
            "INSERT INTO room_events (room_id, event_type, event_data) VALUES (%s, %s, %s)",
            (room_id, event_type, Jsonb(data)))


