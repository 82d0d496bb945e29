"""Small helpers for explicit SQL: partial UPDATEs from a whitelist, unique-violation mapping."""
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


@contextmanager
def unique_as_conflict(conn: psycopg.Connection, message: str, field: str | None = None) -> Iterator[None]:
    """Run statements in a savepoint; a unique violation becomes a 409 and leaves the
    request's transaction usable."""
    try:
        with conn.transaction():
            yield
    except psycopg.errors.UniqueViolation as exc:
        raise Conflict(message, {"field": field} if field else None) from exc
