"""Small helpers for explicit SQL: typed rows, partial UPDATEs from a whitelist, unique-violation
mapping, LIKE patterns from user text."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg.rows import class_row

R = TypeVar("R")


def one(conn: psycopg.Connection, record: type[R], query: Any, params: Any = None) -> R | None:
    """The first row of `query` as a `record`: a frozen dataclass whose fields are the columns (a
    column it does not name is an error, not a silently ignored key), or the aggregate's pydantic
    model where one exists (validated as the response will be; columns it has no field for are
    left out)."""
    with conn.cursor(row_factory=class_row(record)) as cur:
        return cur.execute(query, params).fetchone()


def many(conn: psycopg.Connection, record: type[R], query: Any, params: Any = None) -> list[R]:
    """Every row of `query` as a `record` (see `one`)."""
    with conn.cursor(row_factory=class_row(record)) as cur:
        return cur.execute(query, params).fetchall()

from doctorlive.errors import Conflict


def set_clause(fields: dict, allowed: frozenset[str]) -> tuple[sql.Composed, dict]:
    """`col = %(col)s, ...` for the given fields; names outside `allowed` are a programming error."""
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    parts = [sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in fields]
    return sql.SQL(", ").join(parts), dict(fields)


def contains(text: str) -> str:
    """A LIKE/ILIKE pattern matching `text` anywhere, literally: `%`, `_` and the escape
    character `\\` (PostgreSQL's default for LIKE) in user text match only themselves.
    Every search over user text builds its pattern here."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fetch_page(conn: psycopg.Connection, *, select: str, table: str, where: str, params: dict,
               order_by: str, limit: int, offset: int, record: type[R] | None = None) -> tuple[list, int]:
    """One page of `select ... WHERE where ORDER BY order_by` (as `record`s when given) and the
    total count of matches.

    `table` is the FROM clause the count needs (e.g. "rooms r"); all fragments are literals
    written in the repositories, values travel in `params`."""
    total = conn.execute(f"SELECT count(*) AS n FROM {table} WHERE {where}", params).fetchone()["n"]
    query = f"{select} WHERE {where} ORDER BY {order_by} LIMIT %(_limit)s OFFSET %(_offset)s"
    page = {**params, "_limit": limit, "_offset": offset}
    rows = many(conn, record, query, page) if record else conn.execute(query, page).fetchall()
    return rows, total


@contextmanager
def unique_as_conflict(conn: psycopg.Connection, message: str, field: str | None = None) -> Iterator[None]:
    """Run statements in a savepoint; a unique violation becomes a 409 and leaves the
    request's transaction usable."""
    try:
        with conn.transaction():
            yield
    except psycopg.errors.UniqueViolation as exc:
        raise Conflict(message, {"field": field} if field else None) from exc
