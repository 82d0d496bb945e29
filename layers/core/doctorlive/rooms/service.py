"""Rules for meetings: who organises, when a meeting may be, who is invited and told what.

Organisers: an ENTITY_ADMIN or a PROFESSIONAL schedules in its own entity; the platform MANAGER
in any entity it names explicitly (`entity_id`). Visibility: a PROFESSIONAL sees (and manages)
the rooms it organises, an ENTITY_ADMIN every room of its entity, the MANAGER all; anything else
is a 404. Each participant gets a magic link and an 8-digit password by every channel it has
(e-mail, WhatsApp); only hashes are stored and the plain values leave the API only sealed
inside the notification messages.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple, Protocol
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from doctorlive.errors import Conflict, NotFound, invalid
from doctorlive.notifications.models import Channel, Kind, Meeting, Notification, Secret
from doctorlive.notifications.outbox import Outbox
from doctorlive.notifications.sealing import seal
from doctorlive.observability import logger
from doctorlive.pagination import Page, PageParams
from doctorlive.rooms import credentials
from doctorlive.rooms.models import (
    ParticipantIn,
    ParticipantsAdd,
    Room,
    RoomCreate,
    RoomDetail,
    RoomFilters,
    RoomParticipant,
)
from doctorlive.rooms.repo import ParticipantRecord, RoomRecord, RoomRepo
from doctorlive.settings import get_settings
from doctorlive.tenancy import ORGANISERS, Principal

OPEN = ("SCHEDULED", "ACTIVE")
# Clock skew and form-filling time: a start this far in the past still counts as "now".
PAST_TOLERANCE = timedelta(minutes=2)


def check_schedule(start: datetime, end: datetime, tz: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Times with an offset are taken as given; local times are read in the meeting's zone.
    The end must follow the start, the start must not be past, and a meeting lasts at most
    settings.meeting_max_hours."""
    zone = ZoneInfo(tz)
    start = start if start.tzinfo else start.replace(tzinfo=zone)
    end = end if end.tzinfo else end.replace(tzinfo=zone)
    now = now or datetime.now(UTC)
    if end <= start:
        raise invalid("scheduled_end", "scheduled_end must be after scheduled_start", "time_order")
    if start < now - PAST_TOLERANCE:
        raise invalid("scheduled_start", "scheduled_start is in the past", "time_past")
    hours = get_settings().meeting_max_hours
    if end - start > timedelta(hours=hours):
        raise invalid("scheduled_end", f"a meeting lasts at most {hours} hours", "time_too_long")
    return start.astimezone(UTC), end.astimezone(UTC)


def _no_duplicates(people: list[ParticipantIn], existing: list[ParticipantRecord] = ()) -> None:
    taken = {(kind, getattr(row, kind)): "already invited" for row in existing for kind in ("email", "phone")
             if getattr(row, kind)}
    for i, p in enumerate(people):
        for kind, value in (("email", p.email), ("phone", p.phone)):
            if value is None:
                continue
            if (kind, value) in taken:
                raise invalid(f"participants.{i}.{kind}", f"{value} is {taken[kind, value]}", "duplicate")
            taken[kind, value] = "invited twice"


# ---- reading ----------------------------------------------------------------------------------

def _require_room(repo: RoomRepo, who: Principal, room_id: UUID, *, lock: bool = False) -> RoomRecord:
    who.scope.require_role(*ORGANISERS)
    room = repo.get(who, room_id, lock=lock)
    if room is None:
        raise NotFound("Room not found")
    return room


def _detail(repo: RoomRepo, room: RoomRecord) -> RoomDetail:
    return RoomDetail(**Room.model_validate(room, from_attributes=True).model_dump(),
                      participants=[_participant(p) for p in repo.participants(room.id)])


def _participant(p: ParticipantRecord) -> RoomParticipant:
    return RoomParticipant.model_validate(p, from_attributes=True)


def get_room(repo: RoomRepo, who: Principal, room_id: UUID) -> RoomDetail:
    return _detail(repo, _require_room(repo, who, room_id))


