"""GET /api/v1/knowledge-base?q=&entity_id=&department_id=&limit=: semantic search."""
from typing import Annotated
from uuid import UUID

from fastapi import Query

from doctorlive.knowledge import service
from doctorlive.knowledge.models import SearchResult
from doctorlive.knowledge.repo import KnowledgeRepo
from doctorlive.providers.embeddings import get_provider
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=SearchResult, errors=(404,))
def search(user: CurrentUser, conn: Db, q: Annotated[str, Query(min_length=2, max_length=1000)],
           entity_id: UUID | None = None, department_id: UUID | None = None,
           limit: Annotated[int, Query(ge=1, le=50)] = 5) -> SearchResult:
    return service.search(KnowledgeRepo(conn), get_provider(), user, q, entity_id, department_id, limit)


handler = ep.handler
