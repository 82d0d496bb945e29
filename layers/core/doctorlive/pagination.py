"""Page/limit query parameters and the paged response shape shared by list endpoints.

`Paging` (the API's FastAPI dependency, doctorlive.paging) is imported on first access: repositories import PageParams
from here, and an event function that uses one must not import FastAPI (cold start)."""
from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class PageParams(BaseModel):
    page: int = 1
    limit: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def __getattr__(name: str) -> Any:
    if name == "Paging":  # the API's FastAPI dependency, imported on first use
        from doctorlive.paging import Paging  # noqa: PLC0415

        return Paging
    raise AttributeError(name)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    limit: int
