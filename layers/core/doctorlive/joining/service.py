"""Rules for joining a meeting. No HTTP here.

1. **Preview** (public): anyone holding a magic link sees what it is for (title, times,
   organiser, status) and the name it was sent to; nothing else.
2. **Validate**: link + 8-digit password → a 10-minute join token. Brute force is bounded three
   ways: 5 wrong passwords lock the link for 15 minutes (the attempt is reserved and committed
   before bcrypt runs, so concurrent guesses cannot overshoot); 30 failures per client IP in 15
   minutes, across links; and bcrypt itself. An unknown link and a wrong password get the same
   401 after the same bcrypt work. An expired link is a 410, a cancelled or finished meeting a
   409, each with words a participant understands. A meeting LiveKit closed because everyone
   left is only interrupted until its scheduled end: its participants may come back.
3. **Join**: join token → a place in the room (capacity checked under the room's row lock) and
   LiveKit credentials; the LiveKit room is made (or found) with the meeting's limits.
"""
from __future__ import annotations

import hmac
import json
from typing import Protocol
from uuid import UUID

from doctorlive.auth import passwords
from doctorlive.auth.digests import hash_token
from doctorlive.errors import (
    Conflict,
    Gone,
    NotFound,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
)
from doctorlive.joining.models import (
    InvitedName,
    MagicLinkPreview,
    MagicLinkValidation,
    ParticipantRef,
    RoomJoin,
    RoomSummary,
)
from doctorlive.joining.repo import Invitation, JoinRepo, enterable
from doctorlive.joining.tokens import JoinClaims, issue_join_token, link_fingerprint, livekit_token
from doctorlive.livekit.dispatch import AgentDispatch
from doctorlive.livekit.egress import RecordingTarget, recording_target
from doctorlive.observability import MAGIC_LINK_LOCKS, count, logger
from doctorlive.ratelimit import Limit
from doctorlive.settings import get_settings

INVALID_CREDENTIALS = "The link or the password is not right. Check the invitation and try again."
LINK_NOT_FOUND = "This invitation link does not exist. Check that you copied all of it."
LINK_EXPIRED = "This invitation link has expired. Ask the organiser for a new one."
ROOM_CANCELLED = "This meeting was cancelled by the organiser."
ROOM_FINISHED = "This meeting has already ended."
LINK_LOCKED = "Too many wrong passwords for this invitation. Wait a few minutes and try again."
IP_LOCKED = "Too many failed attempts from your network. Wait a few minutes and try again."


class Limiter(Protocol):
    def reserve(self, bucket: str, limit: Limit, message: str | None = None) -> None: ...


class MeetingServer(Protocol):
    """The LiveKit wrapper (doctorlive.livekit.client.RoomService) as joining uses it."""
    configured: bool

    def create_room(self, name: str, *, max_participants: int = 0, empty_timeout: int | None = None,
                    metadata: str = "", agents: list[AgentDispatch] = (),
                    recording: RecordingTarget | None = None): ...


# ---- what a person may know about an invitation ---------------------------------------------

def _status_for_participants(status: str, past_end: bool) -> str:
    """An interrupted meeting (see repo.enterable) is still on for its participants."""
    return "ACTIVE" if status == "COMPLETED" and enterable(status, past_end) else status


def _summary(inv: Invitation) -> RoomSummary:
    return RoomSummary(id=inv.room_id, title=inv.title, description=inv.description,
                       scheduled_start=inv.scheduled_start, scheduled_end=inv.scheduled_end,
                       status=_status_for_participants(inv.status, inv.past_end),
                       organizer_name=inv.organizer_name, entity_name=inv.entity_name,
                       recorded=inv.recorded)


def _closed(status: str, past_end: bool, *, keep_changes: bool = False) -> Conflict | None:
    """The 409 of a meeting nobody can enter any more, or None while it is open."""
    if status == "CANCELLED":
        return Conflict(ROOM_CANCELLED, code="room_cancelled", keep_changes=keep_changes)
    if not enterable(status, past_end):
        return Conflict(ROOM_FINISHED, code="room_finished", keep_changes=keep_changes)
    return None


def _lookup(repo: JoinRepo, token: str) -> tuple[str, Invitation | None]:
    token_hash = hash_token(token)
    inv = repo.invitation_by_token_hash(token_hash)
    # The database matched by equality; compare again in constant time before trusting the row.
    if inv is not None and not hmac.compare_digest(inv.magic_token_hash or "", token_hash):
        inv = None
    return token_hash, inv


def preview(repo: JoinRepo, token: str) -> MagicLinkPreview:
    """A cancelled or finished meeting is shown with its status (the site says so); an expired
    link of a meeting still open is a 410."""
    _, inv = _lookup(repo, token)
    if inv is None:
        raise NotFound(LINK_NOT_FOUND)
    if enterable(inv.status, inv.past_end) and inv.expired:
        raise Gone(LINK_EXPIRED, code="link_expired")
    return MagicLinkPreview(room=_summary(inv),
                            participant=InvitedName(name=inv.participant_name))


# ---- magic link + password ------------------------------------------------------------------

def ip_bucket(ip: str | None) -> str:
    return f"magic-link:{ip or '-'}"


