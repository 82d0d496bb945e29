"""POST /api/v1/magic-link/validate: magic link + 8-digit password → a short-lived join token."""
from doctorlive.joining import service
from doctorlive.joining.models import MagicLinkValidation, ValidateRequest
from doctorlive.joining.repo import JoinRepo
from doctorlive.ratelimit import RateLimiter
from doctorlive.web import ClientIp, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=MagicLinkValidation, errors=(401, 409, 410, 429))
def validate_magic_link(body: ValidateRequest, ip: ClientIp, conn: Db) -> MagicLinkValidation:
    return service.validate(JoinRepo(conn), RateLimiter(conn), body.token, body.password, ip)


handler = ep.handler
