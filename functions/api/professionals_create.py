"""POST /api/v1/entities/{entity_id}/professionals"""
from uuid import UUID

from doctorlive.entities import service
from doctorlive.entities.models import Professional, ProfessionalCreate
from doctorlive.entities.repo import EntityRepo, ProfessionalRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Professional, status_code=201, errors=(403, 404))
def create_professional(entity_id: UUID, body: ProfessionalCreate, user: CurrentUser, conn: Db) -> Professional:
    return service.create_professional(EntityRepo(conn), ProfessionalRepo(conn), user, entity_id, body)


handler = ep.handler
