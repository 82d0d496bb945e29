"""GET /api/v1/auth/me"""
from doctorlive.auth import service
from doctorlive.auth.models import UserOut
from doctorlive.auth.repo import AuthRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=UserOut, errors=(404,))
def me(user: CurrentUser, conn: Db) -> UserOut:
    return service.me(AuthRepo(conn), user)


handler = ep.handler
