"""GET /api/v1/knowledge-base/jobs/{job_id}: ingestion status of an upload."""
from uuid import UUID

from doctorlive.knowledge import service
from doctorlive.knowledge.models import Job
from doctorlive.knowledge.repo import KnowledgeRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Job, errors=(403, 404))
def job(job_id: UUID, user: CurrentUser, conn: Db) -> Job:
    return service.get_job(KnowledgeRepo(conn), user, job_id)


handler = ep.handler
