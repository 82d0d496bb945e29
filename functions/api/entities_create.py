"""POST /api/v1/entities (MANAGER only)"""
from doctorlive.entities import service
from doctorlive.entities.models import Entity, EntityCreate
from doctorlive.entities.repo import EntityRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Entity, status_code=201, errors=(403, 409))
def create_entity(body: EntityCreate, user: CurrentUser, conn: Db) -> Entity:
    return service.create_entity(EntityRepo(conn), user, body)


handler = ep.handler
