"""Bad input is a 422 with the error shape, never a 500; and no database error text with row
data (row contents, hashes) reaches a log."""
from __future__ import annotations

import threading
import uuid

import httpx
import psycopg
import pytest

from tests.integration.fixtures import make_tenants
from tests.integration.rooms_helpers import room_body, unique_email


@pytest.fixture(scope="module")
def tenants(database):
    from psycopg.rows import dict_row

    with psycopg.connect(database, row_factory=dict_row, autocommit=True) as c:
        return make_tenants(c)


def _is_422(reply, field: str | None = None):
    assert reply.status == 422, reply.body
    error = reply.json()["error"]
    assert error["code"] == "validation_error"
    if field:
        assert field in {f["field"] for f in error["details"]["fields"]}, error


NOT_NULL = {
    "users": ("name", "role", "active"),
    "departments": ("name", "active"),
    "professionals": ("name", "active"),
    "entities": ("name", "type", "max_participants", "recording_retention_days", "locale",
                 "timezone", "active"),
}
CASES = [(kind, field) for kind, fields in NOT_NULL.items() for field in fields]


@pytest.mark.parametrize(("kind", "field"), CASES, ids=[f"{k}.{f}" for k, f in CASES])
def test_explicit_null_on_a_required_field_of_an_update_is_422(kind, field, as_user, tenants, capfd):
    own = tenants["own"]
    target = {"users": own.spare_user_id, "departments": own.department_id,
              "professionals": own.professional_id, "entities": own.entity_id}[kind]
    reply = as_user("manager@conexa.local").put(f"/api/v1/{kind}/{target}", {field: None})
    _is_422(reply, field)
    out, err = capfd.readouterr()
    assert "$2b$" not in out + err and "Failing row" not in out + err


def test_nullable_fields_may_still_be_cleared(as_user, tenants):
    own = tenants["own"]
    reply = as_user("manager@conexa.local").put(f"/api/v1/departments/{own.department_id}", {"instructions": None})
    assert reply.status == 200 and reply.json()["instructions"] is None


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "", "posixrules"])
def test_an_entity_timezone_must_be_an_iana_zone(zone, as_user, tenants):
    manager = as_user("manager@conexa.local")
    _is_422(manager.put(f"/api/v1/entities/{tenants['own'].entity_id}", {"timezone": zone}), "timezone")
    _is_422(manager.post("/api/v1/entities", {"name": f"Mars {uuid.uuid4().hex[:6]}", "type": "clinic",
                                              "timezone": zone}), "timezone")


def test_nul_bytes_in_text_fields_and_queries_are_422(as_user, tenants):
    admin = as_user("admin@clinica.local")
    _is_422(admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}], title="a\u0000b")),
            "title")
    _is_422(admin.post("/api/v1/rooms", room_body([{"name": "A\u0000na", "email": unique_email()}])))
    _is_422(admin.post("/api/v1/rooms", room_body([], description="line\u0000")), "description")
    _is_422(admin.put(f"/api/v1/departments/{tenants['own'].department_id}", {"instructions": "x\u0000"}))
    manager = as_user("manager@conexa.local")
    _is_422(manager.get("/api/v1/entities?q=a%00b"))
    _is_422(manager.get("/api/v1/entities?type=%00"))
    _is_422(admin.get("/api/v1/knowledge-base?q=ab%00c"))


@pytest.mark.parametrize(("start", "end"), [
    ("9999-12-31T20:00:00Z", "9999-12-31T21:00:00Z"),
    ("9999-12-31T20:00:00-23:59", "9999-12-31T21:00:00-23:59"),
    ("0001-01-01T00:30:00+05:00", "0001-01-01T01:30:00+05:00"),
    ("9999-12-31T20:00:00", "9999-12-31T21:00:00"),
])
def test_dates_that_would_overflow_are_422(start, end, as_user):
    admin = as_user("admin@clinica.local")
    body = room_body([{"name": "Ana", "email": unique_email()}]) | {"scheduled_start": start, "scheduled_end": end}
    _is_422(admin.post("/api/v1/rooms", body))
    _is_422(admin.get("/api/v1/rooms?from=9999-12-31T23:59:59-23:59"))


