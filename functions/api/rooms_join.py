"""POST /api/v1/rooms/{room_id}/join: the join token (as bearer) → a place in the room and
LiveKit credentials. Public in the route table: it takes no user access token."""
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

from doctorlive.joining import service
from doctorlive.joining.models import RoomJoin
from doctorlive.joining.repo import JoinRepo
from doctorlive.joining.tokens import JoinClaims, verify_join_token
from doctorlive.livekit.client import RoomService
from doctorlive.web import Db, Endpoint, bearer_token
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


def _join_claims(request: Request) -> JoinClaims:
    return verify_join_token(bearer_token(request, "Missing join token"))


JoinBearer = Annotated[JoinClaims, Depends(_join_claims)]


@ep(response_model=RoomJoin, errors=(401, 409, 410, 503),
    openapi_extra={"security": [{"bearer": []}]})  # the join token, not a user's access token
def join_room(room_id: UUID, claims: JoinBearer, conn: Db) -> RoomJoin:
    return service.join(JoinRepo(conn), RoomService(), claims, room_id)


handler = ep.handler
