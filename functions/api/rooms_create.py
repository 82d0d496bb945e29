"""POST /api/v1/rooms: schedule a meeting; every participant is invited by e-mail and/or WhatsApp."""
from doctorlive.notifications.outbox import Outbox
from doctorlive.rooms import service
from doctorlive.rooms.models import RoomCreate, RoomDetail
from doctorlive.rooms.repo import RoomRepo
from doctorlive.web import CurrentUser, Db, Endpoint
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=RoomDetail, status_code=201, errors=(403, 404, 409))
def create_room(body: RoomCreate, user: CurrentUser, conn: Db) -> RoomDetail:
    return service.create_room(RoomRepo(conn), Outbox(conn), user, body)


handler = ep.handler
