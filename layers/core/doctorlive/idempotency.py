"""Idempotency kept in Postgres (`idempotency_records`; the platform has no DynamoDB table), one
store for both kinds of callers:

- event functions, through Powertools' idempotency utility::

      from doctorlive.idempotency import idempotent_record

      @idempotent_record(expires_after_seconds=7 * 24 * 3600)
      def process(record: dict) -> dict: ...

- the creating HTTP POSTs (route rows with `idempotent=True`), through the `Idempotency-Key`
  header: doctorlive.web calls :func:`once` around the endpoint.

Both claim a key with the same one-statement insert-if-absent-or-expired
(:meth:`IdempotencyStore.claim`), so two concurrent deliveries of one event, or two concurrent
requests with one key, cannot both start the work. Powertools is imported only by the functions
that use `idempotent_record` (it costs API handlers ~200 ms of cold start).
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from doctorlive import db
from doctorlive.errors import Conflict, DomainError, invalid

# The statuses Powertools writes (persistence.base.STATUS_CONSTANTS); the HTTP path uses the same.
INPROGRESS, COMPLETED = "INPROGRESS", "COMPLETED"

_COLUMNS = "id, status, expiry, in_progress_expiry, response_data, payload_hash"


class IdempotencyStore:
    """The SQL of `idempotency_records`. `expiry` is in epoch seconds, `in_progress_expiry` in
    epoch milliseconds (Powertools' units)."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def claim(self, key: str, *, status: str, expiry: int, in_progress_expiry: int | None,
              payload_hash: str | None) -> dict | None:
        """Take `key` unless a live record holds it: None when taken, else the holder's row
        (an empty dict when it vanished between the two statements, e.g. released meanwhile).
        A record is dead once expired, or when in progress past its `in_progress_expiry`
        (its invocation crashed or timed out)."""
        now = time.time()
        inserted = self.conn.execute(
            """INSERT INTO idempotency_records AS r (id, status, expiry, in_progress_expiry, payload_hash)
               VALUES (%(id)s, %(status)s, %(expiry)s, %(ipe)s, %(hash)s)
               ON CONFLICT (id) DO UPDATE
                  SET status = EXCLUDED.status, expiry = EXCLUDED.expiry,
                      in_progress_expiry = EXCLUDED.in_progress_expiry,
                      payload_hash = EXCLUDED.payload_hash, response_data = NULL
                WHERE r.expiry < %(now)s
                   OR (r.status = %(inprogress)s AND r.in_progress_expiry IS NOT NULL
                       AND r.in_progress_expiry < %(now_ms)s)
               RETURNING id""",
            {"id": key, "status": status, "expiry": expiry, "ipe": in_progress_expiry, "hash": payload_hash,
             "now": int(now), "now_ms": int(now * 1000), "inprogress": INPROGRESS}).fetchone()
        if inserted is not None:
            # Housekeeping: a few records that expired for good (keys nobody retries).
            self.conn.execute(
                """DELETE FROM idempotency_records WHERE id IN (
                       SELECT id FROM idempotency_records WHERE expiry < %s
                        ORDER BY expiry LIMIT 20 FOR UPDATE SKIP LOCKED)""", (int(now),))
            return None
        return self.get(key) or {}

    def get(self, key: str) -> dict | None:
        return self.conn.execute(f"SELECT {_COLUMNS} FROM idempotency_records WHERE id = %s",
                                 (key,)).fetchone()

    def complete(self, key: str, *, status: str, expiry: int, response_data: str | None) -> None:
        self.conn.execute(
            "UPDATE idempotency_records SET status = %s, expiry = %s, response_data = %s WHERE id = %s",
            (status, expiry, response_data, key))

    def release(self, key: str) -> None:
        self.conn.execute("DELETE FROM idempotency_records WHERE id = %s", (key,))


# ---- HTTP: the Idempotency-Key header --------------------------------------------------------

# What a key may be: a UUID (what the admin site sends) or any opaque token of this alphabet.
KEY_PATTERN = r"^[A-Za-z0-9._:~-]+$"
KEY_MIN_LENGTH, KEY_MAX_LENGTH = 8, 128


