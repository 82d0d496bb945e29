"""DELETE /api/v1/professionals/{professional_id}/entities/{entity_id}"""
from uuid import UUID

from fastapi import Response

from doctorlive.entities import service
from doctorlive.entities.repo import EntityRepo, ProfessionalRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(status_code=204, response_class=Response, errors=(403, 404, 409))
def unlink_professional(professional_id: UUID, entity_id: UUID, user: CurrentUser, conn: Db) -> Response:
    service.unlink_professional(EntityRepo(conn), ProfessionalRepo(conn), user, professional_id, entity_id)
    return Response(status_code=204)


handler = ep.handler
