"""POST /api/v1/entities/{entity_id}/departments"""
from uuid import UUID

from doctorlive.entities import service
from doctorlive.entities.models import Department, DepartmentCreate
from doctorlive.entities.repo import DepartmentRepo, EntityRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Department, status_code=201, errors=(403, 404, 409))
def create_department(entity_id: UUID, body: DepartmentCreate, user: CurrentUser, conn: Db) -> Department:
    return service.create_department(EntityRepo(conn), DepartmentRepo(conn), user, entity_id, body)


handler = ep.handler
