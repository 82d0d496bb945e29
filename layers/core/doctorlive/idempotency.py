"""Powertools idempotency backed by Postgres (the platform has no DynamoDB table).

    from doctorlive.idempotency import idempotent_record

    @idempotent_record(expires_after_seconds=7 * 24 * 3600)
    def process(record: dict) -> dict: ...

The insert-if-absent-or-expired is one SQL statement, so two concurrent deliveries of the same
event cannot both start the work.
"""
from __future__ import annotations

import datetime as dt

from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyItemAlreadyExistsError,
    IdempotencyItemNotFoundError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.base import (
    STATUS_CONSTANTS,
    BasePersistenceLayer,
    DataRecord,
)

from doctorlive import db


class PostgresPersistenceLayer(BasePersistenceLayer):
    def _get_record(self, idempotency_key: str) -> DataRecord:
        with db.pool().connection() as conn:
            row = conn.execute(
                """SELECT id, status, expiry, in_progress_expiry, response_data, payload_hash
                     FROM idempotency_records WHERE id = %s""", (idempotency_key,)).fetchone()
        if row is None:
            raise IdempotencyItemNotFoundError
        return self._to_record(row)

    def _put_record(self, data_record: DataRecord) -> None:
        now = dt.datetime.now()
        with db.pool().connection() as conn:
            inserted = conn.execute(
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
                {"id": data_record.idempotency_key, "status": data_record.status,
                 "expiry": data_record.expiry_timestamp, "ipe": data_record.in_progress_expiry_timestamp,
                 "hash": data_record.payload_hash if self.payload_validation_enabled else None,
                 "now": int(now.timestamp()), "now_ms": int(now.timestamp() * 1000),
                 "inprogress": STATUS_CONSTANTS["INPROGRESS"]}).fetchone()
            if inserted is None:
                existing = conn.execute(
                    """SELECT id, status, expiry, in_progress_expiry, response_data, payload_hash
                         FROM idempotency_records WHERE id = %s""", (data_record.idempotency_key,)).fetchone()
        if inserted is None:
            old = self._to_record(existing) if existing else None
            if old is not None:
                self._validate_payload(data_payload=data_record, stored_data_record=old)
                self._save_to_cache(data_record=old)
            raise IdempotencyItemAlreadyExistsError(old_data_record=old)

    def _update_record(self, data_record: DataRecord) -> None:
        with db.pool().connection() as conn:
            conn.execute(
                "UPDATE idempotency_records SET status = %s, expiry = %s, response_data = %s WHERE id = %s",
                (data_record.status, data_record.expiry_timestamp, data_record.response_data,
                 data_record.idempotency_key))

    def _delete_record(self, data_record: DataRecord) -> None:
        with db.pool().connection() as conn:
            conn.execute("DELETE FROM idempotency_records WHERE id = %s", (data_record.idempotency_key,))

    @staticmethod
    def _to_record(row: dict) -> DataRecord:
        return DataRecord(idempotency_key=row["id"], status=row["status"], expiry_timestamp=row["expiry"],
                          in_progress_expiry_timestamp=row["in_progress_expiry"],
                          response_data=row["response_data"] or "", payload_hash=row["payload_hash"] or "")


_configs: list[IdempotencyConfig] = []


def idempotent_record(key_path: str, expires_after_seconds: int = 7 * 24 * 3600):
    """Make a per-record function idempotent on the JMESPath `key_path` of its `record` argument."""
    config = IdempotencyConfig(event_key_jmespath=key_path, expires_after_seconds=expires_after_seconds,
                               raise_on_no_idempotency_key=True, use_local_cache=False)
    _configs.append(config)
    # One store per decorated function: Powertools configures a store once, with the first
    # config it sees, so a shared store would apply one function's key path to every other
    # (the local event pump runs several handlers in one process).
    return idempotent_function(data_keyword_argument="record", config=config,
                               persistence_store=PostgresPersistenceLayer())


def register_context(context) -> None:
    """Tie in-progress records to the Lambda's remaining time, so a crashed invocation does not
    block its retry until the record expires."""
    for config in _configs:
        config.register_lambda_context(context)
