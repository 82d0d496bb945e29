"""POST /api/v1/auth/set-password: choose a password with a one-time link."""
from fastapi import Response

from doctorlive.users import service
from doctorlive.users.models import PasswordSet
from doctorlive.users.repo import UserRepo
from doctorlive.web import Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(status_code=204, response_class=Response, errors=(400, 410))
def set_password(body: PasswordSet, conn: Db) -> Response:
    service.set_password_with_link(UserRepo(conn), body)
    return Response(status_code=204)


handler = ep.handler
