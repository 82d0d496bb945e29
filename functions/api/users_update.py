"""PUT /api/v1/users/{user_id}: rename, change role, or deactivate (`active: false`)."""
from uuid import UUID

from doctorlive.users import service
from doctorlive.users.models import User, UserUpdate
from doctorlive.users.repo import UserRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=User, errors=(403, 404, 409))
def update_user(user_id: UUID, body: UserUpdate, user: CurrentUser, conn: Db) -> User:
    return service.update_user(UserRepo(conn), user, user_id, body)


handler = ep.handler
