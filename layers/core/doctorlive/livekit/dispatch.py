"""What the platform asks LiveKit to dispatch into a room: the assistant, by name, with the
room id as metadata. Plain data, so the joining rules need not import livekit-api."""
from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class AgentDispatch:
    agent_name: str
    metadata: str = ""


def room_id_from_metadata(metadata: str) -> UUID | None:
    """The room a dispatch is for, from its metadata `{"room_id": ...}`; None if it is not ours."""
    try:
        value = json.loads(metadata or "{}").get("room_id")
        return UUID(str(value)) if value else None
    except (ValueError, AttributeError, TypeError):
        return None
