"""Where LiveKit records a meeting: a room-composite egress started by LiveKit itself when it
creates the room (`RoomEgress` on CreateRoomRequest), written as one file to the platform's
recordings bucket. Plain data, so the joining rules need not import livekit-api.

Object keys: `recordings/<entity id>/<room id>/<time>.<ext>`; LiveKit replaces `{time}`. The
entity comes first so that an entity's recordings are one prefix.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlparse
from uuid import UUID

from doctorlive.settings import get_settings

KEY_PREFIX = "recordings/"


@dataclass(frozen=True)
class RecordingTarget:
    bucket: str
    region: str
    filepath: str
    file_type: str = "MP4"
    endpoint: str = ""          # empty = AWS S3
    access_key: str = ""
    secret: str = ""            # never logged: only the LiveKit request carries it

    def __repr__(self) -> str:  # keep the key out of any log line that shows the target
        return f"RecordingTarget(bucket={self.bucket!r}, filepath={self.filepath!r})"


def recording_target(entity_id: UUID | str, room_id: UUID | str) -> RecordingTarget:
    s = get_settings()
    ext = "ogg" if s.recording_file_type == "OGG" else "mp4"
    return RecordingTarget(
        bucket=s.recordings_bucket, region=s.recordings_region,
        filepath=f"{KEY_PREFIX}{entity_id}/{room_id}/{{time}}.{ext}", file_type=s.recording_file_type,
        endpoint=s.recordings_s3_endpoint, access_key=s.recordings_access_key_id,
        secret=s.recordings_secret_access_key.get_secret_value())


def object_key(filename: str | None, location: str | None, bucket: str | None = None) -> str | None:
    """The S3 key of an egress file: LiveKit reports the key it wrote (`filename`) and a URL
    (`location`, virtual-hosted or path style); the key is what the platform deletes and signs."""
    if filename and "://" not in filename:
        return filename.lstrip("/")
    if not location:
        return None
    path = unquote(urlparse(location).path).lstrip("/") if "://" in location else location.lstrip("/")
    bucket = bucket or get_settings().recordings_bucket
    if path.startswith(f"{bucket}/"):  # path style: /<bucket>/<key>
        path = path[len(bucket) + 1:]
    return path or None
