"""Who may read a meeting's record, and what reading it leaves behind.

The rule is the rooms': MANAGER every meeting, ENTITY_ADMIN its entity's, a PROFESSIONAL the
meetings it organised; anything else is a 404 (participants have no account, so never). Reading
the transcript and issuing a recording's download URL are written to the meeting's room_events
(who, when, which recording); the text itself never goes to a log or an event.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, urlparse
from uuid import UUID

from doctorlive.errors import NotFound
from doctorlive.observability import logger
from doctorlive.pagination import Page, PageParams
from doctorlive.records.models import (
    EntityUsage,
    MeetingSummary,
    MeetingUsage,
    MonthUsage,
    Recording,
    RoomUsage,
    TranscriptSegment,
    UsageFigures,
    UsageFilters,
    UsageReport,
    UsageRow,
)
from doctorlive.records.repo import RecordRepo
from doctorlive.rooms.repo import RoomRecord, RoomRepo
from doctorlive.settings import get_settings
from doctorlive.tenancy import ORGANISERS, Principal


def _room(repo: RecordRepo, who: Principal, room_id: UUID) -> RoomRecord:
    who.scope.require_role(*ORGANISERS)
    room = RoomRepo(repo.conn).get(who, room_id)
    if room is None:
        raise NotFound("Room not found")
    return room


def _by(who: Principal) -> dict:
    return {"by": str(who.user_id), "role": who.role.value}


def transcript(repo: RecordRepo, who: Principal, room_id: UUID, q: str | None,
               paging: PageParams) -> Page[TranscriptSegment]:
    _room(repo, who, room_id)
    rows, total = repo.transcript(room_id, q, paging)
    repo.audit(room_id, "transcript_read", {**_by(who), "page": paging.page, "segments": len(rows),
                                            "searched": bool(q)})
    logger.info("transcript read", extra={"room_id": str(room_id), "segments": len(rows)})
    return Page[TranscriptSegment](items=[TranscriptSegment.model_validate(r, from_attributes=True) for r in rows], total=total,
                                   page=paging.page, limit=paging.limit)


def summary(repo: RecordRepo, who: Principal, room_id: UUID) -> MeetingSummary:
    _room(repo, who, room_id)
    row = repo.summary(room_id)
    if row is None:
        raise NotFound("This meeting has no summary yet", code="summary_not_found")
    return MeetingSummary.model_validate(row, from_attributes=True)


def object_key(location: str) -> str:
    """The key in the recordings bucket of an egress file's location, which LiveKit reports as
    the key itself, s3://bucket/key or an https URL of the object (virtual-host or path style)."""
    if location.startswith("s3://"):
        return location[5:].split("/", 1)[1] if "/" in location[5:] else ""
    if location.startswith(("https://", "http://")):
        url = urlparse(location)
        path = unquote(url.path.lstrip("/"))
        bucket = get_settings().recordings_bucket
        if path.startswith(bucket + "/") and not url.netloc.startswith(bucket + "."):
            path = path[len(bucket) + 1:]
        return path
    return location


def _attachment(row, key: str) -> str:
    """`attachment; filename="recording-<date>-<id>.<ext>"`: ASCII only, nothing from the title."""
    ext = key.rsplit(".", 1)[-1].lower() if "." in key.rsplit("/", 1)[-1] else ""
    ext = ext if ext.isalnum() and len(ext) <= 5 else "mp4"
    day = (row.started_at or row.created_at).strftime("%Y-%m-%d")
    return f'attachment; filename="recording-{day}-{str(row.id)[:8]}.{ext}"'


def recordings(repo: RecordRepo, s3, who: Principal, room_id: UUID,
               now: datetime | None = None) -> list[Recording]:
    """Each recording with a presigned GET valid recording_url_ttl_seconds (5 minutes)."""
    _room(repo, who, room_id)
    s = get_settings()
    now = now or datetime.now(UTC)
    out = []
    for row in repo.recordings(room_id):
        rec = Recording.model_validate(row, from_attributes=True)
        if row.s3_key:
            key = object_key(row.s3_key)
            # attachment: "Download" saves the file (browsers ignore a cross-origin link's
            # `download` attribute); a <video> plays the same URL, media ignores the disposition.
            rec.download_url = s3.generate_presigned_url(
                "get_object", Params={"Bucket": s.recordings_bucket, "Key": key,
                                      "ResponseContentDisposition": _attachment(row, key)},
                ExpiresIn=s.recording_url_ttl_seconds)
            rec.download_expires_at = now + timedelta(seconds=s.recording_url_ttl_seconds)
            repo.audit(room_id, "recording_download", {**_by(who), "recording_id": str(row.id),
                                                       "expires_in": s.recording_url_ttl_seconds})
        out.append(rec)
    return out


def room_usage(repo: RecordRepo, who: Principal, room_id: UUID) -> RoomUsage:
    _room(repo, who, room_id)
    rows, totals = repo.room_usage(room_id)
    return RoomUsage(room_id=room_id, items=[UsageRow.model_validate(r, from_attributes=True) for r in rows],
                     totals=UsageFigures.model_validate(totals, from_attributes=True))


def usage_report(repo: RecordRepo, who: Principal, f: UsageFilters, paging: PageParams) -> UsageReport:
    who.scope.require_role(*ORGANISERS)
    if f.entity_id is not None:
        who.scope.require_entity(f.entity_id)
    r = repo.usage_report(who, f, paging)
    return UsageReport(items=[MeetingUsage.model_validate(x, from_attributes=True) for x in r.items],
                       total=r.total, page=paging.page, limit=paging.limit,
                       totals=UsageFigures.model_validate(r.totals, from_attributes=True),
                       by_entity=[EntityUsage.model_validate(x, from_attributes=True) for x in r.by_entity],
                       by_month=[MonthUsage.model_validate(x, from_attributes=True) for x in r.by_month])
