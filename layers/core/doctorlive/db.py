"""Database access: one psycopg 3 connection pool per process (per Lambda container).

The pool is created lazily on first use and reused across invocations. Every connection has
pgvector's types registered, so vectors go in and come out as lists/arrays without casts.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from doctorlive.settings import get_settings

_pool: ConnectionPool | None = None
_lock = threading.Lock()


def _configure(conn: psycopg.Connection) -> None:
    try:
        from pgvector.psycopg import register_vector  # pgvector pulls numpy

        register_vector(conn)
    except psycopg.ProgrammingError:
        # The extension does not exist yet (a database before its first migration).
        conn.rollback()
    conn.commit()


def pool() -> ConnectionPool:
    global _pool
    if _pool is None:
        with _lock:
            if _pool is None:
                s = get_settings()
                _pool = ConnectionPool(
                    s.database_url,
                    min_size=1,
                    max_size=s.db_pool_max,
                    kwargs={"row_factory": dict_row, "connect_timeout": s.db_connect_timeout},
                    configure=_configure,
                    check=ConnectionPool.check_connection,
                    open=True,
                    name="doctorlive",
                )
    return _pool


def reset_pool() -> None:
    """Close the pool (tests that restart the database, or settings that changed)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.close()
        _pool = None


@contextmanager
def transaction(timeout: float | None = None) -> Iterator[psycopg.Connection]:
    """A connection inside one transaction: committed on success, rolled back on error."""
    with pool().connection(timeout=timeout) as conn, conn.transaction():
        yield conn


def ping(timeout: float = 3.0) -> None:
    with pool().connection(timeout=timeout) as conn:
        conn.execute("SELECT 1")
