"""GET /api/v1/rooms/{room_id}: the meeting with its participants' join and notification status."""
from uuid import UUID

from doctorlive.rooms import service
from doctorlive.rooms.models import RoomDetail
from doctorlive.rooms.repo import RoomRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=RoomDetail, errors=(403, 404))
def get_room(room_id: UUID, user: CurrentUser, conn: Db) -> RoomDetail:
    return service.get_room(RoomRepo(conn), user, room_id)


handler = ep.handler
