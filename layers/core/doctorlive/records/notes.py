"""The organiser gets the assistant's notes by e-mail, once per meeting.

Called by the meeting assistant right after it saved the summary (same transaction): the
summary row is claimed for the notes (meeting_summaries.notes_notification_id), a queued
`meeting_notes` notification is added, and the outbox commits and publishes it to the
notifications topic, the invitations' path (SNS → notify-email → SMTP/SES). A summary written
again (a retried close, a second session) finds the claim and sends nothing. The summary and
action items travel sealed, like invitation passwords; the transcript is never in the message.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

import psycopg

from doctorlive import db
from doctorlive.notifications.models import Channel, Kind, Notes, Notification, Secret
from doctorlive.notifications.outbox import Outbox, Publisher
from doctorlive.notifications.sealing import seal
from doctorlive.observability import logger
from doctorlive.rooms.service import meeting_of
from doctorlive.settings import get_settings
from doctorlive.sqlutil import one

_ROOM = """
SELECT r.id, r.entity_id, r.organizer_id, u.name AS organizer_name, u.email AS organizer_email,
       u.active AS organizer_active, e.name AS entity_name, e.locale, r.title, r.description,
       r.scheduled_start, r.scheduled_end, r.timezone, r.ics_sequence,
       s.summary, s.action_items, s.notes_notification_id
  FROM meeting_summaries s
  JOIN rooms r ON r.id = s.room_id
  JOIN users u ON u.id = r.organizer_id
  JOIN entities e ON e.id = r.entity_id
 WHERE s.room_id = %s
"""


@dataclass(frozen=True, slots=True)
class SummarisedRoom:
    """A room with its summary, as the notes e-mail needs them (rooms.service.MeetingFacts)."""
    id: UUID
    entity_id: UUID
    organizer_id: UUID
    organizer_name: str
    organizer_email: str
    organizer_active: bool
    entity_name: str
    locale: str
    title: str
    description: str | None
    scheduled_start: datetime
    scheduled_end: datetime
    timezone: str
    ics_sequence: int
    summary: str
    action_items: list
    notes_notification_id: UUID | None


def meeting_link(room_id: UUID) -> str:
    return f"{get_settings().admin_site_url.rstrip('/')}/meetings/{room_id}"


def send_notes(room_id: UUID, publisher: Publisher | None = None) -> UUID | None:
    """Queue and publish the notes e-mail to the meeting's organiser; the notification id, or
    None when it was already sent (or there is no summary, or the organiser is inactive).
    Its own connection, not a `db.transaction()`: the outbox commits before it publishes."""
    with db.pool().connection() as conn:
        return _send(conn, room_id, publisher)


def _send(conn: psycopg.Connection, room_id: UUID, publisher: Publisher | None) -> UUID | None:
    # The summary row's lock makes a concurrent second call wait, then see the first's claim.
    room = one(conn, SummarisedRoom, _ROOM + " FOR UPDATE OF s", (room_id,))
    if room is None:
        return None
    if room.notes_notification_id is not None:
        logger.info("meeting notes already sent", extra={"room_id": str(room_id)})
        return None
    if not room.organizer_active:
        logger.info("meeting notes not sent: the organiser is inactive", extra={"room_id": str(room_id)})
        return None
    nid = uuid4()
    secret = Secret(link=meeting_link(room_id),
                    notes=Notes(summary=room.summary, action_items=[str(a) for a in room.action_items]))
    outbox = Outbox(conn, publisher)
    outbox.add(Notification(notification_id=nid, kind=Kind.MEETING_NOTES, channel=Channel.EMAIL,
                            locale=room.locale, recipient_name=room.organizer_name,
                            email=room.organizer_email, meeting=meeting_of(room),
                            entity_name=room.entity_name, sealed=seal(secret, nid)),
               entity_id=room.entity_id, user_id=room.organizer_id)
    conn.execute("UPDATE meeting_summaries SET notes_notification_id = %s WHERE room_id = %s", (nid, room_id))
    outbox.flush()
    logger.info("meeting notes queued", extra={"room_id": str(room_id), "notification_id": str(nid)})
    return nid
