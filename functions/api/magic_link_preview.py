"""GET /api/v1/magic-link/{token}: what an invitation is for, before the password (public)."""
from doctorlive.joining import service
from doctorlive.joining.models import MagicLinkPreview
from doctorlive.joining.repo import JoinRepo
from doctorlive.web import Db, Endpoint

from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=MagicLinkPreview, errors=(404, 410))
def preview_magic_link(token: str, conn: Db) -> MagicLinkPreview:
    return service.preview(JoinRepo(conn), token)


handler = ep.handler
