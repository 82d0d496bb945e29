"""POST /api/v1/rooms/{room_id}/participants: invite more people to a scheduled or active meeting."""
from uuid import UUID

from doctorlive.notifications.outbox import Outbox
from doctorlive.rooms import service
from doctorlive.rooms.models import ParticipantsAdd, RoomParticipant
from doctorlive.rooms.repo import RoomRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=list[RoomParticipant], status_code=201, errors=(403, 404, 409))
def add_participants(room_id: UUID, body: ParticipantsAdd, user: CurrentUser, conn: Db) -> list[RoomParticipant]:
    return service.add_participants(RoomRepo(conn), Outbox(conn), user, room_id, body)


handler = ep.handler
