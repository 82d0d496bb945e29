"""SQL for joining: an invitation by its token hash, the attempt counter of a magic link, and
admission into a room. Times are compared with the database clock (now()), never the caller's."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import psycopg

from doctorlive.sqlutil import one

_INVITATION = """
SELECT rp.id AS room_participant_id, rp.magic_token_hash, rp.password_hash,
       COALESCE(rp.token_expires_at <= now(), false) AS expired,
       COALESCE(rp.locked_until > now(), false) AS locked,
       ceil(extract(epoch FROM rp.locked_until - now()))::int AS lock_seconds_left,
       p.id AS participant_id, p.name AS participant_name, p.type::text AS participant_type,
       r.id AS room_id, r.entity_id, r.title, r.description, r.scheduled_start, r.scheduled_end,
       r.status::text AS status, r.scheduled_end <= now() AS past_end, r.max_participants,
       r.livekit_room_name, u.name AS organizer_name, e.name AS entity_name,
       (r.assistant_enabled AND e.assistant_enabled) AS assistant_enabled,
       (r.record AND e.record_meetings) AS recorded
  FROM room_participants rp
  JOIN participants p ON p.id = rp.participant_id
  JOIN rooms r ON r.id = rp.room_id
  JOIN users u ON u.id = r.organizer_id
  JOIN entities e ON e.id = r.entity_id
"""

OPEN_STATUSES = ("SCHEDULED", "ACTIVE")


def enterable(status: str, past_end: bool) -> bool:
    """Whether participants may (re-)enter a meeting. LiveKit closes a room shortly after its
    last participant leaves and the webhook then marks the meeting COMPLETED; until its scheduled
    end such a meeting is only interrupted (a dropped call, someone who came early and left),
    so its participants can still come back. A cancelled meeting is closed for good."""
    return status in OPEN_STATUSES or (status == "COMPLETED" and not past_end)


@dataclass(frozen=True, slots=True)
class Invitation:
    """One invitation as _INVITATION reads it: the link's secrets and state (by the database
    clock), the participant it was sent to, and what joining needs of its room and entity."""
    room_participant_id: UUID
    magic_token_hash: str | None
    password_hash: str | None
    expired: bool
    locked: bool
    lock_seconds_left: int | None
    participant_id: UUID
    participant_name: str
    participant_type: str
    room_id: UUID
    entity_id: UUID
    title: str
    description: str | None
    scheduled_start: datetime
    scheduled_end: datetime
    status: str
    past_end: bool
    max_participants: int
    livekit_room_name: str | None
    organizer_name: str
    entity_name: str
    assistant_enabled: bool  # the room's and its entity's
    recorded: bool           # the room records and its entity records meetings


@dataclass(frozen=True, slots=True)
class Attempt:
    """A password attempt reserved on a magic link."""
    failed_attempts: int
    locked_until: datetime | None  # set by the attempt that reached the limit


@dataclass(frozen=True, slots=True)
class Admission:
    """The outcome of asking for a place in a room."""
    status: str           # the room's status at that moment
    past_end: bool        # its scheduled end has passed
    admitted: bool
    first_join: bool      # False for a participant coming back (no new place taken)
    joined_count: int     # distinct participants admitted so far


class JoinRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    # ---- invitations ---------------------------------------------------------------------------

    def invitation_by_token_hash(self, token_hash: str) -> Invitation | None:
        return one(self.conn, Invitation, f"{_INVITATION} WHERE rp.magic_token_hash = %s", (token_hash,))

    def invitation_of(self, room_id: UUID, participant_id: UUID) -> Invitation | None:
        return one(self.conn, Invitation, f"{_INVITATION} WHERE rp.room_id = %s AND rp.participant_id = %s",
                   (room_id, participant_id))

    # ---- the attempt counter of one magic link -------------------------------------------------

    def reserve_attempt(self, room_participant_id: UUID, max_failures: int,
                        lock_seconds: int) -> Attempt | None:
        """Count one password attempt *before* it is checked, and COMMIT at once.

        Returns the Attempt, or None when the link is locked. The row lock
        serialises concurrent guesses and the WHERE is re-checked against the latest row, so at
        most `max_failures` attempts get through per lock period however many arrive at once;
        committing before bcrypt runs keeps the count even if the request dies mid-check. The
        attempt that reaches the limit sets the lock; an expired lock starts a fresh count.
        """
        attempt = one(
            self.conn, Attempt,
            """
            UPDATE room_participants
               SET failed_attempts =
                       CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 END,
                   locked_until = CASE
                       WHEN (CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 END)
                            >= %(max)s
                       THEN now() + make_interval(secs => %(lock)s) END
             WHERE id = %(id)s AND (locked_until IS NULL OR locked_until <= now())
            RETURNING failed_attempts, locked_until
            """,
            {"id": room_participant_id, "max": max_failures, "lock": lock_seconds})
        self.conn.commit()
        return attempt

    def lock_seconds_left(self, room_participant_id: UUID) -> int:
        row = self.conn.execute(
            """SELECT ceil(extract(epoch FROM locked_until - now()))::int AS s
                 FROM room_participants WHERE id = %s""", (room_participant_id,)).fetchone()
        return max(1, (row or {}).get("s") or 1)

    def clear_attempts(self, room_participant_id: UUID) -> None:
        self.conn.execute(
            "UPDATE room_participants SET failed_attempts = 0, locked_until = NULL WHERE id = %s",
            (room_participant_id,))

    # ---- the per-IP failure bucket (doctorlive.ratelimit's table) ------------------------------

    def forget_one_hit(self, bucket: str) -> None:
        """Undo the hit a request reserved up front, when it turned out not to be a failure: the
        bucket counts failed validations only, so a clinic's shared IP is not locked out by its
        own participants joining."""
        self.conn.execute(
            """DELETE FROM rate_limit_hits
                WHERE id = (SELECT id FROM rate_limit_hits WHERE bucket = %s
                             ORDER BY hit_at DESC, id DESC LIMIT 1)""", (bucket,))

    # ---- admission -----------------------------------------------------------------------------

    def admit(self, room_id: UUID, room_participant_id: UUID) -> Admission:
        """A place in the room for this participant, decided under the room's row lock.

        Capacity counts distinct participants admitted (joined_at set): coming back (a reload, a
        second device, after a dropped connection) reuses one's place and never takes another.
        The count is read from room_participants under the lock, so it is exact whatever else
        writes rooms.actual_participants; that column is kept equal to it.
        """
        room = self.conn.execute(
            """SELECT status::text AS status, scheduled_end <= now() AS past_end, max_participants
                 FROM rooms WHERE id = %s FOR UPDATE""", (room_id,)).fetchone()
        joined_at = self.conn.execute("SELECT joined_at FROM room_participants WHERE id = %s",
                                      (room_participant_id,)).fetchone()["joined_at"]
        count = self.conn.execute(
            """SELECT count(*)::int AS n FROM room_participants
                WHERE room_id = %s AND joined_at IS NOT NULL""", (room_id,)).fetchone()["n"]
        status, past_end = room["status"], room["past_end"]
        if not enterable(status, past_end):
            return Admission(status, past_end, False, False, count)
        if joined_at is not None:
            return Admission(status, past_end, True, False, count)
        if count >= room["max_participants"]:
            return Admission(status, past_end, False, True, count)
        self.conn.execute("UPDATE room_participants SET joined_at = now() WHERE id = %s",
                          (room_participant_id,))
        self.conn.execute("UPDATE rooms SET actual_participants = %s WHERE id = %s",
                          (count + 1, room_id))
        return Admission(status, past_end, True, True, count + 1)
