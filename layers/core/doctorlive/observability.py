"""One logger, one metrics object and one tracer for the whole process.

Powertools' Logger writes structured JSON with the Lambda context and a correlation id on every
line; secrets never go through it (settings hold them as SecretStr, which prints as ******).
"""
from __future__ import annotations

import os
import traceback
import warnings
from functools import lru_cache

from aws_lambda_powertools import Logger, Metrics

# An endpoint that recorded no metric is normal; Powertools would warn on every invocation.
warnings.filterwarnings("ignore", message="No application metrics to publish")

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "doctor-live")

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "DoctorLive"),
                  service=SERVICE)

# Metric names other code (the CDK app's alarms) relies on.
FAILED_LOGINS = "FailedLogins"      # a login refused for wrong credentials (401)
REFUSED_LOGINS = "RefusedLogins"    # a login refused by a limit before its password was checked (429)


def count(name: str, value: int = 1) -> None:
    """Add to a Count metric of this invocation (flushed as EMF when the handler returns)."""
    metrics.add_metric(name=name, unit="Count", value=value)


def tracing_enabled() -> bool:
    """X-Ray is active only where the Lambda runtime runs a daemon for it (the cloud)."""
    return bool(os.environ.get("AWS_XRAY_DAEMON_ADDRESS")) and \
        os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() not in ("1", "true")


@lru_cache(maxsize=1)
def tracer():
    """The process's Tracer, built on first use: the X-Ray SDK is only imported in the cloud."""
    from aws_lambda_powertools import Tracer  # noqa: PLC0415

    return Tracer(service=SERVICE, disabled=not tracing_enabled())


def log_unexpected(exc: BaseException, message: str = "unhandled error", **extra) -> None:
    """Log an unexpected error. A database error's text can hold row data (PostgreSQL's DETAIL
    "Failing row contains (...)", key values, rejected input), so for those only its class,
    SQLSTATE, table, column, constraint and where it was raised are logged, never its text."""
    import psycopg  # noqa: PLC0415

    db_error = next((e for e in _chain(exc) if isinstance(e, psycopg.Error)), None)
    if db_error is None:
        logger.exception(message, extra=extra or None)
        return
    diag = db_error.diag
    logger.error(message, extra={
        **extra, "error_type": type(exc).__name__, "db_error": type(db_error).__name__,
        "sqlstate": db_error.sqlstate, "table": diag.table_name, "column": diag.column_name,
        "constraint": diag.constraint_name,
        "where": [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_tb(exc.__traceback__)][-6:],
    })


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__
