"""GET /health: the API answers and the database is reachable (503 when it is not)."""
from pydantic import BaseModel

from doctorlive import db
from doctorlive.errors import ServiceUnavailable
from doctorlive.web import Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


class Health(BaseModel):
    status: str
    database: str


@ep(response_model=Health, errors=(503,))
def health() -> Health:
    try:
        db.ping(timeout=2.0)
    except Exception as exc:  # any failure to reach the database is a 503
        raise ServiceUnavailable("The database is not reachable", code="database_unavailable") from exc
    return Health(status="ok", database="ok")


handler = ep.handler
