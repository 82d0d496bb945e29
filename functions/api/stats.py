"""GET /api/v1/stats: dashboard figures within the caller's scope."""
from doctorlive.entities import service
from doctorlive.entities.models import Stats
from doctorlive.entities.repo import EntityRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Stats, errors=(403,))
def stats(user: CurrentUser, conn: Db) -> Stats:
    return service.stats(EntityRepo(conn), user)


handler = ep.handler
