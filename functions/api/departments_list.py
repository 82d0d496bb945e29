"""GET /api/v1/entities/{entity_id}/departments"""
from uuid import UUID

from doctorlive.entities import service
from doctorlive.entities.models import Department
from doctorlive.entities.repo import DepartmentRepo, EntityRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=list[Department], errors=(404,))
def list_departments(entity_id: UUID, user: CurrentUser, conn: Db,
                     include_inactive: bool = False) -> list[Department]:
    return service.list_departments(EntityRepo(conn), DepartmentRepo(conn), user, entity_id, include_inactive)


handler = ep.handler
