"""GET /api/v1/rooms: the meetings you organise (PROFESSIONAL), your entity's (ENTITY_ADMIN) or all (MANAGER)."""
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query

from doctorlive.pagination import Page
from doctorlive.rooms import service
from doctorlive.rooms.models import Room, RoomFilters, RoomStatus
from doctorlive.rooms.repo import RoomRepo
from doctorlive.validation import Instant
from doctorlive.web import CurrentUser, Db, Endpoint, Paging
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Page[Room], errors=(403,))
def list_rooms(user: CurrentUser, conn: Db, paging: Paging,
               status: RoomStatus | None = None,
               start_from: Annotated[Instant | None, Query(alias="from", description="scheduled_start >= from")] = None,
               start_to: Annotated[Instant | None, Query(alias="to", description="scheduled_start < to")] = None,
               entity_id: UUID | None = None,
               order: Annotated[Literal["asc", "desc"], Query(description="by scheduled start: desc (latest "
                                                                          "first, the default) or asc (soonest first)")] = "desc",
               ) -> Page[Room]:
    filters = RoomFilters(status=status, start_from=start_from, start_to=start_to, entity_id=entity_id,
                          order=order)
    return service.list_rooms(RoomRepo(conn), user, filters, paging)


handler = ep.handler
