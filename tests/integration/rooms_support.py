"""Fixtures for the meeting, notification and LiveKit tests: the SMTP and WhatsApp sinks and the
LiveKit stand-in on free ports with settings pointed at them, callers by login, the two seeded
entities. A test module uses them with `pytest_plugins = ["tests.integration.rooms_support"]`;
helpers are in rooms_helpers.py.
"""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from tests.integration.fixtures import PASSWORD
from tests.integration.rooms_helpers import free_port, patched_env

__all__ = ["as_user", "clinic", "design", "free_port", "livekit", "patched_env", "sinks"]


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


