"""POST /api/v1/auth/login"""
from doctorlive.auth import service
from doctorlive.auth.models import LoginRequest, LoginResponse
from doctorlive.auth.repo import AuthRepo
from doctorlive.ratelimit import RateLimiter
from doctorlive.web import ClientIp, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=LoginResponse, errors=(401, 429))
def login(body: LoginRequest, ip: ClientIp, conn: Db) -> LoginResponse:
    return service.login(AuthRepo(conn), RateLimiter(conn), body.email, body.password, ip)


handler = ep.handler
