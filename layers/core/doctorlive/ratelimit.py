"""Sliding-window rate limits kept in Postgres (the serverless design has no Redis).

An attempt first *reserves* a slot: under a per-bucket advisory lock the hits inside the window
are counted and, if below the limit, one more is recorded and committed at once, before the
request does anything else on its connection. Concurrent attempts therefore never get more than
`limit` slots, and a failed attempt stays counted even when the rest of the request rolls back.
A success clears the bucket (inside the request's transaction).
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
                       extract(epoch FROM min(hit_at) + make_interval(secs => %(w)s) - now()) AS wait
                  FROM rate_limit_hits
                 WHERE bucket = %(b)s AND hit_at > now() - make_interval(secs => %(w)s)
                """,
                {"b": bucket, "w": limit.window_seconds},
            ).fetchone()
            hits, wait = (row["hits"], row["wait"]) if isinstance(row, dict) else row
            if hits >= limit.max_hits:
                raise TooManyRequests(math.ceil(float(wait or 1)), message)
            conn.execute("INSERT INTO rate_limit_hits (bucket) VALUES (%s)", (bucket,))
            # Housekeeping: forget this bucket's hits that fell out of the window.
            conn.execute(
                "DELETE FROM rate_limit_hits WHERE bucket = %s AND hit_at < now() - make_interval(secs => %s)",
                (bucket, limit.window_seconds),
            )

    def clear(self, bucket: str) -> None:
        self.conn.execute("DELETE FROM rate_limit_hits WHERE bucket = %s", (bucket,))
