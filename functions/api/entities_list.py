"""GET /api/v1/entities"""
from typing import Annotated

from fastapi import Query

from doctorlive.entities import service
from doctorlive.entities.models import Entity, EntityFilters
from doctorlive.entities.repo import EntityRepo
from doctorlive.pagination import Page
from doctorlive.web import CurrentUser, Db, Endpoint, Paging
from functions.api.routes import route_for

ep = Endpoint(route_for(__name__))


@ep(response_model=Page[Entity], errors=(403,))
def list_entities(user: CurrentUser, conn: Db, paging: Paging,
                  q: Annotated[str | None, Query(max_length=100)] = None,
                  type: Annotated[str | None, Query(max_length=50)] = None,
                  active: bool | None = None) -> Page[Entity]:
    return service.list_entities(EntityRepo(conn), user, EntityFilters(q=q, type=type, active=active), paging)


handler = ep.handler
