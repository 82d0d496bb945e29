"""Sliding-window rate limits kept in Postgres (the serverless design has no Redis).

An attempt first *reserves* a slot: under a per-bucket advisory lock the hits inside the window
are counted and, if below the limit, one more is recorded and committed at once, before the
request does anything else on its connection. Concurrent attempts therefore never get more than
`limit` slots, and a failed attempt stays counted even when the rest of the request rolls back.
A success clears the bucket (inside the request's transaction).

A progressive limit (`lock_seconds` set) locks instead of sliding: once `max_hits` are in the
window, the next attempt must wait `lock_seconds` after the last one, and every attempt beyond
doubles the wait, up to `max_lock_seconds` — so continued failures lock longer, but never for
more than the cap at a time.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import psycopg
from psycopg.pq import TransactionStatus

from doctorlive.errors import TooManyRequests


@dataclass(frozen=True)
class Limit:
    max_hits: int
    window_seconds: int
    lock_seconds: int = 0       # > 0: progressive lock (see the module's docstring)
    max_lock_seconds: int = 0

    def wait_seconds(self, hits: int, oldest_age: float, newest_age: float) -> float:
        """Seconds until the next attempt may go, given the hits in the window and the ages (in
        seconds) of the oldest and newest of them; <= 0 when it may go now."""
        if hits < self.max_hits:
            return 0.0
        if not self.lock_seconds:
            return self.window_seconds - oldest_age
        lock = min(self.max_lock_seconds or self.lock_seconds,
                   self.lock_seconds * 2 ** min(hits - self.max_hits, 30))
        return lock - newest_age


class RateLimiter:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def reserve(self, bucket: str, limit: Limit, message: str | None = None) -> None:
        conn = self.conn
        if conn.info.transaction_status != TransactionStatus.IDLE:
            raise RuntimeError("reserve() must run first on its connection, so its commit is real")
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (bucket,))
            row = conn.execute(
                """
                SELECT count(*) AS hits,
                       coalesce(extract(epoch FROM now() - min(hit_at)), 0) AS oldest_age,
                       coalesce(extract(epoch FROM now() - max(hit_at)), 0) AS newest_age
                  FROM rate_limit_hits
                 WHERE bucket = %(b)s AND hit_at > now() - make_interval(secs => %(w)s)
                """,
                {"b": bucket, "w": limit.window_seconds},
            ).fetchone()
            hits, oldest, newest = (row["hits"], row["oldest_age"], row["newest_age"]) \
                if isinstance(row, dict) else row
            wait = limit.wait_seconds(hits, float(oldest), float(newest))
            if wait > 0:
                raise TooManyRequests(math.ceil(wait), message)
            conn.execute("INSERT INTO rate_limit_hits (bucket) VALUES (%s)", (bucket,))
            # Housekeeping: forget this bucket's hits that fell out of the window.
            conn.execute(
                "DELETE FROM rate_limit_hits WHERE bucket = %s AND hit_at < now() - make_interval(secs => %s)",
                (bucket, limit.window_seconds),
            )

    def clear(self, bucket: str) -> None:
        self.conn.execute("DELETE FROM rate_limit_hits WHERE bucket = %s", (bucket,))
