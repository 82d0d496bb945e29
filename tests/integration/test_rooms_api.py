"""Scheduling meetings as organisers use it: who may, when a meeting may be, who sees it, and
what the participants' rows hold (hashes only)."""
from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import bcrypt
import pytest

from tests.integration.fixtures import make_tenants
from tests.integration.rooms_helpers import room_body, unique_email, unique_phone


@pytest.fixture(scope="module")
def tenants(database):
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(database, row_factory=dict_row, autocommit=True) as c:
        return make_tenants(c)


def fields_of(reply) -> set[str]:
    return {f["field"] for f in reply.json()["error"]["details"]["fields"]}


def test_admin_schedules_a_meeting_and_participants_hold_only_hashes(as_user, conn, clinic):
    admin = as_user("admin@clinica.local")
    email, phone = unique_email(), unique_phone()
    reply = admin.post("/api/v1/rooms", room_body(
        [{"name": "Ana", "email": email}, {"name": "Bruno", "phone": phone},
         {"name": "Carla", "email": unique_email(), "phone": unique_phone()}],
        description="Trazer exames", custom_instructions="Foque em ECG"))
    assert reply.status == 201, reply.body
    room = reply.json()
    assert room["status"] == "SCHEDULED" and room["entity_id"] == str(clinic["id"])
    assert room["timezone"] == clinic["timezone"] and room["max_participants"] == clinic["max_participants"]
    assert room["livekit_room_name"] == f"room_{room['id']}" and room["participant_count"] == 3
    by_name = {p["name"]: p for p in room["participants"]}
    assert (by_name["Ana"]["email"], by_name["Ana"]["phone"]) == (email, None)
    assert by_name["Bruno"]["whatsapp_status"] is not None and by_name["Bruno"]["email_status"] is None
    assert by_name["Carla"]["email_status"] and by_name["Carla"]["whatsapp_status"]
    # Nothing secret in the response: no token, no password, no hash.
    body = reply.body.decode()
    assert "token=" not in body and "password" not in body and "$2b$" not in body
    rows = conn.execute(
        """SELECT rp.magic_token_hash, rp.password_hash, rp.token_expires_at, pa.livekit_identity, pa.id
             FROM room_participants rp JOIN participants pa ON pa.id = rp.participant_id
            WHERE rp.room_id = %s""", (room["id"],)).fetchall()
    assert len(rows) == 3
    end = datetime.fromisoformat(room["scheduled_end"])
    for r in rows:
        assert len(r["magic_token_hash"]) == 64 and int(r["magic_token_hash"], 16) >= 0  # SHA-256 hex
        assert r["password_hash"].startswith("$2b$")
        assert r["token_expires_at"] == end + timedelta(hours=24)
        assert r["livekit_identity"] == f"participant_{r['id']}"
    assert len({r["magic_token_hash"] for r in rows}) == 3


@pytest.mark.parametrize("change,field,type_", [
    ({"minutes": -30}, "scheduled_end", "time_order"),
    ({"minutes": 0}, "scheduled_end", "time_order"),
    ({"start_in": timedelta(hours=-1)}, "scheduled_start", "time_past"),
    ({"minutes": 25 * 60}, "scheduled_end", "time_too_long"),
])
def test_time_rules_are_clear_422s(as_user, conn, change, field, type_):
    before = conn.execute("SELECT count(*) AS n FROM rooms").fetchone()["n"]
    reply = as_user("admin@clinica.local").post("/api/v1/rooms", room_body(**change))
    assert reply.status == 422, reply.body
    [detail] = reply.json()["error"]["details"]["fields"]
    assert (detail["field"], detail["type"]) == (field, type_)
    assert conn.execute("SELECT count(*) AS n FROM rooms").fetchone()["n"] == before


def test_local_times_are_read_in_the_meetings_time_zone(as_user):
    start = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0, second=0, minute=0)
    local = start.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    reply = as_user("admin@clinica.local").post("/api/v1/rooms", {
        "title": "Tóquio", "timezone": "Asia/Tokyo", "scheduled_start": local.isoformat(),
        "scheduled_end": (local + timedelta(hours=1)).isoformat()})
    assert reply.status == 201, reply.body
    assert datetime.fromisoformat(reply.json()["scheduled_start"]) == start
    assert reply.json()["timezone"] == "Asia/Tokyo"


