"""PUT /api/v1/departments/{department_id}"""
from uuid import UUID

from doctorlive.entities import service
from doctorlive.entities.models import Department, DepartmentUpdate
from doctorlive.entities.repo import DepartmentRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Department, errors=(403, 404, 409))
def update_department(department_id: UUID, body: DepartmentUpdate, user: CurrentUser, conn: Db) -> Department:
    return service.update_department(DepartmentRepo(conn), user, department_id, body)


handler = ep.handler
