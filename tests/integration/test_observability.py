"""Every entry point is instrumented the same way (doctorlive.observability.instrument): each
invocation's log lines carry its correlation id and its metrics leave as EMF, even when it
fails; the auth service says what happened to a login or a session without writing an e-mail
address, a password or a token; and tracing costs nothing until it is on."""
from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from doctorlive.auth import tokens
from functions.api.routes import ROUTES
from functions.events.wiring import EVENTS
from tests.integration.join_support import make_invitation

REPO = Path(__file__).resolve().parents[2]
EVENT_MODULES = sorted({r.module for r in EVENTS} | {"migrate"})  # migrate: the deploy job


def lines(captured: str) -> tuple[list[dict], list[dict]]:
    """(log lines, EMF documents) of what the process wrote."""
    logs, emf = [], []
    for line in captured.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        (emf if "_aws" in doc else logs).append(doc)
    return logs, emf


def metric(emf: list[dict], name: str) -> float:
    total = 0.0
    for doc in emf:
        declared = {m["Name"] for d in doc["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
        if name in declared:
            assert doc["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "DoctorLive"
            value = doc[name]
            total += sum(value) if isinstance(value, list) else value
    return total


@pytest.fixture
def output(capsys):
    """What the process writes from here on: the Logger's lines (its handler's stream, which the
    assistant's loggers share) and the EMF documents (printed); each call returns what is new."""
    import io

    from doctorlive.observability import logger

    stream, handler = io.StringIO(), logger.registered_handler
    previous, handler.stream = handler.stream, stream  # not setStream: it flushes the old one
    capsys.readouterr()

    def read() -> str:
        text = stream.getvalue() + capsys.readouterr().out
        stream.seek(0)
        stream.truncate()
        return text

    yield read
    handler.stream = previous


def context(request_id: str | None = None):
    from devstack.apigw import LambdaContext

    return LambdaContext(function_name="test", aws_request_id=request_id or str(uuid.uuid4()))


# ---- every entry point --------------------------------------------------------------------------

@pytest.mark.parametrize("module", sorted({r.module for r in ROUTES}))
def test_every_api_handler_is_instrumented(module):
    handler = importlib.import_module(f"functions.api.{module}").handler
    assert getattr(handler, "instrumented", False), f"functions.api.{module}.handler"


@pytest.mark.parametrize("module", EVENT_MODULES)
def test_every_event_and_job_handler_is_instrumented(module):
    handler = importlib.import_module(f"functions.events.{module}").handler
    assert getattr(handler, "instrumented", False), f"functions.events.{module}.handler"


def test_no_entry_point_is_left_out_of_the_tables():
    """Each handler module is a row of a table (or the deploy job): nothing escapes the checks above."""
    api = {p.stem for p in (REPO / "functions" / "api").glob("*.py")} - {"__init__", "routes"}
    events = {p.stem for p in (REPO / "functions" / "events").glob("*.py")} - {"__init__", "wiring"}
    assert api == {r.module for r in ROUTES}
    assert events == set(EVENT_MODULES)


def test_the_assistants_job_and_dispatch_callback_are_instrumented():
    from meeting_agent import worker

    assert getattr(worker.entrypoint, "instrumented", False)
    assert getattr(worker.on_request, "instrumented", False)


def test_services_where_time_goes_are_traced():
    from doctorlive.knowledge import service as knowledge
    from doctorlive.livekit.client import RoomService
    from doctorlive.notifications import mail, whatsapp
    from doctorlive.providers.embeddings import LocalEmbeddings, OpenAIEmbeddings

    traced = [knowledge.search, mail.send, whatsapp.send, OpenAIEmbeddings.embed, LocalEmbeddings.embed,
              RoomService.create_room, RoomService.delete_room, RoomService.create_dispatch,
              RoomService.list_participants, RoomService.stop_egress]
    assert [f.__qualname__ for f in traced if not getattr(f, "traced", False)] == []


# ---- one invocation -----------------------------------------------------------------------------

def test_an_api_invocation_logs_its_request_id_and_emits_emf(database, output):
    from devstack.apigw import invoke, match, rest_event

    route, _, _ = match("POST", "/api/v1/auth/login")
    event = rest_event(route, "POST", "/api/v1/auth/login", headers={"content-type": "application/json"},
                       body=json.dumps({"email": "admin@clinica.local", "password": "not-it"}),
                       source_ip="192.0.2.171")
    request_id = event["requestContext"]["requestId"]
    output()
    assert invoke(route, event)["statusCode"] == 401
    logs, emf = lines(output())
    [refused] = [line for line in logs if line["message"] == "login refused: invalid credentials"]
    assert refused["correlation_id"] == request_id
    assert refused["function_request_id"]  # the Lambda context is on the line
    assert metric(emf, "FailedLogins") == 1


def test_an_event_invocation_is_correlated_by_its_request_id_and_flushes_its_metrics(database, output):
    from functions.events import notify_republish

    tick = {"Records": [{"messageId": str(uuid.uuid4()), "body": "{}", "eventSource": "aws:sqs"}]}
    request_id = str(uuid.uuid4())
    output()
    assert notify_republish.handler(tick, context(request_id)) == {"batchItemFailures": []}
    logs, emf = lines(output())
    [run] = [line for line in logs if line["message"] == "notification republish run"]
    assert run["correlation_id"] == request_id
    assert any("NotificationsRepublished" in doc for doc in emf)


def test_a_failing_invocation_still_logs_safely_and_flushes_its_metrics(output):
    from doctorlive.observability import count, instrument

    def job(event, context):
        count("SomethingCounted")
        raise RuntimeError("the job broke")

    handler = instrument(job)
    request_id = str(uuid.uuid4())
    output()
    with pytest.raises(RuntimeError):
        handler({}, context(request_id))
    logs, emf = lines(output())
    [failed] = [line for line in logs if line["message"] == "invocation failed"]
    assert failed["correlation_id"] == request_id and failed["level"] == "ERROR"
    assert "the job broke" in failed["exception"]
    assert metric(emf, "SomethingCounted") == 1
    # The next invocation starts clean: its own correlation id, no metric carried over.
    handler2 = instrument(lambda event, context: "ok")
    assert handler2({}, context()) == "ok"
    logs, emf = lines(output())
    assert metric(emf, "SomethingCounted") == 0


def test_an_agent_job_counts_its_errors_as_emf(output):
    import logging

    from doctorlive.observability import instrument

    @instrument
    async def entrypoint(ctx):
        logging.getLogger("meeting_agent.session").error("summary failed")
        return "done"

    import asyncio

    job = SimpleNamespace(job=SimpleNamespace(id="AJ_observability"))
    output()
    assert asyncio.run(entrypoint(job)) == "done"
    logs, emf = lines(output())
    [line] = [line for line in logs if line["message"] == "summary failed"]
    assert line["correlation_id"] == "AJ_observability" and line["name"].startswith("meeting_agent")
    assert metric(emf, "AgentErrors") == 1


# ---- the auth service's log lines -----------------------------------------------------------

def test_auth_logs_tell_what_happened_without_address_password_or_token(api, login, conn, output):
    from doctorlive.observability import fingerprint

    email, password = "admin@clinica.local", "doctorlive-dev"
    output()
    assert api.post("/api/v1/auth/login", {"email": email, "password": "wrong-guess-1"}).status == 401
    first = login(email, password)
    rotated = api.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}).json()
    conn.execute("UPDATE refresh_tokens SET used_at = used_at - interval '10 minutes' WHERE token_hash = %s",
                 (tokens.hash_token(first["refresh_token"]),))
    assert api.post("/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}).status == 401
    second = login(email, password)
    assert api.post("/api/v1/auth/logout", {"refresh_token": second["refresh_token"]}).status in (200, 204)
    out = output()
    logs, emf = lines(out)

    by_message = {}
    for line in logs:
        by_message.setdefault(line["message"], []).append(line)
    assert by_message["login refused: invalid credentials"][0]["reason"] == "wrong_password"
    ok = by_message["login ok"][0]
    assert ok["account"] == fingerprint(email) and ok["user_id"] == first["user"]["id"]
    [reuse] = by_message["refresh token reused: session revoked"]
    assert reuse["user_id"] == first["user"]["id"] and reuse["level"] == "WARNING"
    assert by_message["logout: session revoked"][0]["user_id"] == first["user"]["id"]
    assert metric(emf, "RefreshTokenReuse") == 1

    secrets = [email, password, "wrong-guess-1", first["refresh_token"], first["access_token"],
               rotated["refresh_token"], rotated["access_token"], second["refresh_token"]]
    assert [s for s in secrets if s in out] == []


def test_a_limited_login_is_logged_with_the_limit_not_the_address(api, output):
    email = f"nobody.{uuid.uuid4().hex[:8]}@example.org"
    output()
    replies = [api.post("/api/v1/auth/login", {"email": email, "password": "guess"}, ip="192.0.2.172").status
               for _ in range(6)]
    assert replies == [401] * 5 + [429]
    out = output()
    logs, _ = lines(out)
    [limited] = [line for line in logs if line["message"] == "login refused: limited"]
    assert limited["limit"] == "client" and limited["retry_after"] > 0
    assert {line.get("reason") for line in logs if line["message"].startswith("login refused: invalid")} \
        == {"unknown_account"}
    assert email not in out and email.split("@")[0] not in out


def test_the_wrong_password_that_locks_a_link_is_counted(api, conn, output):
    guest = make_invitation(conn).guest
    wrong = f"{(int(guest.password) + 1) % 10 ** 8:08d}"
    output()
    replies = [api.post("/api/v1/magic-link/validate", {"token": guest.token, "password": wrong},
                        ip=f"198.51.100.{n + 120}").status for n in range(6)]
    assert replies == [401] * 5 + [429]
    logs, emf = lines(output())
    assert metric(emf, "MagicLinkLocks") == 1
    [locked] = [line for line in logs if line["message"] == "magic link locked"]
    assert locked["failed_attempts"] == 5 and guest.password not in json.dumps(locked)


# ---- tracing: nothing until it is on ----------------------------------------------------------

def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    path = os.pathsep.join([str(REPO), str(REPO / "layers" / "core"), str(REPO / "agent-container")])
    return subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": path, **env}, cwd=REPO)


def test_with_tracing_off_no_handler_or_service_imports_the_xray_sdk():
    env = {k: "" for k in ("AWS_XRAY_DAEMON_ADDRESS", "LAMBDA_TASK_ROOT", "_X_AMZN_TRACE_ID")}
    done = _python(
        "import sys\n"
        "import functions.api.rooms_create, functions.api.kb_search, functions.events.kb_ingest\n"
        "import functions.events.notify_email, doctorlive.livekit.client\n"
        "from doctorlive.observability import traced\n"
        "assert traced(lambda: 42)() == 42\n"
        "print(sorted(m for m in sys.modules if m.startswith('aws_xray_sdk')))\n", env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_with_tracing_on_a_traced_service_call_is_a_subsegment_sent_to_the_daemon():
    """As in Lambda: the runtime's trace header and daemon address; a UDP socket plays the daemon."""
    daemon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    daemon.bind(("127.0.0.1", 0))
    daemon.settimeout(30)
    host, port = daemon.getsockname()
    env = {"AWS_XRAY_DAEMON_ADDRESS": f"{host}:{port}", "LAMBDA_TASK_ROOT": str(REPO),
           "AWS_LAMBDA_FUNCTION_NAME": "test", "POWERTOOLS_TRACE_DISABLED": "false",
           "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"}
    try:
        done = _python(
            "from doctorlive.observability import traced\n"
            "@traced\n"
            "def embed_things(texts):\n"
            "    return [len(t) for t in texts]\n"
            "assert embed_things(['abc']) == [3]\n", env)
        assert done.returncode == 0, done.stderr
        packet = daemon.recv(65536).decode()
    finally:
        daemon.close()
    header, _, body = packet.partition("\n")
    segment = json.loads(body)
    assert json.loads(header)["format"] == "json"
    assert segment["name"] == "## __main__.embed_things" and segment["trace_id"] == "1-5759e988-bd862e3fe1be46a994272793"
    assert "[3]" not in json.dumps(segment.get("metadata", {}))  # responses are never captured