def validate(repo: JoinRepo, limiter: Limiter, token: str, password: str,
             ip: str | None) -> MagicLinkValidation:
    s = get_settings()
    bucket = ip_bucket(ip)
    # First on the connection: the hit is committed before anything else happens. Requests that
    # turn out not to be failures give their hit back (forget_one_hit) below.
    try:
        limiter.reserve(bucket, Limit(s.magic_link_ip_max_failures, s.magic_link_ip_window_seconds))
    except TooManyRequests as exc:
        logger.warning("magic-link validation limited by IP", extra={"ip": ip})
        raise TooManyRequests(exc.retry_after, IP_LOCKED, code="too_many_attempts") from None

    token_hash, inv = _lookup(repo, token)
    if inv is None or not inv.password_hash:
        passwords.verify_password(password, None)  # the same bcrypt work as a real check
        raise Unauthorized(INVALID_CREDENTIALS, code="invalid_credentials")

    # Knowing the link already tells these (the preview is public): no attempt is spent on them.
    closed = _closed(inv.status, inv.past_end, keep_changes=True)
    if closed or inv.expired:
        repo.forget_one_hit(bucket)
        raise closed or Gone(LINK_EXPIRED, code="link_expired", keep_changes=True)

    rp_id = inv.room_participant_id
    attempt = repo.reserve_attempt(rp_id, s.magic_link_max_failures, s.magic_link_lock_seconds)
    if attempt is None:
        raise TooManyRequests(repo.lock_seconds_left(rp_id), LINK_LOCKED, code="too_many_attempts")
    if not passwords.verify_password(password, inv.password_hash):
        where = {"room_id": str(inv.room_id), "participant_id": str(inv.participant_id)}
        logger.info("wrong magic-link password", extra=where)
        if attempt.locked_until is not None:  # this failure locked the link
            count(MAGIC_LINK_LOCKS)
            logger.warning("magic link locked", extra={**where, "failed_attempts": attempt.failed_attempts})
        raise Unauthorized(INVALID_CREDENTIALS, code="invalid_credentials")

    repo.clear_attempts(rp_id)
    repo.forget_one_hit(bucket)
    return MagicLinkValidation(
        room=_summary(inv),
        participant=ParticipantRef(id=inv.participant_id, name=inv.participant_name),
        join_token=issue_join_token(inv.room_id, inv.participant_id, token_hash),
        expires_in=s.join_token_ttl_seconds,
    )


# ---- into the room ----------------------------------------------------------------------------

def join(repo: JoinRepo, livekit: MeetingServer, claims: JoinClaims, room_id: UUID) -> RoomJoin:
    from doctorlive.livekit.client import LiveKitError, participant_identity, room_name

    if claims.room_id != room_id:
        raise Unauthorized("This join token is for another meeting", code="invalid_token")
    inv = repo.invitation_of(room_id, claims.participant_id)
    if inv is None or not hmac.compare_digest(link_fingerprint(inv.magic_token_hash or ""),
                                              claims.link_fingerprint):
        # The invitation was re-sent (new link and password) or removed since the password check.
        raise Unauthorized("This invitation is no longer valid; open the newest invitation and "
                           "enter its password", code="invalid_token")
    if closed := _closed(inv.status, inv.past_end):
        raise closed
    if inv.expired:
        raise Gone(LINK_EXPIRED, code="link_expired")

    name = room_name(room_id)
    s = get_settings()
    if not livekit.configured:
        raise ServiceUnavailable("The meeting server is not configured",
                                 code="livekit_not_configured")
    try:
        # Every join, not only the first: LiveKit closes a room that stayed empty, and a room it
        # re-creates on its own would lack our participant limit.
        # The assistant rides on the room: LiveKit dispatches it when it creates the room, so it
        # joins without webhooks, and a room that already exists is not dispatched again.
        metadata = {"room_id": str(room_id), "entity_id": str(inv.entity_id)}
        agents = [AgentDispatch(s.agent_name, json.dumps({"room_id": str(room_id)}))] \
            if inv.assistant_enabled else []
        # So is the recording (when the entity records and the meeting did not turn it off):
        # LiveKit starts the room-composite egress as it creates the room.
        recording = recording_target(inv.entity_id, room_id) if inv.recorded else None
        livekit.create_room(name, max_participants=inv.max_participants, metadata=json.dumps(metadata),
                            agents=agents, recording=recording)
    except LiveKitError as exc:
        logger.warning("LiveKit room could not be created",
                       extra={"room_id": str(room_id), "error": str(exc)})
        raise ServiceUnavailable("The meeting server cannot be reached right now. "
                                 "Try again in a moment.", code="livekit_unavailable") from exc

    admission = repo.admit(room_id, inv.room_participant_id)
    if not admission.admitted:
        if closed := _closed(admission.status, admission.past_end):
            raise closed
        raise Conflict(f"This meeting is full: it admits {inv.max_participants} participants.",
                       {"max_participants": inv.max_participants}, code="room_full")

    identity = participant_identity(claims.participant_id)
    logger.info("participant admitted", extra={
        "room_id": str(room_id), "participant_id": str(claims.participant_id),
        "first_join": admission.first_join, "joined_count": admission.joined_count})
    return RoomJoin(
        recorded=inv.recorded,
        livekit_url=s.livekit_public_url or s.livekit_url,
        livekit_token=livekit_token(
            room_name=name, identity=identity, name=inv.participant_name,
            metadata={"type": inv.participant_type, "participant_id": str(claims.participant_id),
                      "room_id": str(room_id)}),
        room_name=name,
        participant_identity=identity,
    )
