"""POST /api/v1/professionals/{professional_id}/entities: link a professional to another entity."""
from uuid import UUID

from doctorlive.entities import service
from doctorlive.entities.models import Professional, ProfessionalLink
from doctorlive.entities.repo import EntityRepo, ProfessionalRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Professional, status_code=201, errors=(403, 404, 409))
def link_professional(professional_id: UUID, body: ProfessionalLink, user: CurrentUser, conn: Db) -> Professional:
    return service.link_professional(EntityRepo(conn), ProfessionalRepo(conn), user, professional_id, body.entity_id)


handler = ep.handler