def fingerprint(request: Any) -> str:
    """SHA-256 of the request's parsed arguments (path parameters and body, JSON-encoded with
    sorted keys): the same request sent again, spaced or ordered differently, matches."""
    text = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def once(conn: psycopg.Connection, *, scope: str, key: str, request: Any,
         work: Callable[[], tuple[int, str]], ttl_seconds: int, lease_seconds: int) -> tuple[int, str, bool]:
    """Run `work` (→ status, JSON body) once per (`scope`, `key`); returns (status, body, replayed).

    - the first request claims the key (committed at once, before any work, on the request's own
      connection: it must be the first thing done on it);
    - a request with the same key and the same `request` after it finished gets its answer back,
      for `ttl_seconds`; one while it is still running gets 409 `idempotency_in_progress` with
      Retry-After (it never waits, nor does the work);
    - the same key with another request: 422 `idempotency_key_reused`;
    - when `work` raises (a 4xx or 5xx answer), the key is released: the answer is not kept, so
      a corrected retry with the same key runs. A claim whose invocation died is free again
      after `lease_seconds`.

    The success is recorded in the request's transaction, so it commits with the work; the
    stored answer is sealed with the notifications key (settings.notification_key).
    """
    from doctorlive.notifications.sealing import seal_text, unseal_text

    if conn.info.transaction_status != TransactionStatus.IDLE:
        raise RuntimeError("once() must run first on its connection, so its claim is committed")
    record_id = f"{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    digest = fingerprint(request)
    now = time.time()
    store = IdempotencyStore(conn)
    with conn.transaction():
        holder = store.claim(record_id, status=INPROGRESS, expiry=int(now + ttl_seconds),
                             in_progress_expiry=int((now + lease_seconds) * 1000), payload_hash=digest)
    if holder is not None:
        if holder and holder.get("payload_hash") != digest:
            raise invalid("header.Idempotency-Key", "use a new key for a different request",
                          "idempotency_key_reused", code="idempotency_key_reused",
                          summary="This Idempotency-Key was already used with another request")
        if holder.get("status") == COMPLETED and holder.get("response_data"):
            stored = json.loads(holder["response_data"])
            return stored["status"], unseal_text(stored["body"], record_id), True
        raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly",
                       code="idempotency_in_progress", headers={"Retry-After": "1"})
    try:
        status, body = work()
    except BaseException as exc:
        # End the failed work's transaction as the request would (keeping what a domain error
        # asks to keep), then free the key for good.
        keep = isinstance(exc, DomainError) and exc.keep_changes
        (conn.commit if keep else conn.rollback)()
        with conn.transaction():
            store.release(record_id)
        raise
    # Sealed: an answer may hold a secret the database otherwise keeps only hashed (a new
    # user's set-password link).
    store.complete(record_id, status=COMPLETED, expiry=int(now + ttl_seconds),
                   response_data=json.dumps({"status": status, "body": seal_text(body, record_id)}))
    return status, body, False


# ---- events: Powertools' idempotency utility over the same store --------------------------------

@lru_cache(maxsize=1)
def _persistence_layer_class():
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyItemAlreadyExistsError,
        IdempotencyItemNotFoundError,
    )
    from aws_lambda_powertools.utilities.idempotency.persistence.base import (
        BasePersistenceLayer,
        DataRecord,
    )

    def to_record(row: dict) -> DataRecord:
        return DataRecord(idempotency_key=row["id"], status=row["status"], expiry_timestamp=row["expiry"],
                          in_progress_expiry_timestamp=row["in_progress_expiry"],
                          response_data=row["response_data"] or "", payload_hash=row["payload_hash"] or "")

    class PostgresPersistenceLayer(BasePersistenceLayer):
        def _get_record(self, idempotency_key: str) -> DataRecord:
            with db.pool().connection() as conn:
                row = IdempotencyStore(conn).get(idempotency_key)
            if row is None:
                raise IdempotencyItemNotFoundError
            return to_record(row)

        def _put_record(self, data_record: DataRecord) -> None:
            with db.pool().connection() as conn:
                holder = IdempotencyStore(conn).claim(
                    data_record.idempotency_key, status=data_record.status,
                    expiry=data_record.expiry_timestamp,
                    in_progress_expiry=data_record.in_progress_expiry_timestamp,
                    payload_hash=data_record.payload_hash if self.payload_validation_enabled else None)
            if holder is not None:
                old = to_record(holder) if holder else None
                if old is not None:
                    self._validate_payload(data_payload=data_record, stored_data_record=old)
                    self._save_to_cache(data_record=old)
                raise IdempotencyItemAlreadyExistsError(old_data_record=old)

        def _update_record(self, data_record: DataRecord) -> None:
            with db.pool().connection() as conn:
                IdempotencyStore(conn).complete(data_record.idempotency_key, status=data_record.status,
                                                expiry=data_record.expiry_timestamp,
                                                response_data=data_record.response_data)

        def _delete_record(self, data_record: DataRecord) -> None:
            with db.pool().connection() as conn:
                IdempotencyStore(conn).release(data_record.idempotency_key)

    return PostgresPersistenceLayer


def __getattr__(name: str):
    if name == "PostgresPersistenceLayer":
        return _persistence_layer_class()
    raise AttributeError(name)


_configs: list = []


def idempotent_record(key_path: str, expires_after_seconds: int = 7 * 24 * 3600):
    """Make a per-record function idempotent on the JMESPath `key_path` of its `record` argument."""
    from aws_lambda_powertools.utilities.idempotency import (
        IdempotencyConfig,
        idempotent_function,
    )

    config = IdempotencyConfig(event_key_jmespath=key_path, expires_after_seconds=expires_after_seconds,
                               raise_on_no_idempotency_key=True, use_local_cache=False)
    _configs.append(config)
    # One store per decorated function: Powertools configures a store once, with the first
    # config it sees, so a shared store would apply one function's key path to every other
    # (the local event pump runs several handlers in one process).
    return idempotent_function(data_keyword_argument="record", config=config,
                               persistence_store=_persistence_layer_class()())


def register_context(context) -> None:
    """Tie in-progress records to the Lambda's remaining time, so a crashed invocation does not
    block its retry until the record expires."""
    for config in _configs:
        config.register_lambda_context(context)
