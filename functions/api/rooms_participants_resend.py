"""POST /api/v1/rooms/{room_id}/participants/{participant_id}/resend: new link and password, sent again."""
from uuid import UUID

from doctorlive.notifications.outbox import Outbox
from doctorlive.rooms import service
from doctorlive.rooms.models import RoomParticipant
from doctorlive.rooms.repo import RoomRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=RoomParticipant, status_code=202, errors=(403, 404, 409))
def resend_invitation(room_id: UUID, participant_id: UUID, user: CurrentUser, conn: Db) -> RoomParticipant:
    return service.resend_invitation(RoomRepo(conn), Outbox(conn), user, room_id, participant_id)


handler = ep.handler
