"""POST /api/v1/magic-link/preview {"token": ...}: what an invitation is for, before the password
(public). The token is in the body, not the path, so it reaches no access log."""
from doctorlive.joining import service
from doctorlive.joining.models import MagicLinkPreview, PreviewRequest
from doctorlive.joining.repo import JoinRepo
from doctorlive.web import Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=MagicLinkPreview, errors=(404, 410))
def preview_magic_link(body: PreviewRequest, conn: Db) -> MagicLinkPreview:
    return service.preview(JoinRepo(conn), body.token)


handler = ep.handler