@pytest.mark.parametrize("body_change,fields", [
    ({"timezone": "Mars/Olympus"}, {"timezone"}),
    ({"participants": [{"name": "Sem contato"}]}, {"participants.0"}),
    ({"participants": [{"name": "X", "email": "nope", "phone": "123"}]}, {"participants.0.email", "participants.0.phone"}),
    ({"max_participants": 51}, {"max_participants"}),
    ({"max_participants": 1, "participants": [{"name": "A", "email": "a@example.org"},
                                              {"name": "B", "email": "b@example.org"}]}, {"participants"}),
    ({"participants": [{"name": "A", "email": "same@example.org"}, {"name": "B", "email": "SAME@example.org"}]},
     {"participants.1.email"}),
    ({"department_id": str(uuid.uuid4())}, {"department_id"}),
    ({"title": ""}, {"title"}),
    ({"unexpected": True}, {"unexpected"}),
])
def test_invalid_meetings_name_the_field(as_user, body_change, fields):
    reply = as_user("admin@clinica.local").post("/api/v1/rooms", room_body(**body_change))
    assert reply.status == 422, reply.body
    assert fields_of(reply) == fields


def test_department_of_another_entity_is_refused(as_user, tenants):
    reply = as_user("admin@clinica.local").post(
        "/api/v1/rooms", room_body(department_id=str(tenants["other"].department_id)))
    assert reply.status == 422 and fields_of(reply) == {"department_id"}
    ok = as_user("admin@clinica.local").post(
        "/api/v1/rooms", room_body(department_id=str(tenants["own"].department_id)))
    assert ok.status == 201 and ok.json()["department_id"] == str(tenants["own"].department_id)


def test_who_may_organise(as_user, tenants, clinic, design):
    manager = as_user("manager@conexa.local")
    missing = manager.post("/api/v1/rooms", room_body())
    assert missing.status == 422 and fields_of(missing) == {"entity_id"}
    assert manager.post("/api/v1/rooms", room_body(entity_id=str(design["id"]))).status == 201
    admin = as_user("admin@clinica.local")
    assert admin.post("/api/v1/rooms", room_body(entity_id=str(design["id"]))).status == 404
    assert admin.post("/api/v1/rooms", room_body(entity_id=str(clinic["id"]))).status == 201
    pro = as_user(tenants["own"].professional_email)
    created = pro.post("/api/v1/rooms", room_body())
    assert created.status == 201 and created.json()["entity_id"] == str(clinic["id"])
    assert as_user("admin@clinica.local").post("/api/v1/rooms", room_body()).status == 201


def test_organisers_see_their_own_rooms_admins_their_entitys_manager_all(as_user, tenants, design):
    tag = uuid.uuid4().hex[:8]
    pro = as_user(tenants["own"].professional_email)
    admin = as_user("admin@clinica.local")
    manager = as_user("manager@conexa.local")
    mine = pro.post("/api/v1/rooms", room_body(title=f"pro {tag}")).json()
    theirs = admin.post("/api/v1/rooms", room_body(title=f"admin {tag}")).json()
    other = manager.post("/api/v1/rooms", room_body(title=f"design {tag}", entity_id=str(design["id"]))).json()

    def ids(caller):
        items = caller.get("/api/v1/rooms?limit=100").json()["items"]
        return {r["id"] for r in items} & {mine["id"], theirs["id"], other["id"]}

    assert ids(pro) == {mine["id"]}
    assert ids(admin) == {mine["id"], theirs["id"]}
    assert ids(manager) == {mine["id"], theirs["id"], other["id"]}
    assert pro.get(f"/api/v1/rooms/{theirs['id']}").status == 404
    assert admin.get(f"/api/v1/rooms/{other['id']}").status == 404
    assert manager.get(f"/api/v1/rooms/{other['id']}").status == 200


