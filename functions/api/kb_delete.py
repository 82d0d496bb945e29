"""DELETE /api/v1/knowledge-base/documents/{document_id}: the object and its chunks."""
from uuid import UUID

from fastapi import Response

from doctorlive.aws import client
from doctorlive.knowledge import service
from doctorlive.knowledge.repo import KnowledgeRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(status_code=204, response_class=Response, errors=(403, 404))
def delete(document_id: UUID, user: CurrentUser, conn: Db) -> Response:
    service.delete_document(KnowledgeRepo(conn), client("s3"), user, document_id)
    return Response(status_code=204)


handler = ep.handler
