"""The assistant's knowledge-base search: the same `doctorlive.knowledge` service the API uses,
scoped to the meeting's entity (and department) by the meeting's own record — nothing a
participant says or sends can widen it. Synchronous (database and embedding model): the worker
runs it in a thread."""
from __future__ import annotations

import threading

from doctorlive.assistant.models import MeetingContext, Passage
from doctorlive.tenancy import Principal, Role


def meeting_principal(ctx: MeetingContext) -> Principal:
    """Who the assistant acts as: a member of the meeting's entity, in its organiser's name.
    (The search rules need a principal; this one sees exactly one entity.)"""
    return Principal(user_id=ctx.organizer_id, role=Role.PROFESSIONAL, entity_id=ctx.entity_id)


class KnowledgeSearch:
    def __init__(self, ctx: MeetingContext, embedder, *, threshold: float, limit: int):
        self.ctx = ctx
        self.embedder = embedder
        self.threshold = threshold
        self.limit = limit
        self.tokens = 0            # embedding input tokens, for the usage ledger
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    def __call__(self, query: str) -> list[Passage]:
        from doctorlive import db
        from doctorlive.knowledge import service
        from doctorlive.knowledge.chunking import count_tokens
        from doctorlive.knowledge.repo import KnowledgeRepo

        with self._lock:
            self.tokens += count_tokens(query)
        with db.transaction() as conn:
            result = service.search(KnowledgeRepo(conn), self.embedder, meeting_principal(self.ctx), query,
                                    self.ctx.entity_id, self.ctx.department_id, self.limit, self.threshold)
        return [Passage(filename=h.filename, page=h.page_start, similarity=h.similarity, content=h.content,
                        document_id=h.document_id) for h in result.hits]
