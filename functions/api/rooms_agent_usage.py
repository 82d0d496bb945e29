"""GET /api/v1/rooms/{room_id}/agent-usage: the assistant's sessions of the meeting, their cost and totals."""
from uuid import UUID

from doctorlive.records import service
from doctorlive.records.models import RoomUsage
from doctorlive.records.repo import RecordRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=RoomUsage, errors=(403, 404))
def get_room_usage(room_id: UUID, user: CurrentUser, conn: Db) -> RoomUsage:
    return service.room_usage(RecordRepo(conn), user, room_id)


handler = ep.handler
