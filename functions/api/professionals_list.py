"""GET /api/v1/entities/{entity_id}/professionals"""
from uuid import UUID

from doctorlive.entities import service
from doctorlive.entities.models import Professional
from doctorlive.entities.repo import EntityRepo, ProfessionalRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=list[Professional], errors=(403, 404))
def list_professionals(entity_id: UUID, user: CurrentUser, conn: Db) -> list[Professional]:
    return service.list_professionals(EntityRepo(conn), ProfessionalRepo(conn), user, entity_id)


handler = ep.handler
