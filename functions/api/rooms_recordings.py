"""GET /api/v1/rooms/{room_id}/recordings: the meeting's recordings, each with a 5-minute download URL."""
from uuid import UUID

from doctorlive.aws import client
from doctorlive.records import service
from doctorlive.records.models import Recording
from doctorlive.records.repo import RecordRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=list[Recording], errors=(403, 404))
def get_recordings(room_id: UUID, user: CurrentUser, conn: Db) -> list[Recording]:
    return service.recordings(RecordRepo(conn), client("s3"), user, room_id)


handler = ep.handler
