"""POST /api/v1/knowledge-base/uploads: a pending document and a presigned S3 POST (202)."""
from doctorlive.aws import client
from doctorlive.knowledge import service
from doctorlive.knowledge.models import UploadAccepted, UploadRequest
from doctorlive.knowledge.repo import KnowledgeRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=UploadAccepted, status_code=202, errors=(403, 404))
def upload(body: UploadRequest, user: CurrentUser, conn: Db) -> UploadAccepted:
    return service.create_upload(KnowledgeRepo(conn), client("s3"), user, body)


handler = ep.handler
