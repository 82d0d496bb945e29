"""What LiveKit's webhook events do to rooms. Each event is applied once: its id is recorded in
room_events.source_event_id (unique) in the same transaction as its effects, so a redelivered
event changes nothing. Events of rooms that are not ours, and event types we do not use, are
logged and acknowledged (LiveKit would otherwise retry them)."""
from __future__ import annotations

from doctorlive.livekit.client import participant_id_of, room_id_of
from doctorlive.livekit.egress import object_key
from doctorlive.livekit.webhooks import WebhookEvent
from doctorlive.observability import logger
from doctorlive.rooms.repo import RoomRepo

HANDLED = frozenset({"room_started", "room_finished", "participant_joined", "participant_left",
                     "egress_started", "egress_ended"})


def apply(repo: RoomRepo, ev: WebhookEvent) -> str:
    """"applied", "duplicate" or "ignored"."""
    context = {"livekit_event": ev.type, "livekit_event_id": ev.id, "room_name": ev.room_name}
    if ev.type not in HANDLED:
        logger.info("livekit event ignored: type not used", extra=context)
        return "ignored"
    room_id = room_id_of(ev.room_name)
    if room_id is None or not repo.room_exists(room_id):
        logger.info("livekit event ignored: not one of our rooms", extra=context)
        return "ignored"
    if not repo.add_event(room_id, ev.type, ev.data, source_event_id=ev.id, occurred_at=ev.created_at):
        logger.info("livekit event already applied", extra=context)
        return "duplicate"
    at = ev.created_at
    match ev.type:
        case "room_started":
            repo.room_started(room_id, at)
        case "room_finished":
            repo.room_finished(room_id, at)
        case "participant_joined" | "participant_left":
            participant_id = participant_id_of(ev.participant_identity)
            if participant_id is None:  # the AI agent or another non-invited identity
                logger.info("livekit participant is not an invited participant", extra=context)
            elif ev.type == "participant_joined":
                repo.participant_joined(room_id, participant_id, ev.participant_joined_at or at)
            else:
                repo.participant_left(room_id, participant_id, at, ev.participant_joined_at)
        case "egress_started":
            pass  # kept in room_events: when recording began
        case "egress_ended":
            e = ev.egress
            key = object_key(e.filename, e.location) if e else None
            if e is None or e.status != "EGRESS_COMPLETE" or not key:
                logger.warning("recording ended without a file", extra={**context, "egress": ev.data.get("egress")})
            else:
                # s3_key is the object's key in the recordings bucket (what the retention job
                # deletes and a download signs); LiveKit's URL stays in the metadata.
                repo.recording_ended(room_id, e.egress_id, key, e.duration_seconds, e.size_bytes,
                                     e.started_at, e.ended_at, {"status": e.status, "location": e.location})
    logger.info("livekit event applied", extra=context)
    return "applied"
