"""Entity administration as the admins use it (seed user story 1)."""
from __future__ import annotations

import uuid

import pytest

from tests.integration.fixtures import PASSWORD


@pytest.fixture
def as_user(api, login):
    def _as(email):
        token = login(email)["access_token"]

        class Caller:
            def __getattr__(self, verb):
                return lambda path, body=None, **kw: getattr(api, verb)(path, body, token=token, **kw) \
                    if verb in ("post", "put") else getattr(api, verb)(path, token=token, **kw)
        return Caller()
    return _as


def entity_id(conn, name):
    return conn.execute("SELECT id FROM entities WHERE name = %s", (name,)).fetchone()["id"]


def test_clinic_admin_manages_its_own_entity_only(as_user, conn):
    clinic, design = entity_id(conn, "Clínica Cardio Saúde"), entity_id(conn, "Design Studio XYZ")
    admin = as_user("admin@clinica.local")
    name = f"Cardiologia {uuid.uuid4().hex[:6]}"
    created = admin.post(f"/api/v1/entities/{clinic}/departments", {"name": name, "instructions": "Foco em ECG"})
    assert created.status == 201 and created.json()["name"] == name
    assert admin.get(f"/api/v1/entities/{design}").status == 404
    assert admin.get(f"/api/v1/entities/{design}/departments").status == 404
    forbidden = admin.post("/api/v1/entities", {"name": "Nova", "type": "clinic"})
    assert forbidden.status == 403 and forbidden.json()["error"]["code"] == "forbidden"
    listed = admin.get("/api/v1/entities").json()
    assert [e["name"] for e in listed["items"]] == ["Clínica Cardio Saúde"] and listed["total"] == 1


def test_manager_lists_creates_updates_and_deactivates(as_user):
    manager = as_user("manager@conexa.local")
    listed = manager.get("/api/v1/entities?limit=100").json()
    names = {e["name"] for e in listed["items"]}
    assert {"Clínica Cardio Saúde", "Design Studio XYZ"} <= names and listed["total"] >= 2
    name = f"Clínica Nova {uuid.uuid4().hex[:6]}"
    created = manager.post("/api/v1/entities", {"name": name, "type": "medical_clinic", "max_participants": 12,
                                                  "recording_retention_days": 90})
    assert created.status == 201
    eid = created.json()["id"]
    updated = manager.put(f"/api/v1/entities/{eid}", {"default_instructions": "Seja objetivo.", "max_participants": 20})
    assert updated.status == 200
    assert updated.json()["max_participants"] == 20 and updated.json()["default_instructions"] == "Seja objetivo."
    deactivated = manager.put(f"/api/v1/entities/{eid}", {"active": False})
    assert deactivated.json()["active"] is False
    assert manager.get(f"/api/v1/entities/{eid}").status == 200  # deactivated, not deleted
    inactive = manager.get(f"/api/v1/entities?active=false&q={name[-6:]}").json()
    assert [e["id"] for e in inactive["items"]] == [eid]


def test_pagination_and_filters(as_user):
    manager = as_user("manager@conexa.local")
    tag = uuid.uuid4().hex[:6]
    for i in range(3):
        assert manager.post("/api/v1/entities", {"name": f"Paged {tag} {i}", "type": f"type{tag}"}).status == 201
    page1 = manager.get(f"/api/v1/entities?type=type{tag}&limit=2&page=1").json()
    page2 = manager.get(f"/api/v1/entities?type=type{tag}&limit=2&page=2").json()
    assert page1["total"] == page2["total"] == 3
    assert len(page1["items"]) == 2 and len(page2["items"]) == 1
    assert manager.get("/api/v1/entities?limit=101").status == 422


@pytest.mark.parametrize("wildcard", ["%", "_", "\\"], ids=["percent", "underscore", "backslash"])
def test_search_matches_like_wildcards_literally(as_user, wildcard):
    """`q` is text to find, not a LIKE pattern: `%`, `_` and `\\` match themselves only."""
    from urllib.parse import quote

    manager = as_user("manager@conexa.local")
    tag = uuid.uuid4().hex[:8]
    literal, other = f"Lit {tag}{wildcard}x", f"Lit {tag}yx"
    for name in (literal, other):
        assert manager.post("/api/v1/entities", {"name": name, "type": "clinic"}).status == 201
    found = manager.get(f"/api/v1/entities?q={quote(tag + wildcard)}").json()
    assert [e["name"] for e in found["items"]] == [literal]


