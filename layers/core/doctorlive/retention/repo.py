"""SQL of the retention job. Times are the database clock's (now()), so tests move a clock by
moving data (purge_at, ended_at) into the past."""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import psycopg

from doctorlive.sqlutil import many

# When a meeting's record stops being kept: its end (LiveKit's room_finished; the scheduled end
# when LiveKit never reported one) plus the entity's retention. Never while the meeting is on.
_EXPIRED_ROOMS = """
SELECT r.id FROM rooms r JOIN entities e ON e.id = r.entity_id
 WHERE r.status <> 'ACTIVE'
   AND COALESCE(r.ended_at, r.scheduled_end) + make_interval(days => e.recording_retention_days) <= now()
"""


@dataclass(frozen=True, slots=True)
class DueRecording:
    id: UUID
    room_id: UUID
    s3_key: str | None  # None: the egress failed, no object was written


class RetentionRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def due_recordings(self, limit: int) -> list[DueRecording]:
        """Recordings at or past purge_at, oldest first; rows another run holds are skipped."""
        return many(self.conn, DueRecording,
                    """SELECT id, room_id, s3_key FROM recordings
                        WHERE purge_at <= now() ORDER BY purge_at, id LIMIT %s
                          FOR UPDATE SKIP LOCKED""", (limit,))

    def delete_recordings(self, ids: list[UUID]) -> int:
        return self.conn.execute("DELETE FROM recordings WHERE id = ANY(%s)", (ids,)).rowcount

    def delete_expired_transcript_segments(self, limit: int) -> int:
        return self.conn.execute(
            f"""DELETE FROM transcript_segments WHERE id IN (
                    SELECT ts.id FROM transcript_segments ts
                     WHERE ts.room_id IN ({_EXPIRED_ROOMS}) LIMIT %s)""", (limit,)).rowcount

    def delete_expired_summaries(self, limit: int) -> int:
        return self.conn.execute(
            f"""DELETE FROM meeting_summaries WHERE room_id IN (
                    SELECT ms.room_id FROM meeting_summaries ms
                     WHERE ms.room_id IN ({_EXPIRED_ROOMS}) LIMIT %s)""", (limit,)).rowcount
