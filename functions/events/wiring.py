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
    key_prefix: str = ""             # S3 object key prefix that triggers the route (s3 sources)
    batch_size: int = 10
    max_concurrency: int | None = None  # SQS event source maximum concurrency (>= 2)
    visibility_timeout_seconds: int = 120
    max_receive_count: int = 5          # deliveries before a message goes to the DLQ
    timeout_seconds: int = 60
    memory_mb: int = 512
    # As Route.needs (an S3 source's bucket is readable without saying so).
    needs: tuple[str, ...] = ("db",)

    @property
    def handler(self) -> str:
        return f"functions.events.{self.module}.handler"

    @property
    def kind(self) -> str:
        return self.source.split(":", 1)[0]

    @property
    def resource(self) -> str:
        """The bucket or topic key (`knowledge`, `notifications`) or the schedule expression."""
        return self.source.split(":", 1)[1]


# The buckets and topics event sources refer to. Each is named by the CDK app (or the dev stack)
# and reaches the code through an environment variable: KNOWLEDGE_BUCKET, RECORDINGS_BUCKET,
# NOTIFICATIONS_TOPIC_ARN. LiveKit's egress writes recordings (see doctorlive.livekit.egress).
BUCKETS: tuple[str, ...] = ("knowledge", "recordings")
TOPICS: tuple[str, ...] = ("notifications",)


def bucket_env(key: str) -> str:
    return f"{key.upper()}_BUCKET"


def topic_env(key: str) -> str:
    return f"{key.upper()}_TOPIC_ARN"


EVENTS: tuple[EventRoute, ...] = (
    # Knowledge base: an uploaded PDF is chunked and embedded. The concurrency cap protects the
    # embedding API's rate limit; the timeout leaves room for a 25 MB PDF.
    EventRoute(name="kb-ingest", module="kb_ingest", source="s3:knowledge", key_prefix="uploads/",
               batch_size=1, max_concurrency=2, visibility_timeout_seconds=900, max_receive_count=4,
               timeout_seconds=600, memory_mb=1769, needs=("db", "openai")),
    # Notifications: the API publishes one message per recipient and channel to the topic; each
    # channel's queue takes its own (filter on the `channel` attribute). Six deliveries with
    # exponential backoff (about 15 minutes) before the dead-letter queue; idempotent handlers.
    EventRoute(name="notify-email", module="notify_email", source="sns:notifications",
               filter_policy={"channel": ["email"]}, batch_size=10, max_concurrency=5,
               visibility_timeout_seconds=120, max_receive_count=6, timeout_seconds=60, memory_mb=256,
               needs=("db", "notifications", "email:send")),
    EventRoute(name="notify-whatsapp", module="notify_whatsapp", source="sns:notifications",
               filter_policy={"channel": ["whatsapp"]}, batch_size=10, max_concurrency=5,
               visibility_timeout_seconds=120, max_receive_count=6, timeout_seconds=60, memory_mb=256,
               needs=("db", "notifications", "whatsapp")),
    # Every notification published: each minute, what the API committed but could not publish
    # (SNS error, or a crash between its commit and its publish) is published to the same topic,
    # once its request's one-minute claim has lapsed. Claims make concurrent runs safe; the
    # notifiers' idempotency makes a late original publish safe. Messages arrive sealed: no key.
    EventRoute(name="notify-republish", module="notify_republish", source="schedule:rate(1 minute)",
               batch_size=10, max_concurrency=2, visibility_timeout_seconds=120, max_receive_count=3,
               timeout_seconds=60, memory_mb=256, needs=("db", "topic:notifications:publish")),
    # The assistant on demand (doctorlive.assistant.capacity): each minute, the assistant
    # service's floor set to the meetings due now (0 tasks when none), and meetings it missed
    # dispatched again. Only where the stage runs the assistant on demand (infra/events.py skips
    # the row elsewhere; `make dev`'s pump runs it without a service to scale).
    EventRoute(name="assistant-capacity", module="assistant_capacity", source="schedule:rate(1 minute)",
               batch_size=10, max_concurrency=2, visibility_timeout_seconds=120, max_receive_count=3,
               timeout_seconds=60, memory_mb=256, needs=("db", "livekit", "assistant:scale")),
    # Retention: recordings at their purge date (S3 object, then row), transcripts and summaries
    # past their entity's retention. Hourly; each run does at most retention_max_batches batches.
    # Two runs at once at most (SQS's minimum cap); they skip each other's locked rows.
    EventRoute(name="retention-purge", module="retention_purge", source="schedule:rate(1 hour)",
               batch_size=10, max_concurrency=2, visibility_timeout_seconds=600, max_receive_count=3,
               timeout_seconds=300, memory_mb=256, needs=("db", "bucket:recordings:delete")),
)

# The deploy-time job (functions/events/migrate.py), a function outside this table: infra/stack.py
# adds JWT_SECRET_ARN, the one secret it may write.
MIGRATE_NEEDS: tuple[str, ...] = ("db",)

_BY_MODULE = {r.module: r for r in EVENTS}


def route_for(module_name: str) -> EventRoute:
    """The row of the calling module (`__name__`, e.g. 'functions.events.kb_ingest')."""
    return _BY_MODULE[module_name.rsplit(".", 1)[-1]]
