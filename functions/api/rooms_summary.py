"""GET /api/v1/rooms/{room_id}/summary: the assistant's summary and action items of the meeting."""
from uuid import UUID

from doctorlive.records import service
from doctorlive.records.models import MeetingSummary
from doctorlive.records.repo import RecordRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=MeetingSummary, errors=(403, 404))
def get_summary(room_id: UUID, user: CurrentUser, conn: Db) -> MeetingSummary:
    return service.summary(RecordRepo(conn), user, room_id)


handler = ep.handler