def test_list_filters_by_status_and_dates_with_pagination(as_user, design):
    manager = as_user("manager@conexa.local")
    base = datetime.now(UTC) + timedelta(days=400 + uuid.uuid4().int % 1000)
    window = (base - timedelta(hours=1), base + timedelta(days=3))
    created = []
    for day in range(3):
        start = base + timedelta(days=day)
        created.append(manager.post("/api/v1/rooms", {
            "entity_id": str(design["id"]), "title": f"Day {day}", "scheduled_start": start.isoformat(),
            "scheduled_end": (start + timedelta(hours=1)).isoformat()}).json()["id"])
    assert manager.delete(f"/api/v1/rooms/{created[0]}").status == 204
    q = f"from={window[0].isoformat().replace('+', '%2B')}&to={window[1].isoformat().replace('+', '%2B')}"
    page1 = manager.get(f"/api/v1/rooms?{q}&limit=2").json()
    page2 = manager.get(f"/api/v1/rooms?{q}&limit=2&page=2").json()
    assert page1["total"] == 3 and len(page1["items"]) == 2 and len(page2["items"]) == 1
    assert [r["id"] for r in page1["items"] + page2["items"]] == list(reversed(created))  # newest start first
    # Soonest first, for "what comes next" (the dashboard's upcoming meetings).
    soonest = manager.get(f"/api/v1/rooms?{q}&order=asc&limit=2").json()
    assert [r["id"] for r in soonest["items"]] == created[:2] and soonest["total"] == 3
    assert manager.get(f"/api/v1/rooms?{q}&order=sideways").status == 422
    cancelled = manager.get(f"/api/v1/rooms?{q}&status=CANCELLED").json()
    assert [r["id"] for r in cancelled["items"]] == [created[0]]
    assert manager.get("/api/v1/rooms?status=LOST").status == 422


def test_cancel_is_final_and_repeatable_but_not_for_completed_meetings(as_user, conn):
    admin = as_user("admin@clinica.local")
    room = admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}])).json()
    assert admin.delete(f"/api/v1/rooms/{room['id']}").status == 204
    after = admin.get(f"/api/v1/rooms/{room['id']}").json()
    assert after["status"] == "CANCELLED" and after["cancelled_at"]
    # the magic link is dead from now on
    assert datetime.fromisoformat(after["participants"][0]["token_expires_at"]) <= datetime.now(UTC)
    notes = conn.execute("SELECT count(*) AS n FROM notifications n JOIN room_participants rp "
                         "ON rp.id = n.room_participant_id WHERE rp.room_id = %s", (room["id"],)).fetchone()["n"]
    assert admin.delete(f"/api/v1/rooms/{room['id']}").status == 204  # again: nothing new is sent
    assert conn.execute("SELECT count(*) AS n FROM notifications n JOIN room_participants rp "
                        "ON rp.id = n.room_participant_id WHERE rp.room_id = %s", (room["id"],)).fetchone()["n"] == notes
    done = admin.post("/api/v1/rooms", room_body()).json()
    conn.execute("UPDATE rooms SET status = 'COMPLETED' WHERE id = %s", (done["id"],))
    refused = admin.delete(f"/api/v1/rooms/{done['id']}")
    assert refused.status == 409 and refused.json()["error"]["code"] == "room_closed"
    more = admin.post(f"/api/v1/rooms/{room['id']}/participants", {"participants": [{"name": "Late", "email": unique_email()}]})
    assert more.status == 409


def test_adding_participants_respects_capacity_and_duplicates(as_user):
    admin = as_user("admin@clinica.local")
    first = unique_email()
    room = admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": first}], max_participants=3)).json()
    added = admin.post(f"/api/v1/rooms/{room['id']}/participants",
                       {"participants": [{"name": "Bia", "phone": unique_phone()}]})
    assert added.status == 201 and [p["name"] for p in added.json()] == ["Bia"]
    dup = admin.post(f"/api/v1/rooms/{room['id']}/participants", {"participants": [{"name": "Ana 2", "email": first}]})
    assert dup.status == 422 and fields_of(dup) == {"participants.0.email"}
    full = admin.post(f"/api/v1/rooms/{room['id']}/participants", {"participants": [
        {"name": "C", "email": unique_email()}, {"name": "D", "email": unique_email()}]})
    assert full.status == 422 and fields_of(full) == {"participants"}
    names = [p["name"] for p in admin.get(f"/api/v1/rooms/{room['id']}").json()["participants"]]
    assert names == ["Ana", "Bia"]