@pytest.fixture
def log_lines():
    """What the platform's logger writes, in its own JSON format."""
    import io
    import logging

    from doctorlive.observability import logger

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger._logger.addHandler(handler)
    yield stream
    logger._logger.removeHandler(handler)


def test_a_database_error_is_logged_without_row_data(database, log_lines):
    import asyncio

    from doctorlive.web import _unexpected

    with psycopg.connect(database) as c:
        try:
            c.execute("INSERT INTO users (email, name, role, password_hash) VALUES "
                      "('leak@example.org', NULL, 'MANAGER', '$2b$10$secretsecretsecret')")
        except psycopg.Error as exc:
            error = exc
    assert "$2b$" in str(error)  # what PostgreSQL's DETAIL would have written
    reply = asyncio.run(_unexpected(None, error))
    logged = log_lines.getvalue()
    assert reply.status_code == 500 and "23502" in logged  # the SQLSTATE stays, for operators
    assert "$2b$" not in logged and "leak@example.org" not in logged and "Failing row" not in logged


@pytest.fixture(scope="module")
def gateway(database):
    from devstack.gateway import serve

    server = serve("127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND"])
@pytest.mark.parametrize("path", ["/health", "/api/v1/auth/login", "/nowhere"])
def test_unsupported_methods_get_the_json_error_shape(gateway, method, path):
    reply = httpx.request(method, gateway + path)
    assert reply.status_code in (404, 405), reply.text
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.json()["error"]["code"] in ("method_not_allowed", "not_found")


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("TRACE", "/api/v1/auth/login", {"POST", "OPTIONS"}),
    ("PATCH", "/api/v1/rooms/3f1c1a52-0000-4000-8000-000000000000", {"GET", "HEAD", "DELETE", "OPTIONS"}),
    ("DELETE", "/health", {"GET", "HEAD", "OPTIONS"}),
])
def test_a_405_names_the_methods_the_path_allows(gateway, method, path, allowed):
    """RFC 9110: a 405 carries `Allow` (found by the fuzzer: clients learn what to send instead)."""
    reply = httpx.request(method, gateway + path)
    assert reply.status_code == 405
    assert {m.strip() for m in reply.headers["allow"].split(",")} == allowed


def test_a_password_longer_than_bcrypt_reads_is_a_wrong_password_not_a_500(api, as_user):
    """bcrypt reads 72 bytes and bcrypt 5 raises beyond them (found by the fuzzer: a 500)."""
    long = "x" * 100
    login = api.post("/api/v1/auth/login", {"email": "admin@clinica.local", "password": long},
                     ip="192.0.2.172")
    assert login.status == 401, login.body
    change = as_user("admin@design.local").post("/api/v1/auth/password",
                                                {"current_password": long, "new_password": "um-segredo-longo"})
    assert change.status == 401, change.body


@pytest.mark.parametrize("new", ["x" * 73, "ç" * 37], ids=["73-ascii", "37-two-byte"])
def test_a_new_password_must_fit_in_72_bytes(as_user, new):
    reply = as_user("admin@design.local").post("/api/v1/auth/password",
                                               {"current_password": "doctorlive-dev", "new_password": new})
    _is_422(reply, "new_password")


@pytest.mark.parametrize("path", ["/api/v1/auth/refresh", "/api/v1/auth/login", "/api/v1/entities"])
def test_a_body_that_is_not_utf8_is_a_422_like_any_malformed_json(api, path, as_user):
    """FastAPI answers a body it cannot decode with an undocumented 400 (found by the fuzzer)."""
    token = as_user("manager@conexa.local").token_value
    reply = api.post(path, body=b"\xff\xfe{\x80}", token=token)
    _is_422(reply, "body")
    assert reply.json()["error"]["details"]["fields"][0]["type"] == "json_invalid"
