"""Observability, one way: one logger, one metrics object, one lazily built tracer for the whole
process, and `instrument()` that every entry point goes through.

- Logs: Powertools' Logger writes structured JSON with the Lambda context and a correlation id on
  every line; secrets never go through it (settings hold them as SecretStr, which prints as
  ******), and neither do e-mail addresses (`fingerprint()` them).
- Metrics: EMF (namespace DoctorLive, dimension `service`), flushed when the handler returns or
  raises. The names below are the ones the CDK app's alarms and dashboard watch.
- Traces: X-Ray through Powertools' Tracer, only where the Lambda runtime runs a daemon for it.
  The Tracer (and the X-Ray SDK behind it) is imported on the first traced call with tracing on,
  never at import: `traced`/`span` cost one environment lookup when tracing is off.

    handler = instrument(handler)                                   # an event or job handler
    handler = instrument(handler, correlation_id_path=API_GATEWAY)  # doctorlive.web does this
    @server.rtc_session(...) then @instrument on `async def entrypoint(ctx)`  # the agent's job
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import logging
import os
import traceback
import warnings
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics

# An endpoint that recorded no metric is normal; Powertools would warn on every invocation.
warnings.filterwarnings("ignore", message="No application metrics to publish")

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "doctor-live")
NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "DoctorLive")

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)

# Metric names other code (the CDK app's alarms and dashboard) relies on.
FAILED_LOGINS = "FailedLogins"      # a login refused for wrong credentials (401)
REFUSED_LOGINS = "RefusedLogins"    # a login refused by a limit before its password was checked (429)
REFRESH_TOKEN_REUSE = "RefreshTokenReuse"  # a spent refresh token presented again: its session revoked
MAGIC_LINK_LOCKS = "MagicLinkLocks"  # a wrong password that locked an invitation link
NOTIFICATIONS_FAILED = "NotificationsFailed"  # a notification given up by its notifier
NOTIFICATIONS_UNPUBLISHABLE = "NotificationsUnpublishable"  # given up by the republish job
AGENT_ERRORS = "AgentErrors"        # an error logged by the meeting assistant (agent-container)

# The correlation id of an API Gateway REST proxy event (its request id), as Powertools reads it.
API_GATEWAY = "requestContext.requestId"
AGENT_SERVICE = "doctor-live-agent"

F = TypeVar("F", bound=Callable[..., Any])


def count(name: str, value: int = 1) -> None:
    """Add to a Count metric of this invocation (flushed as EMF when the handler returns)."""
    metrics.add_metric(name=name, unit="Count", value=value)


def fingerprint(value: str) -> str:
    """A stable, short, non-reversible stand-in for an identifier that must not be logged in
    clear (an e-mail address): the same address gives the same fingerprint, so lines correlate."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:16]


def tracing_enabled() -> bool:
    """X-Ray is active only where the Lambda runtime runs a daemon for it (the cloud)."""
    return bool(os.environ.get("AWS_XRAY_DAEMON_ADDRESS")) and \
        os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() not in ("1", "true")


@lru_cache(maxsize=1)
def tracer():
    """The process's Tracer, built on first use: the X-Ray SDK is only imported in the cloud."""
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE, disabled=not tracing_enabled())


# ---- the one way into the code --------------------------------------------------------------

def instrument(handler: F | None = None, *, correlation_id_path: str | None = None) -> F:
    """Wrap an entry point; usable as `@instrument`, `@instrument(...)` or `instrument(fn)`.

    A Lambda handler `(event, context)` gets, on every invocation: the Lambda context on each
    log line and a correlation id (from `correlation_id_path` in the event, else the invocation's
    request id), state cleared between invocations; its metrics flushed as EMF even when it
    raises; an unexpected exception logged (safely, see log_unexpected) before it propagates;
    and, with tracing on, Tracer.capture_lambda_handler (decided and built on the first call).

    An async function (the meeting assistant's job entry point and dispatch callback, whose
    first argument has `.job`) gets the job id as correlation id, its `meeting_agent` loggers
    writing the same JSON through the same Logger, errors counted as AGENT_ERRORS, and its
    metrics flushed when it returns.
    """
    if handler is None:
        return functools.partial(instrument, correlation_id_path=correlation_id_path)  # type: ignore[return-value]
    if getattr(handler, "instrumented", False):
        return handler
    wrapped = _job(handler) if inspect.iscoroutinefunction(handler) else _lambda(handler, correlation_id_path)
    wrapped.instrumented = True
    return wrapped


