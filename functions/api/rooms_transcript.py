"""GET /api/v1/rooms/{room_id}/transcript: the meeting's transcript segments, in order (paginated)."""
from typing import Annotated
from uuid import UUID

from fastapi import Query

from doctorlive.pagination import Page
from doctorlive.records import service
from doctorlive.records.models import TranscriptSegment
from doctorlive.records.repo import RecordRepo
from doctorlive.validation import Line
from doctorlive.web import CurrentUser, Db, Endpoint, Paging
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Page[TranscriptSegment], errors=(403, 404))
def get_transcript(room_id: UUID, user: CurrentUser, conn: Db, paging: Paging,
                   q: Annotated[Line(200) | None, Query(description="only segments containing this text")] = None,
                   ) -> Page[TranscriptSegment]:
    return service.transcript(RecordRepo(conn), user, room_id, q, paging)


handler = ep.handler
