"""SQL of the meeting assistant: its meeting's context, the room claim, events, transcript
segments, the summary and the usage ledger. Every statement names the room it is about; the
room comes from the dispatch (the platform's metadata), never from a participant."""
from __future__ import annotations

import json
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from doctorlive.assistant.models import MeetingContext, Summary, UsageTotals, Utterance


class AssistantRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def meeting(self, room_id: UUID) -> MeetingContext | None:
        row = self.conn.execute(
            """SELECT r.id, r.entity_id, r.department_id, r.title, e.locale, e.name AS entity_name,
                      e.default_instructions, d.instructions AS department_instructions,
                      r.custom_instructions, r.organizer_id, r.status::text AS status,
                      (r.assistant_enabled AND e.assistant_enabled AND e.active) AS assistant_enabled
                 FROM rooms r
                 JOIN entities e ON e.id = r.entity_id
                 LEFT JOIN departments d ON d.id = r.department_id AND d.active
                WHERE r.id = %s""", (room_id,)).fetchone()
        if row is None:
            return None
        return MeetingContext(
            room_id=row["id"], entity_id=row["entity_id"], department_id=row["department_id"],
            title=row["title"], locale=row["locale"], entity_name=row["entity_name"],
            entity_instructions=row["default_instructions"],
            department_instructions=row["department_instructions"],
            meeting_instructions=row["custom_instructions"], organizer_id=row["organizer_id"],
            status=row["status"], assistant_enabled=row["assistant_enabled"])

    def participant_in_room(self, room_id: UUID, participant_id: UUID) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM room_participants WHERE room_id = %s AND participant_id = %s",
            (room_id, participant_id)).fetchone() is not None

    # ---- one assistant per room ---------------------------------------------------------------

    def claim(self, room_id: UUID, job_id: str, worker_id: str, lease_seconds: int) -> bool:
        """Take the room for this job unless another job holds a live lease on it. The same job
        asking again (a retried request) keeps its claim."""
        row = self.conn.execute(
            """INSERT INTO agent_claims (room_id, job_id, worker_id, lease_until)
               VALUES (%(room)s, %(job)s, %(worker)s, now() + make_interval(secs => %(lease)s))
               ON CONFLICT (room_id) DO UPDATE
                  SET job_id = EXCLUDED.job_id, worker_id = EXCLUDED.worker_id,
                      lease_until = EXCLUDED.lease_until, claimed_at = now()
                WHERE agent_claims.lease_until < now() OR agent_claims.job_id = EXCLUDED.job_id
               RETURNING job_id""",
            {"room": room_id, "job": job_id, "worker": worker_id, "lease": lease_seconds}).fetchone()
        return row is not None

    def renew(self, room_id: UUID, job_id: str, lease_seconds: int) -> bool:
        row = self.conn.execute(
            """UPDATE agent_claims SET lease_until = now() + make_interval(secs => %s)
                WHERE room_id = %s AND job_id = %s RETURNING 1""",
            (lease_seconds, room_id, job_id)).fetchone()
        return row is not None

    def release(self, room_id: UUID, job_id: str) -> None:
        self.conn.execute("DELETE FROM agent_claims WHERE room_id = %s AND job_id = %s", (room_id, job_id))

    # ---- what happened ------------------------------------------------------------------------

    def add_event(self, room_id: UUID, event_type: str, *, participant_id: UUID | None = None,
                  interaction_type: str | None = None, content: str | None = None,
                  metadata: dict | None = None) -> None:
        self.conn.execute(
            """INSERT INTO agent_session_events (room_id, participant_id, event_type, interaction_type,
                                                 content, metadata)
               VALUES (%s, %s, %s, %s, %s, %s)""",
            (room_id, participant_id, event_type, interaction_type, content, Jsonb(metadata or {})))

    def add_segment(self, room_id: UUID, u: Utterance, stt_model: str | None) -> bool:
        """Stored once per segment id (a retried write changes nothing)."""
        row = self.conn.execute(
            """INSERT INTO transcript_segments (room_id, participant_id, speaker_name, segment_id,
                                                started_at, ended_at, text, language, stt_model)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (room_id, segment_id) DO NOTHING RETURNING id""",
            (room_id, u.participant_id, u.speaker[:200] or "?", u.segment_id, u.started_at, u.ended_at,
             u.text[:10000], u.language, stt_model)).fetchone()
        return row is not None

    def segments(self, room_id: UUID) -> list[Utterance]:
        rows = self.conn.execute(
            """SELECT participant_id, speaker_name, segment_id, started_at, ended_at, text, language
                 FROM transcript_segments WHERE room_id = %s ORDER BY started_at, id""",
            (room_id,)).fetchall()
        return [Utterance(participant_id=r["participant_id"], identity="", speaker=r["speaker_name"],
                          text=r["text"], started_at=r["started_at"], ended_at=r["ended_at"],
                          segment_id=r["segment_id"], language=r["language"]) for r in rows]

    def save_summary(self, room_id: UUID, s: Summary) -> None:
        self.conn.execute(
            """INSERT INTO meeting_summaries (room_id, summary, action_items, mode, model)
               VALUES (%s, %s, %s, %s, %s)
               ON CONFLICT (room_id) DO UPDATE
                  SET summary = EXCLUDED.summary, action_items = EXCLUDED.action_items,
                      mode = EXCLUDED.mode, model = EXCLUDED.model""",
            (room_id, s.summary[:20000], Jsonb(s.action_items), s.mode, s.model))

    # ---- usage ledger ---------------------------------------------------------------------------

    def start_usage(self, room_id: UUID, job_id: str, models: dict[str, str | None]) -> UUID:
        row = self.conn.execute(
            """INSERT INTO agent_usage (room_id, job_id, model, llm_model, stt_model, embedding_model)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (job_id) DO UPDATE SET updated_at = now()
               RETURNING id""",
            (room_id, job_id, models.get("llm") or models.get("stt"), models.get("llm"),
             models.get("stt"), models.get("embedding"))).fetchone()
        return row["id"]

    def finish_usage(self, job_id: str, u: UsageTotals, cost_usd, breakdown: dict) -> None:
        self.conn.execute(
            """UPDATE agent_usage
                  SET ended_at = now(), prompt_tokens = %s, completion_tokens = %s,
                      stt_seconds = %s, embedding_tokens = %s, cost_usd = %s,
                      cost_breakdown = %s, usage_detail = %s,
                      llm_model = COALESCE(%s, llm_model), stt_model = COALESCE(%s, stt_model),
                      embedding_model = COALESCE(%s, embedding_model)
                WHERE job_id = %s""",
            (u.prompt_tokens, u.completion_tokens, round(u.stt_seconds, 3), u.embedding_tokens, cost_usd,
             Jsonb(breakdown), Jsonb(json.loads(json.dumps(u.detail, default=str))),
             u.llm_model, u.stt_model, u.embedding_model, job_id))