def _lambda(fn: Callable, correlation_id_path: str | None) -> Callable:
    def invoke(event, context):
        if correlation_id_path is None:
            logger.set_correlation_id(getattr(context, "aws_request_id", None))
        try:
            return fn(event, context)
        except Exception as exc:
            log_unexpected(exc, "invocation failed")
            raise

    body = metrics.log_metrics(invoke, raise_on_empty_metrics=False)
    body = logger.inject_lambda_context(body, correlation_id_path=correlation_id_path, clear_state=True)
    chosen: Callable | None = None

    @functools.wraps(fn)
    def handler(event, context):
        nonlocal chosen
        if chosen is None:
            chosen = tracer().capture_lambda_handler(body) if tracing_enabled() else body
        return chosen(event, context)

    return handler


def _job(fn: Callable) -> Callable:
    @functools.wraps(fn)
    async def job(*args, **kwargs):
        route_agent_logs()
        job_ = getattr(args[0], "job", None) if args else None
        logger.set_correlation_id(getattr(job_, "id", None))
        try:
            return await fn(*args, **kwargs)
        except Exception as exc:
            log_unexpected(exc, "agent job failed")
            count(AGENT_ERRORS)
            raise
        finally:
            metrics.flush_metrics(raise_on_empty_metrics=False)

    return job


class _CountErrors(logging.Handler):
    """Each ERROR record of the assistant adds to AGENT_ERRORS, flushed at once: a long-lived
    worker has no invocation end to flush at."""

    def __init__(self):
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        count(AGENT_ERRORS)
        metrics.flush_metrics(raise_on_empty_metrics=False)


def route_agent_logs(name: str = "meeting_agent") -> None:
    """The assistant's stdlib loggers (`meeting_agent.*`) write through the process Logger (same
    JSON, same keys, correlation id) and count their errors. Idempotent."""
    target = logging.getLogger(name)
    if any(isinstance(h, _CountErrors) for h in target.handlers):
        return
    target.handlers = [logger.registered_handler, _CountErrors()]
    target.setLevel(logger.log_level)
    target.propagate = False
    logger.append_keys(name="%(name)s")  # which of the assistant's modules wrote the line


# ---- spans, lazily --------------------------------------------------------------------------

def traced(fn: F) -> F:
    """Tracer.capture_method on a service-level function (sync or async) when tracing is on —
    a `## module.function` subsegment, errors recorded, responses never captured (they hold
    documents and tokens) — and the plain function otherwise. The Tracer is built on the first
    traced call, so importing a service never imports the X-Ray SDK."""
    captured: Callable | None = None

    def capture() -> Callable:
        nonlocal captured
        if captured is None:
            captured = tracer().capture_method(fn, capture_response=False)
        return captured

    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def call_async(*args, **kwargs):
            if not tracing_enabled():
                return await fn(*args, **kwargs)
            return await capture()(*args, **kwargs)
        call_async.traced = True
        return call_async

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if not tracing_enabled():
            return fn(*args, **kwargs)
        return capture()(*args, **kwargs)
    call.traced = True
    return call


def span(name: str):
    """`with span("ingest.embed"):` — a subsegment when tracing is on, nothing otherwise."""
    if not tracing_enabled():
        return contextlib.nullcontext()
    return tracer().provider.in_subsegment(f"## {name}")


# ---- errors ---------------------------------------------------------------------------------

def log_unexpected(exc: BaseException, message: str = "unhandled error", **extra) -> None:
    """Log an unexpected error. A database error's text can hold row data (PostgreSQL's DETAIL
    "Failing row contains (...)", key values, rejected input), so for those only its class,
    SQLSTATE, table, column, constraint and where it was raised are logged, never its text."""
    import psycopg

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
