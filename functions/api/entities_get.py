"""GET /api/v1/entities/{entity_id}"""
from uuid import UUID

from doctorlive.entities import service
from doctorlive.entities.models import Entity
from doctorlive.entities.repo import EntityRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Entity, errors=(403, 404))
def get_entity(entity_id: UUID, user: CurrentUser, conn: Db) -> Entity:
    return service.get_entity(EntityRepo(conn), user, entity_id)


handler = ep.handler
