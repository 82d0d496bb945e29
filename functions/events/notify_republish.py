"""EventBridge schedule (every minute) → SQS → here: publish again the notifications that are
still `queued` and unpublished after their request's claim lapsed (doctorlive.notifications.republish).

Each SQS record is one scheduled tick and carries nothing else: one run serves the whole batch. A
run that raises fails the batch (the ticks come back, and after max_receive_count deliveries go to
the dead-letter queue, whose alarm tells that the job keeps failing).
"""
from __future__ import annotations

from typing import Any

from doctorlive import needs
from doctorlive.notifications import republish
from doctorlive.observability import instrument
from functions.events.wiring import route_for

needs.check(__name__, route_for(__name__).needs)  # cold start: fail now, naming what is missing


@instrument
def handler(event: dict, context: Any) -> dict:
    republish.run()
    return {"batchItemFailures": []}
