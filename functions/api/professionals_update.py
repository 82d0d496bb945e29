"""PUT /api/v1/professionals/{professional_id}"""
from uuid import UUID

from doctorlive.entities import service
from doctorlive.entities.models import Professional, ProfessionalUpdate
from doctorlive.entities.repo import ProfessionalRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Professional, errors=(403, 404))
def update_professional(professional_id: UUID, body: ProfessionalUpdate, user: CurrentUser, conn: Db) -> Professional:
    return service.update_professional(ProfessionalRepo(conn), user, professional_id, body)


handler = ep.handler
