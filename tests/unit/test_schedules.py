"""The event pump plays EventBridge for the wiring table's schedule rows (make dev = AWS)."""
from __future__ import annotations

import pytest

from devstack.pump import rate_seconds, scheduled_event
from functions.events.wiring import EVENTS


@pytest.mark.parametrize(("expression", "seconds"), [
    ("rate(1 minute)", 60), ("rate(5 minutes)", 300), ("rate(1 hour)", 3600), ("rate(2 days)", 172800)])
def test_rate_expressions(expression, seconds):
    assert rate_seconds(expression) == seconds


def test_cron_is_not_run_locally_and_nonsense_is_refused():
    assert rate_seconds("cron(0 3 * * ? *)") is None
    with pytest.raises(ValueError):
        rate_seconds("every minute")


def test_every_schedule_row_of_the_table_runs_locally_as_eventbridge_would_send_it():
    rows = [r for r in EVENTS if r.kind == "schedule"]
    assert "notify-republish" in {r.name for r in rows}
    for row in rows:
        assert rate_seconds(row.resource) is not None, row.name
        event = scheduled_event(row)
        assert event["detail-type"] == "Scheduled Event" and event["source"] == "aws.events"
