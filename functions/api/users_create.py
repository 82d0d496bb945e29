"""POST /api/v1/entities/{entity_id}/users: an account with a one-time set-password link
(e-mailed to the new user, and returned to the creator)."""
from uuid import UUID

from doctorlive.entities.repo import EntityRepo
from doctorlive.notifications.outbox import Outbox
from doctorlive.users import service
from doctorlive.users.models import UserCreate, UserCreated
from doctorlive.users.repo import UserRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=UserCreated, status_code=201, errors=(403, 404, 409))
def create_user(entity_id: UUID, body: UserCreate, user: CurrentUser, conn: Db) -> UserCreated:
    return service.create_user(EntityRepo(conn), UserRepo(conn), user, entity_id, body, Outbox(conn))


handler = ep.handler
