"""PUT /api/v1/entities/{entity_id}: partial update; `active: false` deactivates."""
from uuid import UUID

from doctorlive.entities import service
from doctorlive.entities.models import Entity, EntityUpdate
from doctorlive.entities.repo import EntityRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Entity, errors=(403, 404, 409))
def update_entity(entity_id: UUID, body: EntityUpdate, user: CurrentUser, conn: Db) -> Entity:
    return service.update_entity(EntityRepo(conn), user, entity_id, body)


handler = ep.handler
