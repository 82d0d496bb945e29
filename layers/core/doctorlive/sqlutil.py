"""Small helpers for explicit SQL: partial UPDATEs from a whitelist, unique-violation mapping,
LIKE patterns from user text."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

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
               order_by: str, limit: int, offset: int) -> tuple[list[dict], int]:
    """One page of `select ... WHERE where ORDER BY order_by` and the total count of matches.

    `table` is the FROM clause the count needs (e.g. "rooms r"); all fragments are literals
    written in the repositories, values travel in `params`."""
    total = conn.execute(f"SELECT count(*) AS n FROM {table} WHERE {where}", params).fetchone()["n"]
    rows = conn.execute(f"{select} WHERE {where} ORDER BY {order_by} LIMIT %(_limit)s OFFSET %(_offset)s",
                        {**params, "_limit": limit, "_offset": offset}).fetchall()
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
