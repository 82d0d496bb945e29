"""Helpers for the meeting, notification and LiveKit tests (their fixtures: tests/conftest.py)."""
from __future__ import annotations

import json
import os
import socket
import time
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def patched_env(values: dict[str, str]):
    """Set environment variables and re-read settings; restore both afterwards."""
    from doctorlive import settings

    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    settings.get_settings.cache_clear()
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        settings.get_settings.cache_clear()


def redrive(sqs, queue, timeout: float = 30.0) -> int:
    """Move a dead-letter queue's messages back to their queue, as an operator does after the
    cause is fixed (SQS StartMessageMoveTask, the console's "Start DLQ redrive"); returns how
    many moved."""
    dlq_arn = sqs.get_queue_attributes(QueueUrl=queue.dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.start_message_move_task(SourceArn=dlq_arn)
    deadline = time.monotonic() + timeout
    while True:
        [task] = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=1)["Results"]
        if task["Status"] != "RUNNING":
            if task["Status"] != "COMPLETED":
                raise RuntimeError(f"the redrive failed: {task}")
            return task["ApproximateNumberOfMessagesMoved"]
        if time.monotonic() > deadline:
            raise TimeoutError("the redrive did not finish")
        time.sleep(0.2)


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


def inbox(sinks, recipient: str | None = None) -> list[dict]:
    """The SMTP sink's messages, as any script reads them (GET /api/messages)."""
    items = _get_json(f"{sinks.smtp.url}/api/messages")
    return [m for m in items if recipient is None or recipient in m["to"]]


def whatsapp_inbox(sinks, phone: str | None = None) -> list[dict]:
    items = _get_json(f"{sinks.whatsapp.url}/api/messages")
    return [m for m in items if phone is None or m["recipient"] == phone.lstrip("+")]


def unique_email(tag: str = "p") -> str:
    return f"{tag}.{uuid.uuid4().hex[:10]}@example.org"


def unique_phone() -> str:
    return "+55119" + str(uuid.uuid4().int)[:8]


def room_body(participants=(), *, start_in=timedelta(days=2), minutes=60, **extra) -> dict:
    start = (datetime.now(UTC) + start_in).replace(microsecond=0)
    return {"title": extra.pop("title", "Consulta de retorno"),
            "scheduled_start": start.isoformat(),
            "scheduled_end": (start + timedelta(minutes=minutes)).isoformat(),
            "participants": list(participants), **extra}

