"""Page/limit query parameters and the paged response shape shared by list endpoints.

`Paging` (the API's FastAPI dependency) is built on first access: repositories import PageParams
from here, and an event function that uses one must not import FastAPI (cold start)."""
from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class PageParams(BaseModel):
    page: int = 1
    limit: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def _paging() -> Any:
    from fastapi import Depends, Query  # noqa: PLC0415

    def _page_params(page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                     limit: Annotated[int, Query(ge=1, le=100)] = 20) -> PageParams:
        return PageParams(page=page, limit=limit)

    return Annotated[PageParams, Depends(_page_params)]


def __getattr__(name: str) -> Any:
    if name == "Paging":
        globals()["Paging"] = paging = _paging()
        return paging
    raise AttributeError(name)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    limit: int
