"""Shared fixtures. Tests start what they need (a real PostgreSQL with pgvector) and stop it
again only if they started it."""
from __future__ import annotations

import json
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from devstack import ports
from tests.integration.rooms_helpers import free_port, patched_env

REPO = Path(__file__).resolve().parents[1]
TEST_PG_PORT = int(os.environ.get("TEST_PG_PORT", ports.POSTGRES_TEST))


def pytest_configure(config):
    # Settings are read once per process: fix the test environment before any import of them.
    port = os.environ.get("LOCALSTACK_PORT", str(ports.LOCALSTACK))
    os.environ.setdefault("LOCALSTACK_URL", f"http://127.0.0.1:{port}")
    os.environ.setdefault("STAGE", "local")
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "doctor-live-test")
    os.environ.setdefault("POWERTOOLS_DEV", "false")
    if "JWT_PRIVATE_KEY" not in os.environ:
        from doctorlive.auth.tokens import generate_private_key_pem

        os.environ["JWT_PRIVATE_KEY"] = generate_private_key_pem()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None


class Api:
    """Invokes each route's Lambda handler with an API Gateway REST proxy event."""

    def call(self, method: str, path: str, json_body=None, *, token: str | None = None,
             headers: dict[str, str] | None = None, ip: str = "198.51.100.7", body=None) -> Reply:
        from devstack.apigw import invoke, match, response_body, response_headers, rest_event

        path, _, query = path.partition("?")
        route, params, _ = match(method, path)
        assert route is not None, f"no route for {method} {path}"
        hdrs = {"content-type": "application/json", **(headers or {})}
        if token:
            hdrs["authorization"] = f"Bearer {token}"
        if json_body is not None:
            body = json.dumps(json_body)
        event = rest_event(route, method, path, path_params=params, query=query, headers=hdrs,
                           body=body, source_ip=ip)
        result = invoke(route, event)
        return Reply(result["statusCode"],
                     {k.lower(): v for k, v in response_headers(result)}, response_body(result))

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, json_body=None, **kw):
        return self.call("POST", path, json_body, **kw)

    def put(self, path, json_body=None, **kw):
        return self.call("PUT", path, json_body, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory):
    from devstack.postgres import Cluster

    cluster = Cluster.from_env(port=TEST_PG_PORT, data=REPO / ".data" / f"postgres-test-{TEST_PG_PORT}")
    started = not cluster.running()
    cluster.start()
    yield cluster
    if started:
        cluster.stop()


@pytest.fixture(scope="session")
def database(pg_cluster):
    """A fresh, migrated and seeded database for this test session."""
    from doctorlive import db, settings
    from doctorlive.migrate import migrate
    from doctorlive.seed import seed

    name = f"doctorlive_test_{os.getpid()}"
    url = pg_cluster.fresh_database(name)
    os.environ["DATABASE_URL"] = url
    settings.get_settings.cache_clear()
    db.reset_pool()
    migrate(url)
    seed(url, settings.get_settings().dev_password.get_secret_value())
    yield url
    db.reset_pool()
    pg_cluster.drop_database(name)


@pytest.fixture
def conn(database):
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(database, row_factory=dict_row, autocommit=True) as c:
        yield c


@pytest.fixture
def api(database) -> Api:
    import psycopg

    with psycopg.connect(database, autocommit=True) as c:
        c.execute("DELETE FROM rate_limit_hits")
    return Api()


DEV_PASSWORD = "doctorlive-dev"


@pytest.fixture
def login(api):
    def _login(email: str, password: str = DEV_PASSWORD) -> dict:
        reply = api.post("/api/v1/auth/login", {"email": email, "password": password})
        assert reply.status == 200, reply.body
        return reply.json()

    return _login


# ---- LocalStack (S3, SQS, SNS, Secrets Manager) -----------------------------------------------

@pytest.fixture(scope="session")
def localstack():
    """LocalStack on 127.0.0.1:4566 (LOCALSTACK_PORT), started by the project's script (and stopped if we started it)."""
    import subprocess

    ctl = REPO / "localstack" / "ctl.sh"
    started = subprocess.run([str(ctl), "status"], capture_output=True, check=False).returncode != 0
    if started:
        subprocess.run([str(ctl), "start"], check=True)
    yield os.environ["LOCALSTACK_URL"]
    if started:
        subprocess.run([str(ctl), "stop"], check=False)


@pytest.fixture(scope="session")
def aws(localstack, database):
    """The platform's buckets, topic and queues (from the wiring table) on LocalStack, plus the
    event pump that feeds queue messages to the event handlers as Lambda would."""
    from devstack.localaws import provision
    from devstack.pump import Pump
    from doctorlive import aws as aws_clients
    from doctorlive import settings

    resources = provision(f"dltest{os.getpid()}", visibility_timeout=1)
    os.environ.update(resources.env)
    settings.get_settings.cache_clear()
    aws_clients.client.cache_clear()
    yield SimpleNamespace(resources=resources, pump=Pump(resources, log=lambda m: print(m, file=sys.stderr)))


# ---- the meeting, notification and LiveKit tests (helpers: tests/integration/rooms_helpers.py) -

@pytest.fixture(scope="session")
def sinks():
    """The SMTP and WhatsApp sinks on free ports, with the settings pointed at them."""
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
    """The LiveKit stand-in on a free port, with the settings pointed at it."""
    from devstack.livekit_stub import LiveKitStub

    key, secret = "test-key", "test-secret-" + uuid.uuid4().hex + uuid.uuid4().hex
    stub = LiveKitStub(key, secret, port=free_port()).start()
    with patched_env({"LIVEKIT_URL": stub.url, "LIVEKIT_API_KEY": key, "LIVEKIT_API_SECRET": secret}):
        yield stub
    stub.stop()


@pytest.fixture
def as_user(api, login):
    """`as_user(email).get/post/put/delete(path, ...)`: calls with that (seeded) user's token."""
    def _as(email):
        token = login(email, DEV_PASSWORD)["access_token"]

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
