from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

Mode = Literal["generative", "extractive"]
Kind = Literal["suggestion", "tip", "answer"]


@dataclass(frozen=True)
class MeetingContext:
    """What the assistant knows of its meeting, read once when it joins (never from what a
    participant sends)."""
    room_id: UUID
    entity_id: UUID
    department_id: UUID | None
    title: str
    locale: str
    entity_name: str
    entity_instructions: str | None
    department_instructions: str | None
    meeting_instructions: str | None
    organizer_id: UUID
    status: str
    assistant_enabled: bool

    @property
    def language(self) -> str:
        """ISO 639-1 code for speech-to-text: pt-BR → pt."""
        return self.locale.split("-")[0].lower()


@dataclass(frozen=True)
class Utterance:
    participant_id: UUID | None
    identity: str
    speaker: str
    text: str
    started_at: datetime
    ended_at: datetime
    segment_id: str
    language: str | None = None


@dataclass(frozen=True)
class Passage:
    filename: str
    page: int | None
    similarity: float
    content: str
    document_id: UUID | None = None


@dataclass
class Suggestion:
    kind: Kind
    text: str
    sources: list[Passage]
    mode: Mode
    id: str
    ts: datetime
    in_reply_to: str | None = None
    question: str | None = None
    trigger: str = ""

    def message(self) -> dict:
        """The `agent.suggestions` data message (room-site/src/agent/suggestions.ts)."""
        return {
            "type": "suggestion", "kind": self.kind, "id": self.id, "text": self.text,
            "sources": [{"filename": p.filename, "page": p.page, "similarity": round(p.similarity, 3)}
                        for p in self.sources],
            "ts": self.ts.isoformat(), "mode": self.mode,
            "in_reply_to": self.in_reply_to, "question": self.question,
        }


@dataclass(frozen=True)
class Summary:
    summary: str
    action_items: list[str]
    mode: Mode
    model: str | None = None


@dataclass
class UsageTotals:
    """One session's usage, from livekit-agents' ModelUsageCollector plus embedding tokens."""
    llm_model: str | None = None
    stt_model: str | None = None
    embedding_model: str | None = None
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    stt_seconds: float = 0.0
    embedding_tokens: int = 0
    detail: list[dict] = field(default_factory=list)
