"""POST /api/v1/auth/logout"""
from fastapi import Response

from doctorlive.auth import service
from doctorlive.auth.models import RefreshRequest
from doctorlive.auth.repo import AuthRepo
from doctorlive.web import Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(status_code=204, response_class=Response)
def logout(body: RefreshRequest, conn: Db) -> Response:
    service.logout(AuthRepo(conn), body.refresh_token)
    return Response(status_code=204)


handler = ep.handler