def test_entity_admin_may_change_settings_but_not_plan_fields(as_user, conn):
    clinic = entity_id(conn, "Clínica Cardio Saúde")
    admin = as_user("admin@clinica.local")
    ok = admin.put(f"/api/v1/entities/{clinic}", {"default_instructions": "Responda em português.",
                                                  "recording_retention_days": 7})
    assert ok.status == 200 and ok.json()["recording_retention_days"] == 7
    denied = admin.put(f"/api/v1/entities/{clinic}", {"max_participants": 100, "name": "Hacked"})
    assert denied.status == 403
    assert denied.json()["error"]["details"]["fields"] == ["max_participants", "name"]
    assert conn.execute("SELECT max_participants FROM entities WHERE id = %s", (clinic,)).fetchone()["max_participants"] == 50


@pytest.mark.parametrize("body,fields", [
    ({"name": "X", "type": "t", "max_participants": 0}, {"max_participants"}),
    ({"name": "X", "type": "t", "max_participants": 101}, {"max_participants"}),
    ({"name": "X", "type": "t", "recording_retention_days": 14}, {"recording_retention_days"}),
    ({"name": "", "type": "t"}, {"name"}),
    ({"type": "t", "unexpected": 1}, {"name", "unexpected"}),
    ({"name": "X", "type": "t", "default_instructions": "a" * 8001}, {"default_instructions"}),
])
def test_invalid_entities_are_422_with_field_names_and_nothing_written(as_user, conn, body, fields):
    before = conn.execute("SELECT count(*) AS n FROM entities").fetchone()["n"]
    reply = as_user("manager@conexa.local").post("/api/v1/entities", body)
    assert reply.status == 422
    assert {f["field"] for f in reply.json()["error"]["details"]["fields"]} == fields
    assert conn.execute("SELECT count(*) AS n FROM entities").fetchone()["n"] == before


def test_department_names_are_unique_per_entity(as_user, conn):
    clinic, design = entity_id(conn, "Clínica Cardio Saúde"), entity_id(conn, "Design Studio XYZ")
    manager = as_user("manager@conexa.local")
    name = f"Pediatria {uuid.uuid4().hex[:6]}"
    assert manager.post(f"/api/v1/entities/{clinic}/departments", {"name": name}).status == 201
    dup = manager.post(f"/api/v1/entities/{clinic}/departments", {"name": name.upper()})
    assert dup.status == 409 and dup.json()["error"]["details"] == {"field": "name"}
    assert manager.post(f"/api/v1/entities/{design}/departments", {"name": name}).status == 201


def test_department_instructions_limit(as_user, conn):
    clinic = entity_id(conn, "Clínica Cardio Saúde")
    reply = as_user("admin@clinica.local").post(f"/api/v1/entities/{clinic}/departments",
                                                {"name": "Long", "instructions": "x" * 8001})
    assert reply.status == 422 and reply.json()["error"]["details"]["fields"][0]["field"] == "instructions"


def test_professionals_validation_link_and_unlink(as_user, conn):
    clinic, design = entity_id(conn, "Clínica Cardio Saúde"), entity_id(conn, "Design Studio XYZ")
    manager = as_user("manager@conexa.local")
    bad = manager.post(f"/api/v1/entities/{clinic}/professionals",
                       {"name": "Dra. Ana", "email": "ana@", "phone": "11 9999"})
    assert bad.status == 422
    assert {f["field"] for f in bad.json()["error"]["details"]["fields"]} == {"email", "phone"}
    pro = manager.post(f"/api/v1/entities/{clinic}/professionals",
                       {"name": "Dra. Ana", "email": "Ana@Clinica.local", "phone": "+55 11 98765-4321",
                        "specialty": "Cardiologia"}).json()
    assert pro["email"] == "ana@clinica.local" and pro["phone"] == "+5511987654321"
    linked = manager.post(f"/api/v1/professionals/{pro['id']}/entities", {"entity_id": str(design)})
    assert linked.status == 201 and set(linked.json()["entity_ids"]) == {str(clinic), str(design)}
    assert manager.post(f"/api/v1/professionals/{pro['id']}/entities", {"entity_id": str(design)}).status == 409
    design_admin = as_user("admin@design.local")
    ids = [p["id"] for p in design_admin.get(f"/api/v1/entities/{design}/professionals").json()]
    assert pro["id"] in ids
    # The design admin removes the professional from its own entity, not from the clinic.
    assert design_admin.delete(f"/api/v1/professionals/{pro['id']}/entities/{design}").status == 204
    assert design_admin.delete(f"/api/v1/professionals/{pro['id']}/entities/{clinic}").status == 404
    assert manager.delete(f"/api/v1/professionals/{pro['id']}/entities/{clinic}").status == 409


