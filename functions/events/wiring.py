"""The one table of event wiring: (source, queue, handler).

CDK builds each row's queue (with its dead-letter queue and alarm), subscription and function;
the local event pump reads the same rows and calls the same handlers with real SQS events.
Each module `functions/events/<module>.py` exposes `handler`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EventRoute:
    name: str                        # also the queue's logical name
    module: str                      # functions/events/<module>.py
    source: str                      # "s3:<bucket key>", "sns:<topic key>" or "schedule:<expression>"
    filter_policy: dict = field(default_factory=dict)  # SNS subscription filter (sns sources)
    batch_size: int = 10
    max_concurrency: int | None = None  # SQS event source maximum concurrency (>= 2)
    visibility_timeout_seconds: int = 120
    max_receive_count: int = 5          # deliveries before a message goes to the DLQ
    timeout_seconds: int = 60
    memory_mb: int = 512

    @property
    def handler(self) -> str:
        return f"functions.events.{self.module}.handler"


EVENTS: tuple[EventRoute, ...] = ()
