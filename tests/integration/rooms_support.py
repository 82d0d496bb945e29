"""Fixtures and helpers for the meeting, notification and LiveKit tests: the SMTP and WhatsApp
sinks and the LiveKit stand-in on free ports, settings pointed at them, and small readers.

Import the fixtures into a test module with `from tests.integration.rooms_support import *`.
"""
from __future__ import annotations

import json
import os
import socket
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from tests.integration.fixtures import PASSWORD

__all__ = ["sinks", "livekit", "as_user", "clinic", "design", "room_body", "inbox", "whatsapp_inbox",
           "unique_email", "unique_phone", "free_port", "patched_env", "redrive", "PASSWORD"]


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


@pytest.fixture(scope="session")
def sinks():
    from devstack.sinks import SmtpSink, WhatsAppSink

    smtp = SmtpSink(smtp_port=free_port(), port=free_port()).start()
    whatsapp = WhatsAppSink(port=free_port()).start()
    env = {"EMAIL_BACKEND": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.smtp_port),
           "SMTP_TIMEOUT_SECONDS": "3", "WHATSAPP_API_BASE": whatsapp.url,
           "WHATSAPP_TOKEN": "test-whatsapp-token", "WHATSAPP_PHONE_NUMBER_ID": "100000000000001",
           # no visibility backoff: the test queues redeliver after 1 s
           "NOTIFY_RETRY_BASE_SECONDS": "0"}
    with patched_env(env):
        yield SimpleNamespace(smtp=smtp, whatsapp=whatsapp)
    smtp.stop()
    whatsapp.stop()


@pytest.fixture(scope="session")
def livekit():
    from devstack.livekit_stub import LiveKitStub

    key, secret = "test-key", "test-secret-" + uuid.uuid4().hex + uuid.uuid4().hex
    stub = LiveKitStub(key, secret, port=free_port()).start()
    with patched_env({"LIVEKIT_URL": stub.url, "LIVEKIT_API_KEY": key, "LIVEKIT_API_SECRET": secret}):
        yield stub
    stub.stop()


def redrive(sqs, queue, timeout: float = 30.0) -> int:
    """Move a dead-letter queue's messages back to their queue, as an operator does after the
    cause is fixed (SQS StartMessageMoveTask, the console's "Start DLQ redrive"); returns how
    many moved."""
    import time

    dlq_arn = sqs.get_queue_attributes(QueueUrl=queue.dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.start_message_move_task(SourceArn=dlq_arn)
    deadline = time.monotonic() + timeout
    while True:
        [task] = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=1)["Results"]
        if task["Status"] != "RUNNING":
            assert task["Status"] == "COMPLETED", task
            return task["ApproximateNumberOfMessagesMoved"]
        assert time.monotonic() < deadline, "the redrive did not finish"
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


@pytest.fixture
def as_user(api, login):
    def _as(email):
        token = login(email, PASSWORD)["access_token"]

        class Caller:
            token_value = token

            def __getattr__(self, verb):
                if verb in ("post", "put"):
                    return lambda path, body=None, **kw: getattr(api, verb)(path, body, token=token, **kw)
                return lambda path, **kw: getattr(api, verb)(path, token=token, **kw)
        return Caller()
    return _as


@pytest.fixture
def clinic(conn):
    return conn.execute("SELECT * FROM entities WHERE name = 'Clínica Cardio Saúde'").fetchone()


@pytest.fixture
def design(conn):
    return conn.execute("SELECT * FROM entities WHERE name = 'Design Studio XYZ'").fetchone()


def room_body(participants=(), *, start_in=timedelta(days=2), minutes=60, **extra) -> dict:
    start = (datetime.now(UTC) + start_in).replace(microsecond=0)
    return {"title": extra.pop("title", "Consulta de retorno"),
            "scheduled_start": start.isoformat(),
            "scheduled_end": (start + timedelta(minutes=minutes)).isoformat(),
            "participants": list(participants), **extra}
