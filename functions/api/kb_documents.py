"""GET /api/v1/knowledge-base/documents: documents with status and chunk counts (paginated)."""
from uuid import UUID

from doctorlive.knowledge import service
from doctorlive.knowledge.models import Document
from doctorlive.knowledge.repo import KnowledgeRepo
from doctorlive.pagination import Page
from doctorlive.web import CurrentUser, Db, Endpoint, Paging
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Page[Document], errors=(403, 404))
def documents(user: CurrentUser, conn: Db, paging: Paging, entity_id: UUID | None = None,
              department_id: UUID | None = None) -> Page[Document]:
    return service.list_documents(KnowledgeRepo(conn), user, entity_id, department_id, paging)


handler = ep.handler
