"""GET /api/v1/entities/{entity_id}/users"""
from uuid import UUID

from doctorlive.entities.repo import EntityRepo
from doctorlive.users import service
from doctorlive.users.models import User
from doctorlive.users.repo import UserRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=list[User], errors=(403, 404))
def list_users(entity_id: UUID, user: CurrentUser, conn: Db) -> list[User]:
    return service.list_users(EntityRepo(conn), UserRepo(conn), user, entity_id)


handler = ep.handler
