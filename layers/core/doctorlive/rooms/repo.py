"""SQL for rooms, their participants and their events. Reads go through the tenant scope plus the
organiser rule (a PROFESSIONAL sees the rooms it organises; see service.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

import psycopg

from doctorlive.pagination import PageParams
from doctorlive.sqlutil import fetch_page, many, one
from doctorlive.tenancy import Principal, Role

if TYPE_CHECKING:  # the records routes use this repo without the rooms models (cold start)
    from doctorlive.rooms.models import RoomFilters


@dataclass(frozen=True, slots=True)
class RoomRecord:
    """A room as _ROOM reads it: its row, its organiser and entity's names, its participant count."""
    id: UUID
    entity_id: UUID
    department_id: UUID | None
    organizer_id: UUID
    organizer_name: str
    organizer_email: str
    entity_name: str
    locale: str
    title: str
    description: str | None
    scheduled_start: datetime
    scheduled_end: datetime
    timezone: str
    custom_instructions: str | None
    max_participants: int
    assistant_enabled: bool
    record: bool
    status: str
    livekit_room_name: str | None
    actual_participants: int
    started_at: datetime | None
    ended_at: datetime | None
    cancelled_at: datetime | None
    ics_sequence: int
    created_at: datetime
    updated_at: datetime
    participant_count: int


@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    """A participant of one room (`id`: the participant, `room_participant_id`: its invitation)."""
    id: UUID
    room_participant_id: UUID
    name: str
    email: str | None
    phone: str | None
    email_status: str | None
    whatsapp_status: str | None
    joined_at: datetime | None
    left_at: datetime | None
    duration_seconds: int | None
    token_expires_at: datetime | None
    locked_until: datetime | None
    invited_at: datetime


@dataclass(frozen=True, slots=True)
class RoomEntity:
    """What scheduling needs of the entity a room is in."""
    id: UUID
    name: str
    max_participants: int
    locale: str
    timezone: str
    active: bool
    assistant_enabled: bool
    record_meetings: bool


@dataclass(frozen=True, slots=True)
class Invited:
    participant_id: UUID
    room_participant_id: UUID

_ROOM = """
SELECT r.id, r.entity_id, r.department_id, r.organizer_id, u.name AS organizer_name,
       u.email AS organizer_email, e.name AS entity_name, e.locale,
       r.title, r.description, r.scheduled_start, r.scheduled_end, r.timezone,
       r.custom_instructions, r.max_participants, r.assistant_enabled,
       (r.record AND e.record_meetings) AS record, r.status::text AS status, r.livekit_room_name,
       r.actual_participants, r.started_at, r.ended_at, r.cancelled_at, r.ics_sequence,
       r.created_at, r.updated_at,
       (SELECT count(*) FROM room_participants rp WHERE rp.room_id = r.id)::int AS participant_count
  FROM rooms r
  JOIN users u ON u.id = r.organizer_id
  JOIN entities e ON e.id = r.entity_id
"""

_PARTICIPANT = """
SELECT p.id, rp.id AS room_participant_id, p.name, p.email, p.phone,
       rp.email_status::text AS email_status, rp.whatsapp_status::text AS whatsapp_status,
       rp.joined_at, rp.left_at, rp.duration_seconds, rp.token_expires_at, rp.locked_until,
       rp.created_at AS invited_at
  FROM room_participants rp
  JOIN participants p ON p.id = rp.participant_id
"""


def visible(who: Principal) -> tuple[str, dict]:
    """MANAGER: every room; ENTITY_ADMIN: its entity's; PROFESSIONAL: those it organises."""
    where, params = who.scope.where("r.entity_id")
    if who.role is Role.PROFESSIONAL:
        return f"{where} AND r.organizer_id = %(scope_user_id)s", {**params, "scope_user_id": who.user_id}
    return where, params


class RoomRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    # ---- what a room refers to -----------------------------------------------------------------

    def entity(self, who: Principal, entity_id: UUID) -> RoomEntity | None:
        where, params = who.scope.where("e.id")
        return one(self.conn, RoomEntity,
                   f"""SELECT e.id, e.name, e.max_participants, e.locale, e.timezone, e.active, e.assistant_enabled,
                          e.record_meetings
                         FROM entities e WHERE e.id = %(id)s AND {where}""", {**params, "id": entity_id})

    def department_active(self, entity_id: UUID, department_id: UUID) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM departments WHERE id = %s AND entity_id = %s AND active",
            (department_id, entity_id)).fetchone() is not None

    # ---- rooms ---------------------------------------------------------------------------------

    def create(self, data: dict) -> UUID:
        row = self.conn.execute(
            """INSERT INTO rooms (entity_id, department_id, organizer_id, title, description,
                                  scheduled_start, scheduled_end, timezone, custom_instructions,
                                  max_participants, assistant_enabled, record)
               VALUES (%(entity_id)s, %(department_id)s, %(organizer_id)s, %(title)s, %(description)s,
                       %(scheduled_start)s, %(scheduled_end)s, %(timezone)s, %(custom_instructions)s,
                       %(max_participants)s, %(assistant_enabled)s, %(record)s)
               RETURNING id""", data).fetchone()
        self.conn.execute("UPDATE rooms SET livekit_room_name = %s WHERE id = %s",
                          (f"room_{row['id']}", row["id"]))
        return row["id"]

    def get(self, who: Principal, room_id: UUID, *, lock: bool = False) -> RoomRecord | None:
        where, params = visible(who)
        return one(self.conn, RoomRecord,
                   f"{_ROOM} WHERE r.id = %(id)s AND {where}{' FOR UPDATE OF r' if lock else ''}",
                   {**params, "id": room_id})

    def list(self, who: Principal, f: RoomFilters, paging: PageParams) -> tuple[list[RoomRecord], int]:
        where, params = visible(who)
        conds = [where]
        if f.status:
            conds.append("r.status = %(status)s")
            params["status"] = f.status
        if f.start_from:
            conds.append("r.scheduled_start >= %(start_from)s")
            params["start_from"] = f.start_from
        if f.start_to:
            conds.append("r.scheduled_start < %(start_to)s")
            params["start_to"] = f.start_to
        if f.entity_id:
            conds.append("r.entity_id = %(entity_id)s")
            params["entity_id"] = f.entity_id
        return fetch_page(self.conn, select=_ROOM, table="rooms r", where=" AND ".join(conds),
                          params=params, order_by="r.scheduled_start ASC, r.id" if f.order == "asc" else "r.scheduled_start DESC, r.id",
                          limit=paging.limit, offset=paging.offset, record=RoomRecord)

    def cancel(self, room_id: UUID) -> None:
        """CANCELLED, the calendar SEQUENCE raised, every magic link expired now."""
        self.conn.execute(
            """UPDATE rooms SET status = 'CANCELLED', cancelled_at = now(), ics_sequence = ics_sequence + 1
                WHERE id = %s""", (room_id,))
        self.conn.execute(
            """UPDATE room_participants SET token_expires_at = LEAST(token_expires_at, now())
                WHERE room_id = %s""", (room_id,))

    # ---- participants ----------------------------------------------------------------------------

    def participants(self, room_id: UUID) -> list[ParticipantRecord]:
        return many(self.conn, ParticipantRecord,
                    f"{_PARTICIPANT} WHERE rp.room_id = %s ORDER BY rp.created_at, p.name", (room_id,))

    def participant(self, room_id: UUID, participant_id: UUID) -> ParticipantRecord | None:
        return one(self.conn, ParticipantRecord, f"{_PARTICIPANT} WHERE rp.room_id = %s AND p.id = %s",
                   (room_id, participant_id))

    def add_participant(self, room_id: UUID, name: str, email: str | None, phone: str | None,
                        token_hash: str, password_hash: str, expires_at: datetime) -> Invited:
        """A participant row per invitation (not shared across rooms or entities), identity
        participant_{id}."""
        p = self.conn.execute(
            """INSERT INTO participants (name, email, phone) VALUES (%s, %s, %s) RETURNING id""",
            (name, email, phone)).fetchone()
        self.conn.execute("UPDATE participants SET livekit_identity = %s WHERE id = %s",
                          (f"participant_{p['id']}", p["id"]))
        rp = self.conn.execute(
            """INSERT INTO room_participants (room_id, participant_id, magic_token_hash, password_hash,
                                              token_expires_at)
               VALUES (%s, %s, %s, %s, %s) RETURNING id""",
            (room_id, p["id"], token_hash, password_hash, expires_at)).fetchone()
        return Invited(participant_id=p["id"], room_participant_id=rp["id"])

    def replace_credentials(self, room_participant_id: UUID, token_hash: str, password_hash: str,
                            expires_at: datetime) -> None:
        """A resend: new link and password; the old ones stop working, the lock is lifted."""
        self.conn.execute(
            """UPDATE room_participants
                  SET magic_token_hash = %s, password_hash = %s, token_expires_at = %s,
                      failed_attempts = 0, locked_until = NULL
                WHERE id = %s""", (token_hash, password_hash, expires_at, room_participant_id))

    # ---- what LiveKit reports ------------------------------------------------------------------

    def room_exists(self, room_id: UUID) -> bool:
        return self.conn.execute("SELECT 1 FROM rooms WHERE id = %s", (room_id,)).fetchone() is not None

    def add_event(self, room_id: UUID, event_type: str, data: dict, *, source_event_id: str | None = None,
                  occurred_at: datetime | None = None) -> bool:
        """False when an event with this source id was already recorded (a redelivery)."""
        from psycopg.types.json import Jsonb

        row = self.conn.execute(
            """INSERT INTO room_events (room_id, event_type, event_data, source_event_id, occurred_at)
               VALUES (%s, %s, %s, %s, COALESCE(%s, now()))
               ON CONFLICT (source_event_id) DO NOTHING RETURNING id""",
            (room_id, event_type, Jsonb(data), source_event_id or None, occurred_at)).fetchone()
        return row is not None

    def room_started(self, room_id: UUID, at: datetime) -> None:
        # Not a cancelled room; a completed one only if this start is later than its end
        # (people came back after it emptied), not a late delivery of the first start.
        self.conn.execute(
            """UPDATE rooms SET status = 'ACTIVE', started_at = COALESCE(started_at, %(at)s), ended_at = NULL
                WHERE id = %(id)s
                  AND (status = 'SCHEDULED' OR (status = 'COMPLETED' AND ended_at < %(at)s))""",
            {"id": room_id, "at": at})

    def room_finished(self, room_id: UUID, at: datetime) -> None:
        self.conn.execute(
            """UPDATE rooms SET status = 'COMPLETED', ended_at = %(at)s,
                                started_at = COALESCE(started_at, %(at)s)
                WHERE id = %(id)s AND status IN ('SCHEDULED', 'ACTIVE')""", {"id": room_id, "at": at})

    def participant_joined(self, room_id: UUID, participant_id: UUID, at: datetime) -> None:
        self.conn.execute(
            """UPDATE room_participants SET joined_at = LEAST(COALESCE(joined_at, %(at)s), %(at)s)
                WHERE room_id = %(room)s AND participant_id = %(pid)s""",
            {"room": room_id, "pid": participant_id, "at": at})
        self.conn.execute(
            """UPDATE rooms SET actual_participants =
                   (SELECT count(*) FROM room_participants WHERE room_id = %(room)s AND joined_at IS NOT NULL)
                WHERE id = %(room)s""", {"room": room_id})

    def participant_left(self, room_id: UUID, participant_id: UUID, at: datetime,
                         session_joined_at: datetime | None) -> None:
        """Adds this session's length (from LiveKit's joined_at of the participant, else the
        first join we saw) to duration_seconds: a participant who rejoins accumulates time."""
        self.conn.execute(
            """UPDATE room_participants
                  SET left_at = GREATEST(COALESCE(left_at, %(at)s), %(at)s),
                      joined_at = COALESCE(joined_at, %(session)s),
                      duration_seconds = COALESCE(duration_seconds, 0) + GREATEST(0,
                          floor(extract(epoch FROM %(at)s - COALESCE(%(session)s, joined_at))))::int
                WHERE room_id = %(room)s AND participant_id = %(pid)s""",
            {"room": room_id, "pid": participant_id, "at": at, "session": session_joined_at})

    def recording_ended(self, room_id: UUID, egress_id: str, location: str | None,
                        duration_seconds: int | None, size_bytes: int | None,
                        started_at: datetime | None, ended_at: datetime | None, metadata: dict) -> None:
        """purge_at follows from the entity's retention (trigger recordings_set_purge_at)."""
        from psycopg.types.json import Jsonb

        self.conn.execute(
            """INSERT INTO recordings (room_id, livekit_egress_id, s3_key, duration_seconds,
                                       file_size_bytes, started_at, ended_at, metadata)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (livekit_egress_id) DO UPDATE
                  SET s3_key = EXCLUDED.s3_key, duration_seconds = EXCLUDED.duration_seconds,
                      file_size_bytes = EXCLUDED.file_size_bytes, started_at = EXCLUDED.started_at,
                      ended_at = EXCLUDED.ended_at, metadata = EXCLUDED.metadata""",
            (room_id, egress_id, location, duration_seconds, size_bytes, started_at, ended_at,
             Jsonb(metadata)))