def test_new_user_sets_password_with_a_one_time_link_and_logs_in(as_user, api, conn):
    clinic = entity_id(conn, "Clínica Cardio Saúde")
    admin = as_user("admin@clinica.local")
    email = f"dr.{uuid.uuid4().hex[:6]}@clinica.local"
    created = admin.post(f"/api/v1/entities/{clinic}/users", {"email": email, "name": "Dr. Novo", "role": "PROFESSIONAL"})
    assert created.status == 201 and created.json()["has_password"] is False
    token = created.json()["set_password_url"].split("token=")[1]
    assert api.post("/api/v1/auth/login", {"email": email, "password": "whatever-123"}).status == 401
    assert api.post("/api/v1/auth/set-password", {"token": token, "new_password": "short"}).status == 422
    assert api.post("/api/v1/auth/set-password", {"token": token, "new_password": "um-segredo-longo"}).status == 204
    assert api.post("/api/v1/auth/set-password", {"token": token, "new_password": "outro-segredo"}).status == 400
    session = api.post("/api/v1/auth/login", {"email": email, "password": "um-segredo-longo"})
    assert session.status == 200 and session.json()["user"]["role"] == "PROFESSIONAL"
    stored = conn.execute("SELECT token_hash FROM password_tokens pt JOIN users u ON u.id = pt.user_id "
                          "WHERE u.email = %s", (email,)).fetchone()
    assert stored["token_hash"] != token


def test_duplicate_user_email_is_409_and_bad_professional_writes_nothing(as_user, conn):
    clinic, design = entity_id(conn, "Clínica Cardio Saúde"), entity_id(conn, "Design Studio XYZ")
    admin = as_user("admin@clinica.local")
    dup = admin.post(f"/api/v1/entities/{clinic}/users", {"email": "ADMIN@design.local", "name": "X", "role": "ENTITY_ADMIN"})
    assert dup.status == 409
    foreign_pro = conn.execute("INSERT INTO professionals (entity_id, name) VALUES (%s, 'Foreign') RETURNING id",
                               (design,)).fetchone()["id"]
    email = f"half.{uuid.uuid4().hex[:6]}@clinica.local"
    reply = admin.post(f"/api/v1/entities/{clinic}/users",
                       {"email": email, "name": "Half", "role": "PROFESSIONAL", "professional_id": str(foreign_pro)})
    assert reply.status == 404
    assert conn.execute("SELECT 1 FROM users WHERE email = %s", (email,)).fetchone() is None


def test_deactivated_user_is_signed_out_and_cannot_log_in(as_user, api, conn):
    clinic = entity_id(conn, "Clínica Cardio Saúde")
    admin = as_user("admin@clinica.local")
    email = f"leaving.{uuid.uuid4().hex[:6]}@clinica.local"
    user = admin.post(f"/api/v1/entities/{clinic}/users", {"email": email, "name": "Leaving", "role": "ENTITY_ADMIN"}).json()
    token = user["set_password_url"].split("token=")[1]
    api.post("/api/v1/auth/set-password", {"token": token, "new_password": "temporary-pass"})
    session = api.post("/api/v1/auth/login", {"email": email, "password": "temporary-pass"}).json()
    assert admin.put(f"/api/v1/users/{user['id']}", {"active": False}).json()["active"] is False
    assert api.post("/api/v1/auth/refresh", {"refresh_token": session["refresh_token"]}).status == 401
    assert api.post("/api/v1/auth/login", {"email": email, "password": "temporary-pass"}).status == 401
    me = conn.execute("SELECT id FROM users WHERE email = 'admin@clinica.local'").fetchone()["id"]
    assert admin.put(f"/api/v1/users/{me}", {"active": False}).status == 409


def test_change_own_password(api, conn):
    email = f"changer.{uuid.uuid4().hex[:6]}@clinica.local"
    from doctorlive.auth.passwords import hash_password

    conn.execute("INSERT INTO users (email, name, role, entity_id, password_hash) VALUES "
                 "(%s, 'C', 'PROFESSIONAL', (SELECT id FROM entities WHERE name = 'Clínica Cardio Saúde'), %s)",
                 (email, hash_password(PASSWORD)))
    token = api.post("/api/v1/auth/login", {"email": email, "password": PASSWORD}).json()["access_token"]
    wrong = api.post("/api/v1/auth/password", {"current_password": "nope", "new_password": "brand-new-pass"}, token=token)
    assert wrong.status == 401
    assert api.post("/api/v1/auth/password", {"current_password": PASSWORD, "new_password": "brand-new-pass"},
                    token=token).status == 204
    assert api.post("/api/v1/auth/login", {"email": email, "password": "brand-new-pass"}).status == 200


def test_stats_are_scoped(as_user, conn):
    manager = as_user("manager@conexa.local").get("/api/v1/stats").json()
    clinic = as_user("admin@clinica.local").get("/api/v1/stats").json()
    assert clinic["entities"] == 1 and manager["entities"] >= 2
    assert manager["active_users"] > clinic["active_users"] > 0