def test_resend_replaces_link_and_password_and_lifts_a_lock(as_user, conn):
    admin = as_user("admin@clinica.local")
    room = admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}])).json()
    pid = room["participants"][0]["id"]
    conn.execute("UPDATE room_participants SET failed_attempts = 5, locked_until = now() + interval '1 hour' "
                 "WHERE participant_id = %s", (pid,))
    before = conn.execute("SELECT magic_token_hash, password_hash FROM room_participants WHERE participant_id = %s",
                          (pid,)).fetchone()
    reply = admin.post(f"/api/v1/rooms/{room['id']}/participants/{pid}/resend")
    assert reply.status == 202 and reply.json()["locked_until"] is None
    after = conn.execute("SELECT magic_token_hash, password_hash, failed_attempts FROM room_participants "
                         "WHERE participant_id = %s", (pid,)).fetchone()
    assert after["magic_token_hash"] != before["magic_token_hash"]
    assert after["password_hash"] != before["password_hash"] and after["failed_attempts"] == 0
    assert admin.post(f"/api/v1/rooms/{room['id']}/participants/{uuid.uuid4()}/resend").status == 404


def test_credentials_are_8_digits_from_the_csprng_and_hashed():
    from doctorlive.auth.tokens import hash_token
    from doctorlive.rooms.credentials import issue

    creds = issue(3)
    for c in creds:
        assert len(c.password) == 8 and c.password.isdigit()
        assert bcrypt.checkpw(c.password.encode(), c.password_hash.encode())
        assert c.token_hash == hash_token(c.token) == hashlib.sha256(c.token.encode()).hexdigest()
        assert len(c.token) >= 43 and c.link.endswith(f"/join#token={c.token}")
        assert c.password not in repr(c) and c.token not in repr(c)
    assert len({c.token for c in creds}) == 3


def test_when_publishing_fails_the_meeting_stands_and_its_invitations_wait_for_the_republish_job(
        as_user, conn, monkeypatch):
    """The invitations stay `queued` with the reason and their sealed message, for the
    notify-republish job (test_notification_republish.py), which marks them failed if it gives up."""
    from doctorlive.notifications.outbox import SnsPublisher

    monkeypatch.setattr(SnsPublisher, "publish", lambda self, messages: {
        m.notification_id: "publish failed: EndpointConnectionError" for m in messages})
    reply = as_user("admin@clinica.local").post(
        "/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email(), "phone": unique_phone()}]))
    assert reply.status == 201
    [p] = reply.json()["participants"]
    assert (p["email_status"], p["whatsapp_status"]) == ("queued", "queued")
    rows = conn.execute("""SELECT n.status::text AS status, n.last_error, n.published_at, n.publish_attempts,
                                  n.message IS NOT NULL AS kept
                             FROM notifications n
                             JOIN room_participants rp ON rp.id = n.room_participant_id
                            WHERE rp.participant_id = %s""", (p["id"],)).fetchall()
    assert [(r["status"], r["published_at"], r["publish_attempts"], r["kept"]) for r in rows] == \
        [("queued", None, 1, True)] * 2
    assert rows[0]["last_error"] == "publish failed: EndpointConnectionError"


def test_the_assistant_switch_defaults_to_the_entitys_and_each_meeting_may_turn_it_off(as_user, conn, clinic):
    admin = as_user("admin@clinica.local")
    people = [{"name": "Ana", "email": unique_email()}]
    default = admin.post("/api/v1/rooms", room_body(people))
    off = admin.post("/api/v1/rooms", room_body(people, assistant_enabled=False))
    assert (default.status, off.status) == (201, 201)
    assert default.json()["assistant_enabled"] is True and off.json()["assistant_enabled"] is False
    # An entity that turned the assistant off gives its new meetings the same default.
    assert admin.put(f"/api/v1/entities/{clinic['id']}", {"assistant_enabled": False}).status == 200
    try:
        assert admin.post("/api/v1/rooms", room_body(people)).json()["assistant_enabled"] is False
        assert admin.post("/api/v1/rooms", room_body(people, assistant_enabled=True)).json()["assistant_enabled"]
    finally:
        assert admin.put(f"/api/v1/entities/{clinic['id']}", {"assistant_enabled": True}).status == 200
    assert admin.post("/api/v1/rooms", room_body(people, assistant_enabled="sometimes")).status == 422
