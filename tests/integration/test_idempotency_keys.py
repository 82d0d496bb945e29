"""Safe retries of the creating POSTs: an `Idempotency-Key` makes a retried or doubled request
return the first answer while the meeting, the participants, the invitation or the user is made
once — also when the duplicates race. Keys belong to one caller and one route."""
from __future__ import annotations

import hashlib
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.fixtures import make_tenants
from tests.integration.rooms_helpers import room_body, unique_email

IDEMPOTENT_OPERATIONS = {
    ("/api/v1/rooms", "post"),
    ("/api/v1/rooms/{room_id}/participants", "post"),
    ("/api/v1/rooms/{room_id}/participants/{participant_id}/resend", "post"),
    ("/api/v1/entities/{entity_id}/users", "post"),
}


@pytest.fixture(scope="module")
def tenants(database):
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(database, row_factory=dict_row, autocommit=True) as c:
        return make_tenants(c)


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def record_id(conn, email: str, module: str, headers: dict[str, str]) -> str:
    """The id of a key's record: per route and per caller (doctorlive.idempotency.once)."""
    user = conn.execute("SELECT id FROM users WHERE email = %s", (email,)).fetchone()["id"]
    return f"http:{module}:{user}:{hashlib.sha256(headers['Idempotency-Key'].encode()).hexdigest()}"


def rooms_titled(conn, title: str) -> list[dict]:
    return conn.execute("SELECT id, organizer_id FROM rooms WHERE title = %s", (title,)).fetchall()


def invitations_to(conn, recipient: str) -> int:
    return conn.execute("SELECT count(*) AS n FROM notifications WHERE recipient = %s AND kind = 'invitation'",
                        (recipient,)).fetchone()["n"]


def one_meeting(admin, title=None, email=None, headers=None):
    title = title or f"Retorno {uuid.uuid4().hex[:8]}"
    email = email or unique_email()
    reply = admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": email}], title=title),
                       headers=headers)
    assert reply.status == 201, reply.body
    return reply.json(), email


def test_ten_concurrent_identical_creations_make_one_meeting_and_one_set_of_invitations(as_user, conn):
    admin = as_user("admin@clinica.local")
    title, email = f"Retorno {uuid.uuid4().hex[:8]}", unique_email()
    body = room_body([{"name": "Ana", "email": email}, {"name": "Bruno", "email": unique_email()}], title=title)
    headers = key()
    with ThreadPoolExecutor(max_workers=10) as pool:
        replies = list(pool.map(lambda _: admin.post("/api/v1/rooms", body, headers=headers), range(10)))

    assert len(rooms_titled(conn, title)) == 1
    assert invitations_to(conn, email) == 1
    created = [r for r in replies if r.status == 201]
    in_progress = [r for r in replies if r.status == 409]
    assert created and len(created) + len(in_progress) == 10, [r.status for r in replies]
    assert len({r.body for r in created}) == 1, "every finished answer is the first one"
    for r in in_progress:
        assert r.json()["error"]["code"] == "idempotency_in_progress"
        assert int(r.headers["retry-after"]) >= 1
    # A retry once it is all over gets the first answer, marked as a replay.
    again = admin.post("/api/v1/rooms", body, headers=headers)
    assert (again.status, again.body) == (201, created[0].body)
    assert again.headers["idempotent-replayed"] == "true"
    assert sum("idempotent-replayed" not in r.headers for r in created) == 1, "one did the work"
    assert len(rooms_titled(conn, title)) == 1 and invitations_to(conn, email) == 1


def test_the_same_key_with_another_body_is_a_422(as_user, conn):
    admin = as_user("admin@clinica.local")
    headers = key()
    one_meeting(admin, headers=headers)
    other_title = f"Outro {uuid.uuid4().hex[:8]}"
    reply = admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}], title=other_title),
                       headers=headers)
    assert reply.status == 422
    error = reply.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert [f["field"] for f in error["details"]["fields"]] == ["header.Idempotency-Key"]
    assert rooms_titled(conn, other_title) == []


