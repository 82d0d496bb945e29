"""DELETE /api/v1/rooms/{room_id}: cancel; participants are told, the LiveKit room is removed."""
from uuid import UUID

from fastapi import Response

from doctorlive.livekit.client import RoomService
from doctorlive.notifications.outbox import Outbox
from doctorlive.rooms import service
from doctorlive.rooms.repo import RoomRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(status_code=204, response_class=Response, errors=(403, 404, 409))
def cancel_room(room_id: UUID, user: CurrentUser, conn: Db) -> Response:
    service.cancel_room(RoomRepo(conn), Outbox(conn), RoomService(), user, room_id)
    return Response(status_code=204)


handler = ep.handler