def list_rooms(repo: RoomRepo, who: Principal, filters: RoomFilters, paging: PageParams) -> Page[Room]:
    who.scope.require_role(*ORGANISERS)
    rows, total = repo.list(who, filters, paging)
    return Page[Room](items=[Room.model_validate(r, from_attributes=True) for r in rows], total=total,
                      page=paging.page, limit=paging.limit)


# ---- scheduling -------------------------------------------------------------------------------

def create_room(repo: RoomRepo, outbox: Outbox, who: Principal, data: RoomCreate,
                now: datetime | None = None) -> RoomDetail:
    who.scope.require_role(*ORGANISERS)
    entity_id = who.scope.target_entity(data.entity_id)
    entity = repo.entity(who, entity_id)
    if entity is None:
        raise NotFound("Entity not found")
    if not entity.active:
        raise Conflict("The entity is inactive")
    tz = data.timezone or entity.timezone
    start, end = check_schedule(data.scheduled_start, data.scheduled_end, tz, now)
    limit = entity.max_participants
    max_participants = data.max_participants or limit
    if max_participants > limit:
        raise invalid("max_participants", f"at most {limit} participants in this entity", "too_many")
    if len(data.participants) > max_participants:
        raise invalid("participants", f"{len(data.participants)} participants exceed the room's "
                                       f"limit of {max_participants}", "too_many")
    _no_duplicates(data.participants)
    if data.department_id and not repo.department_active(entity_id, data.department_id):
        raise invalid("department_id", "no active department with this id in the entity", "not_found")
    if data.record and not entity.record_meetings:
        raise invalid("record", "this entity does not record meetings (record_meetings is off)",
                       "recording_off")
    room_id = repo.create({
        "entity_id": entity_id, "department_id": data.department_id, "organizer_id": who.user_id,
        "title": data.title, "description": data.description, "scheduled_start": start,
        "scheduled_end": end, "timezone": tz, "custom_instructions": data.custom_instructions,
        "max_participants": max_participants,
        "assistant_enabled": entity.assistant_enabled if data.assistant_enabled is None
        else data.assistant_enabled,
        "record": entity.record_meetings if data.record is None else data.record,
    })
    room = repo.get(who, room_id)
    _invite(repo, outbox, room, data.participants)
    outbox.flush()
    logger.info("room scheduled", extra={"room_id": str(room_id), "participants": len(data.participants)})
    return _detail(repo, repo.get(who, room_id))


def add_participants(repo: RoomRepo, outbox: Outbox, who: Principal, room_id: UUID,
                     data: ParticipantsAdd) -> list[RoomParticipant]:
    room = _require_room(repo, who, room_id, lock=True)
    if room.status not in OPEN:
        raise Conflict(f"The meeting is {room.status.lower()}", code="room_closed")
    existing = repo.participants(room_id)
    if len(existing) + len(data.participants) > room.max_participants:
        raise invalid("participants", f"the room holds at most {room.max_participants} participants "
                                       f"and has {len(existing)}", "too_many")
    _no_duplicates(data.participants, existing)
    added = _invite(repo, outbox, room, data.participants)
    outbox.flush()
    return [_participant(repo.participant(room_id, pid)) for pid in added]


def resend_invitation(repo: RoomRepo, outbox: Outbox, who: Principal, room_id: UUID,
                      participant_id: UUID) -> RoomParticipant:
    """A new link and password (the old ones stop working), sent again by every channel."""
    room = _require_room(repo, who, room_id, lock=True)
    if room.status not in OPEN:
        raise Conflict(f"The meeting is {room.status.lower()}", code="room_closed")
    participant = repo.participant(room_id, participant_id)
    if participant is None:
        raise NotFound("Participant not found in this room")
    creds = credentials.issue(1)[0]
    repo.replace_credentials(participant.room_participant_id, creds.token_hash, creds.password_hash,
                             _link_expiry(room))
    _queue(outbox, room, participant, Kind.INVITATION, Secret(link=creds.link, password=creds.password))
    outbox.flush()
    return _participant(repo.participant(room_id, participant_id))


