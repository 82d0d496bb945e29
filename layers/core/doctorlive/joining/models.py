"""What the participant site sends and receives (room-site/src/api.ts is the other side)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from doctorlive.rooms.models import RoomStatus
from doctorlive.validation import Input, Model

# Magic-link tokens are `secrets.token_urlsafe(32)` (43 characters); anything far longer is junk.
MagicToken = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=512)]
# The 8-digit password; a typo of the wrong length is a 422 and does not cost an attempt.
MeetingPassword = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{8}$")]


class RoomSummary(Model):
    """What anyone holding the link may see: no participants, links, instructions, people's ids."""
    id: UUID
    title: str
    description: str | None
    scheduled_start: datetime
    scheduled_end: datetime
    status: RoomStatus
    organizer_name: str
    entity_name: str
    recorded: bool = Field(description="The meeting is recorded: the site tells the participant "
                                       "before joining and shows it during the meeting")


class InvitedName(Model):
    name: str


class MagicLinkPreview(Model):
    room: RoomSummary
    participant: InvitedName


class PreviewRequest(Input):
    token: MagicToken = Field(description="The token of the invitation link (after #token=)")


class ValidateRequest(Input):

    token: MagicToken
    password: MeetingPassword = Field(description="The 8 digits sent with the invitation")


class ParticipantRef(Model):
    id: UUID
    name: str


class MagicLinkValidation(Model):
    room: RoomSummary
    participant: ParticipantRef
    join_token: str = Field(description="Bearer token for POST /api/v1/rooms/{room_id}/join")
    expires_in: int = Field(description="Lifetime of join_token in seconds")


class RoomJoin(Model):
    recorded: bool = Field(description="The meeting is being recorded")
    livekit_url: str
    livekit_token: str
    room_name: str
    participant_identity: str
