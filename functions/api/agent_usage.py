"""GET /api/v1/agent-usage: AI usage and cost per meeting (paginated), with totals per entity and per month."""
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Query

from doctorlive.records import service
from doctorlive.records.models import UsageFilters, UsageReport
from doctorlive.records.repo import RecordRepo
from doctorlive.web import CurrentUser, Db, Endpoint, Paging
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=UsageReport, errors=(403, 404))
def usage_report(user: CurrentUser, conn: Db, paging: Paging, entity_id: UUID | None = None,
                 from_date: Annotated[date | None, Query(description="first UTC day included (YYYY-MM-DD)")] = None,
                 to_date: Annotated[date | None, Query(description="last UTC day included (YYYY-MM-DD)")] = None,
                 ) -> UsageReport:
    filters = UsageFilters(entity_id=entity_id, from_date=from_date, to_date=to_date)
    return service.usage_report(RecordRepo(conn), user, filters, paging)


handler = ep.handler
