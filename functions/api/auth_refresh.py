"""POST /api/v1/auth/refresh"""
from doctorlive.auth import service
from doctorlive.auth.models import RefreshRequest, TokenPair
from doctorlive.auth.repo import AuthRepo
from doctorlive.web import ClientIp, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=TokenPair, errors=(401,))
def refresh(body: RefreshRequest, ip: ClientIp, conn: Db) -> TokenPair:
    return service.refresh(AuthRepo(conn), body.refresh_token, ip)


handler = ep.handler
