"""POST /api/v1/auth/password: change one's own password (signs out other sessions)."""
from fastapi import Response

from doctorlive.users import service
from doctorlive.users.models import PasswordChange
from doctorlive.users.repo import UserRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(status_code=204, response_class=Response)
def change_password(body: PasswordChange, user: CurrentUser, conn: Db) -> Response:
    service.change_password(UserRepo(conn), user, body)
    return Response(status_code=204)


handler = ep.handler