def test_a_key_belongs_to_its_caller(as_user, conn, tenants):
    """Two organisers of one entity sending the same key and body each get their own meeting:
    one never sees the other's answer."""
    admin, pro = as_user("admin@clinica.local"), as_user(tenants["own"].professional_email)
    title, headers = f"Retorno {uuid.uuid4().hex[:8]}", key()
    body = room_body([{"name": "Ana", "email": unique_email()}], title=title)
    first = admin.post("/api/v1/rooms", body, headers=headers)
    second = pro.post("/api/v1/rooms", body, headers=headers)
    assert first.status == second.status == 201
    assert first.json()["id"] != second.json()["id"]
    assert "idempotent-replayed" not in second.headers
    organisers = {r["organizer_id"] for r in rooms_titled(conn, title)}
    assert len(organisers) == 2


def test_a_key_belongs_to_its_route(as_user, conn):
    """A key used to schedule a meeting does not answer an invitation sent with it."""
    admin = as_user("admin@clinica.local")
    headers = key()
    room, _ = one_meeting(admin, headers=headers)
    added = admin.post(f"/api/v1/rooms/{room['id']}/participants",
                       {"participants": [{"name": "Caio", "email": unique_email()}]}, headers=headers)
    assert added.status == 201 and isinstance(added.json(), list)


def test_adding_participants_twice_with_one_key_invites_them_once(as_user, conn):
    admin = as_user("admin@clinica.local")
    room, _ = one_meeting(admin)
    email, headers = unique_email(), key()
    body = {"participants": [{"name": "Caio", "email": email}]}
    first = admin.post(f"/api/v1/rooms/{room['id']}/participants", body, headers=headers)
    again = admin.post(f"/api/v1/rooms/{room['id']}/participants", body, headers=headers)
    assert first.status == again.status == 201
    assert again.body == first.body and again.headers["idempotent-replayed"] == "true"
    assert invitations_to(conn, email) == 1
    # Without a key the retry is a new request, as before: that person is already invited.
    plain = admin.post(f"/api/v1/rooms/{room['id']}/participants", body)
    assert plain.status == 422 and plain.json()["error"]["details"]["fields"][0]["type"] == "duplicate"


def test_resending_twice_with_one_key_sends_once(as_user, conn):
    admin = as_user("admin@clinica.local")
    room, email = one_meeting(admin)
    participant = room["participants"][0]["id"]
    path = f"/api/v1/rooms/{room['id']}/participants/{participant}/resend"
    headers = key()
    first, again = admin.post(path, headers=headers), admin.post(path, headers=headers)
    assert first.status == again.status == 202
    assert again.body == first.body and again.headers["idempotent-replayed"] == "true"
    assert invitations_to(conn, email) == 2  # the first invitation and one resend
    assert admin.post(path).status == 202   # no key: sent again, as before
    assert invitations_to(conn, email) == 3


def test_creating_a_user_twice_with_one_key_makes_one_account(as_user, conn, clinic):
    admin = as_user("admin@clinica.local")
    email, headers = unique_email("user"), key()
    body = {"email": email, "name": "Dr. Novo", "role": "PROFESSIONAL"}
    first = admin.post(f"/api/v1/entities/{clinic['id']}/users", body, headers=headers)
    again = admin.post(f"/api/v1/entities/{clinic['id']}/users", body, headers=headers)
    assert first.status == again.status == 201
    assert again.json() == first.json()
    assert conn.execute("SELECT count(*) AS n FROM users WHERE email = %s", (email,)).fetchone()["n"] == 1
    assert conn.execute("SELECT count(*) AS n FROM notifications WHERE recipient = %s", (email,)).fetchone()["n"] == 1
    # The stored answer holds the set-password link only sealed.
    token = first.json()["set_password_url"].rsplit("=", 1)[-1]
    stored = conn.execute("SELECT response_data FROM idempotency_records WHERE id LIKE 'http:users_create:%%'"
                          " AND response_data LIKE '%%' || %s || '%%'", (token,)).fetchall()
    assert stored == []
    assert admin.post(f"/api/v1/entities/{clinic['id']}/users", body).status == 409  # no key: as before


