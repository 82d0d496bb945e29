"""One logger, one metrics object and one tracer for the whole process.

Powertools' Logger writes structured JSON with the Lambda context and a correlation id on every
line; secrets never go through it (settings hold them as SecretStr, which prints as ******).
"""
from __future__ import annotations

import os
import warnings
from functools import lru_cache

from aws_lambda_powertools import Logger, Metrics

# An endpoint that recorded no metric is normal; Powertools would warn on every invocation.
warnings.filterwarnings("ignore", message="No application metrics to publish")

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "doctor-live")

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "DoctorLive"),
                  service=SERVICE)


def tracing_enabled() -> bool:
    """X-Ray is active only where the Lambda runtime runs a daemon for it (the cloud)."""
    return bool(os.environ.get("AWS_XRAY_DAEMON_ADDRESS")) and \
        os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() not in ("1", "true")


@lru_cache(maxsize=1)
def tracer():
    """The process's Tracer, built on first use: the X-Ray SDK is only imported in the cloud."""
    from aws_lambda_powertools import Tracer  # noqa: PLC0415

    return Tracer(service=SERVICE, disabled=not tracing_enabled())