def cancel_room(repo: RoomRepo, outbox: Outbox, livekit, who: Principal, room_id: UUID) -> None:
    """CANCELLED, every participant told (calendar METHOD:CANCEL), the LiveKit room removed if it
    exists. Cancelling a cancelled meeting again changes nothing; a completed one cannot be."""
    room = _require_room(repo, who, room_id, lock=True)
    if room.status == "CANCELLED":
        return
    if room.status == "COMPLETED":
        raise Conflict("A completed meeting cannot be cancelled", code="room_closed")
    repo.cancel(room_id)
    repo.add_event(room_id, "cancelled", {"by": str(who.user_id)})
    room = repo.get(who, room_id)
    for participant in repo.participants(room_id):
        _queue(outbox, room, participant, Kind.CANCELLATION, None)
    outbox.flush()
    _remove_livekit_room(repo, livekit, room)


def _remove_livekit_room(repo: RoomRepo, livekit, room: RoomRecord) -> None:
    """The database is the truth (a cancelled room admits nobody); LiveKit is told so that
    anyone connected is disconnected. A LiveKit failure is recorded, not raised."""
    from doctorlive.livekit.client import LiveKitError

    if not livekit.configured:
        logger.info("LiveKit not configured; no room to remove", extra={"room_id": str(room.id)})
        return
    try:
        existed = livekit.delete_room(room.livekit_room_name)
    except LiveKitError as exc:
        logger.warning("could not remove the LiveKit room", extra={"room_id": str(room.id), "error": str(exc)})
        repo.add_event(room.id, "livekit_delete_failed", {"error": str(exc)[:500]})
        return
    repo.add_event(room.id, "livekit_room_deleted" if existed else "livekit_room_absent", {})


# ---- invitations ------------------------------------------------------------------------------

def _link_expiry(room: RoomRecord) -> datetime:
    return room.scheduled_end + timedelta(hours=get_settings().magic_link_valid_after_end_hours)


def _invite(repo: RoomRepo, outbox: Outbox, room: RoomRecord, people: list[ParticipantIn]) -> list[UUID]:
    expires = _link_expiry(room)
    added = []
    for person, creds in zip(people, credentials.issue(len(people)), strict=True):
        ids = repo.add_participant(room.id, person.name, person.email, person.phone,
                                   creds.token_hash, creds.password_hash, expires)
        recipient = Recipient(ids.room_participant_id, person.name, person.email, person.phone)
        _queue(outbox, room, recipient, Kind.INVITATION, Secret(link=creds.link, password=creds.password))
        added.append(ids.participant_id)
    return added


class MeetingFacts(Protocol):
    """What a message about a meeting says of it (a RoomRecord, or the notes' own read)."""
    id: UUID
    title: str
    description: str | None
    scheduled_start: datetime
    scheduled_end: datetime
    timezone: str
    organizer_name: str
    organizer_email: str
    entity_name: str
    ics_sequence: int


class Recipient(NamedTuple):
    """Who a message goes to (a ParticipantRecord has the same fields)."""
    room_participant_id: UUID
    name: str
    email: str | None
    phone: str | None


def meeting_of(room: MeetingFacts) -> Meeting:
    return Meeting(room_id=room.id, title=room.title, description=room.description,
                   start=room.scheduled_start, end=room.scheduled_end, timezone=room.timezone,
                   organizer_name=room.organizer_name, organizer_email=room.organizer_email,
                   entity_name=room.entity_name, ics_sequence=room.ics_sequence)


def _queue(outbox: Outbox, room: RoomRecord, participant: Recipient | ParticipantRecord, kind: Kind,
           secret: Secret | None) -> None:
    """One message per channel the participant has."""
    meeting = meeting_of(room)
    for channel, address in ((Channel.EMAIL, participant.email), (Channel.WHATSAPP, participant.phone)):
        if not address:
            continue
        nid = uuid4()
        message = Notification(
            notification_id=nid, kind=kind, channel=channel, locale=room.locale,
            recipient_name=participant.name, email=participant.email, phone=participant.phone,
            meeting=meeting, entity_name=room.entity_name,
            sealed=seal(secret, nid) if secret else None)
        outbox.add(message, entity_id=room.entity_id,
                   room_participant_id=participant.room_participant_id)