def test_a_failed_answer_is_not_kept_so_a_corrected_retry_works(as_user, conn):
    admin = as_user("admin@clinica.local")
    title, headers = f"Retorno {uuid.uuid4().hex[:8]}", key()
    past = admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}], title=title,
                                                 start_in=-room_delta(hours=3)), headers=headers)
    assert past.status == 422 and past.json()["error"]["details"]["fields"][0]["type"] == "time_past"
    fixed = admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}], title=title),
                       headers=headers)
    assert fixed.status == 201, fixed.body
    assert len(rooms_titled(conn, title)) == 1


def room_delta(**kw):
    from datetime import timedelta

    return timedelta(**kw)


@pytest.mark.parametrize("value", ["short", "has space in it", "ümlaut-key-123", "k" * 129, ""])
def test_a_malformed_key_is_a_422_naming_the_header(as_user, conn, value):
    admin = as_user("admin@clinica.local")
    title = f"Retorno {uuid.uuid4().hex[:8]}"
    reply = admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}], title=title),
                       headers={"Idempotency-Key": value})
    assert reply.status == 422, reply.body
    error = reply.json()["error"]
    assert error["code"] == "validation_error"
    assert [f["field"] for f in error["details"]["fields"]] == ["header.Idempotency-Key"]
    assert rooms_titled(conn, title) == []


def test_without_a_key_every_request_does_the_work_as_before(as_user, conn):
    admin = as_user("admin@clinica.local")
    title, email = f"Retorno {uuid.uuid4().hex[:8]}", unique_email()
    body = room_body([{"name": "Ana", "email": email}], title=title)
    assert [admin.post("/api/v1/rooms", body).status for _ in range(2)] == [201, 201]
    assert len(rooms_titled(conn, title)) == 2 and invitations_to(conn, email) == 2


def test_a_key_expires(as_user, conn):
    admin = as_user("admin@clinica.local")
    title, email, headers = f"Retorno {uuid.uuid4().hex[:8]}", unique_email(), key()
    one_meeting(admin, title, email, headers)
    conn.execute("UPDATE idempotency_records SET expiry = expiry - 24 * 3600 - 1 WHERE id = %s",
                 (record_id(conn, "admin@clinica.local", "rooms_create", headers),))
    one_meeting(admin, title, email, headers)
    assert len(rooms_titled(conn, title)) == 2


def test_a_claim_left_by_a_crashed_request_frees_the_key_after_its_lease(as_user, conn):
    admin = as_user("admin@clinica.local")
    title, email, headers = f"Retorno {uuid.uuid4().hex[:8]}", unique_email(), key()
    body = room_body([{"name": "Ana", "email": email}], title=title)
    one_meeting(admin, title, email, headers)
    # As if the first request had died while running: its record left in progress.
    record = record_id(conn, "admin@clinica.local", "rooms_create", headers)
    conn.execute("UPDATE idempotency_records SET status = 'INPROGRESS', response_data = NULL WHERE id = %s",
                 (record,))
    assert admin.post("/api/v1/rooms", body, headers=headers).status == 409
    conn.execute("UPDATE idempotency_records SET in_progress_expiry = 0 WHERE id = %s", (record,))
    assert admin.post("/api/v1/rooms", body, headers=headers).status == 201
    assert len(rooms_titled(conn, title)) == 2


def test_the_openapi_document_publishes_the_header_on_the_creating_posts(api):
    spec = api.get("/openapi.json").json()
    with_header = {(path, method) for path, ops in spec["paths"].items() for method, op in ops.items()
                   if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in op.get("parameters", []))}
    assert with_header == IDEMPOTENT_OPERATIONS
    op = spec["paths"]["/api/v1/rooms"]["post"]
    assert {"409", "422"} <= set(op["responses"])
