"""LiveKit webhooks: verify the signature and turn the event into plain data.

LiveKit signs each webhook with a JWT (HS256, the API secret) in the Authorization header whose
`sha256` claim is the base64 SHA-256 of the body; `WebhookReceiver(TokenVerifier(key, secret))`
checks both. Anything that does not verify is a 401.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from doctorlive.errors import Unauthorized
from doctorlive.settings import get_settings


@dataclass(frozen=True)
class Egress:
    egress_id: str
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    location: str | None            # the file's URL as LiveKit reports it
    filename: str | None            # the object key it wrote
    duration_seconds: int | None
    size_bytes: int | None
    error: str | None


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    created_at: datetime
    room_name: str = ""
    room_sid: str = ""
    participant_identity: str = ""
    participant_name: str = ""
    participant_sid: str = ""
    participant_joined_at: datetime | None = None
    egress: Egress | None = None
    data: dict = field(default_factory=dict)  # what room_events.event_data keeps


def _ts(seconds: float) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


def verify(body: str, authorization: str | None) -> WebhookEvent:
    s = get_settings()
    secret = s.livekit_api_secret.get_secret_value()
    if not s.livekit_api_key or not secret:
        raise Unauthorized("LiveKit webhooks are not configured", code="invalid_signature")
    token = (authorization or "").strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    if not token:
        raise Unauthorized("Missing webhook signature", code="invalid_signature")
    from livekit.api import TokenVerifier, WebhookReceiver

    try:
        event = WebhookReceiver(TokenVerifier(s.livekit_api_key, secret)).receive(body, token)
    except Exception as exc:  # bad JWT, wrong key, hash mismatch, unparsable body
        raise Unauthorized("Invalid webhook signature", code="invalid_signature") from exc
    return _plain(event)


def _plain(ev) -> WebhookEvent:
    created = _ts(ev.created_at) or datetime.now(UTC)
    data: dict = {"room": {"name": ev.room.name, "sid": ev.room.sid}} if ev.HasField("room") else {}
    identity = name = sid = ""
    joined = None
    if ev.HasField("participant"):
        p = ev.participant
        identity, name, sid = p.identity, p.name, p.sid
        joined = _ts(p.joined_at_ms / 1000) if p.joined_at_ms else _ts(p.joined_at)
        data["participant"] = {"identity": identity, "name": name, "sid": sid,
                               "joined_at": joined.isoformat() if joined else None}
    egress = None
    room_name = ev.room.name if ev.HasField("room") else ""
    if ev.HasField("egress_info"):
        e = ev.egress_info
        room_name = room_name or e.room_name
        f = e.file_results[0] if e.file_results else (e.file if e.HasField("file") else None)
        from livekit.protocol.egress import EgressStatus

        egress = Egress(
            egress_id=e.egress_id, status=EgressStatus.Name(e.status),
            started_at=_ts(e.started_at / 1e9), ended_at=_ts(e.ended_at / 1e9),
            location=(f.location or f.filename) if f else None, filename=f.filename if f else None,
            duration_seconds=round(f.duration / 1e9) if f and f.duration else None,
            size_bytes=f.size if f and f.size else None, error=e.error or None)
        data["egress"] = {"egress_id": egress.egress_id, "status": egress.status,
                          "location": egress.location, "error": egress.error}
    return WebhookEvent(id=ev.id, type=ev.event, created_at=created, room_name=room_name,
                        room_sid=ev.room.sid if ev.HasField("room") else "",
                        participant_identity=identity, participant_name=name, participant_sid=sid,
                        participant_joined_at=joined, egress=egress, data=data)
