"""The API's page/limit query parameters as a FastAPI dependency (`doctorlive.pagination.Paging`
points here): apart, so that importing pagination does not import FastAPI (event functions)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from doctorlive.pagination import PageParams


def _page_params(page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                 limit: Annotated[int, Query(ge=1, le=100)] = 20) -> PageParams:
    return PageParams(page=page, limit=limit)


Paging = Annotated[PageParams, Depends(_page_params)]
