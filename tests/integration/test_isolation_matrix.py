"""Tenant isolation: every route x every role x own/other entity, expectations written once.

A route added to the table without an expectation here fails `test_every_route_has_an_expectation`.
"own" is the caller's entity (Clínica Cardio Saúde); "other" is Design Studio XYZ. The MANAGER
belongs to neither, so both are reachable for it.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from functions.api.routes import ROUTES
from tests.integration.fixtures import PASSWORD, make_tenants
from tests.integration.join_support import make_invitation

ROLES = ("MANAGER", "ENTITY_ADMIN", "PROFESSIONAL", "anonymous")

# module: {role: (status on own entity, status on other entity)}
EXPECT: dict[str, dict[str, tuple[int, int]]] = {
    "health":               dict.fromkeys(ROLES, (200, 200)),
    "openapi":              dict.fromkeys(ROLES, (200, 200)),
    "auth_login":           dict.fromkeys(ROLES, (200, 200)),
    "auth_refresh":         dict.fromkeys(ROLES, (200, 200)),
    "auth_logout":          dict.fromkeys(ROLES, (204, 204)),
    "auth_set_password":    dict.fromkeys(ROLES, (400, 400)),
    "auth_me":              {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 200), "PROFESSIONAL": (200, 200), "anonymous": (401, 401)},
    "auth_password":        {"MANAGER": (204, 204), "ENTITY_ADMIN": (204, 204), "PROFESSIONAL": (204, 204), "anonymous": (401, 401)},
    "entities_list":        {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 200), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "entities_create":      {"MANAGER": (201, 201), "ENTITY_ADMIN": (403, 403), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "entities_get":         {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "entities_update":      {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "departments_list":     {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (200, 404), "anonymous": (401, 401)},
    "departments_create":   {"MANAGER": (201, 201), "ENTITY_ADMIN": (201, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "departments_update":   {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "professionals_list":   {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "professionals_create": {"MANAGER": (201, 201), "ENTITY_ADMIN": (201, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "professionals_update": {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    # own: link own's professional to the other entity; other: the other's professional to own
    "professionals_link":   {"MANAGER": (201, 201), "ENTITY_ADMIN": (404, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    # a professional from the opposite entity, linked into the target entity, is unlinked from it
    "professionals_unlink": {"MANAGER": (204, 204), "ENTITY_ADMIN": (204, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "users_list":           {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "users_create":         {"MANAGER": (201, 201), "ENTITY_ADMIN": (201, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "users_update":         {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "stats":                {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 200), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    # Meetings: ENTITY_ADMIN and PROFESSIONAL organise in their own entity, MANAGER in any; the
    # target room is organised by the entity's admin, so a PROFESSIONAL (who sees only the rooms
    # it organises) finds neither.
    "rooms_create":         {"MANAGER": (201, 201), "ENTITY_ADMIN": (201, 404), "PROFESSIONAL": (201, 404), "anonymous": (401, 401)},
    "rooms_list":           {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 200), "PROFESSIONAL": (200, 200), "anonymous": (401, 401)},
    "rooms_get":            {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (404, 404), "anonymous": (401, 401)},
    "rooms_cancel":         {"MANAGER": (204, 204), "ENTITY_ADMIN": (204, 404), "PROFESSIONAL": (404, 404), "anonymous": (401, 401)},
    "rooms_participants_add": {"MANAGER": (201, 201), "ENTITY_ADMIN": (201, 404), "PROFESSIONAL": (404, 404), "anonymous": (401, 401)},
    "rooms_participants_resend": {"MANAGER": (202, 202), "ENTITY_ADMIN": (202, 404), "PROFESSIONAL": (404, 404), "anonymous": (401, 401)},
    # After the meeting: its record follows the meeting's visibility (the target room is the
    # entity admin's, so a PROFESSIONAL finds none); the usage report is scoped like the rooms list,
    # and naming another tenant's entity is a 404.
    "rooms_transcript":     {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (404, 404), "anonymous": (401, 401)},
    "rooms_summary":        {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (404, 404), "anonymous": (401, 401)},
    "rooms_recordings":     {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (404, 404), "anonymous": (401, 401)},
    "rooms_agent_usage":    {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (404, 404), "anonymous": (401, 401)},
    "agent_usage":          {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (200, 404), "anonymous": (401, 401)},
    # public, authenticated by LiveKit's signature only: an unsigned call is a 401 for anyone
    "webhooks_livekit":     dict.fromkeys(ROLES, (401, 401)),
    # Knowledge base: admins manage their entity's documents; professionals may only search them.
    "kb_upload":            {"MANAGER": (202, 202), "ENTITY_ADMIN": (202, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "kb_job":               {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "kb_search":            {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (200, 404), "anonymous": (401, 401)},
    "kb_documents":         {"MANAGER": (200, 200), "ENTITY_ADMIN": (200, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    "kb_delete":            {"MANAGER": (204, 204), "ENTITY_ADMIN": (204, 404), "PROFESSIONAL": (403, 403), "anonymous": (401, 401)},
    # Joining: participants have no account. The magic link (and its password) is the credential,
    # whoever else calls; a user's access token never opens a room (the join token is its own type).
    "magic_link_preview":   dict.fromkeys(ROLES, (200, 200)),
    "magic_link_validate":  dict.fromkeys(ROLES, (200, 200)),
    "rooms_join":           dict.fromkeys(ROLES, (401, 401)),
}

CALLERS = {"MANAGER": "manager@conexa.local", "ENTITY_ADMIN": "admin@clinica.local",
           "PROFESSIONAL": "pro@own.matrix.test"}


def _fresh_professional(conn, home, linked_to=None):
    pid = conn.execute("INSERT INTO professionals (entity_id, name) VALUES (%s, 'Fresh Pro') RETURNING id",
                       (home,)).fetchone()["id"]
    for entity in {home, linked_to} - {None}:
        conn.execute("INSERT INTO professional_entities (professional_id, entity_id) VALUES (%s, %s)", (pid, entity))
    return pid


def _room_in(conn, t):
    """A scheduled room of tenant `t`, organised by its admin, with one invited participant."""
    admin = conn.execute("SELECT id FROM users WHERE email = %s", (t.admin_email,)).fetchone()["id"]
    room = conn.execute(
        """INSERT INTO rooms (entity_id, organizer_id, title, scheduled_start, scheduled_end, max_participants)
           VALUES (%s, %s, 'Matrix room', now() + interval '1 day', now() + interval '1 day 1 hour', 10)
           RETURNING id""", (t.entity_id, admin)).fetchone()["id"]
    conn.execute("UPDATE rooms SET livekit_room_name = %s WHERE id = %s", (f"room_{room}", room))
    person = conn.execute("INSERT INTO participants (name, email) VALUES ('Matrix guest', 'guest@matrix.test') "
                          "RETURNING id").fetchone()["id"]
    conn.execute("INSERT INTO room_participants (room_id, participant_id, token_expires_at) "
                 "VALUES (%s, %s, now() + interval '2 days')", (room, person))
    return room, person


def build(module, t, opposite, conn, api, caller_email):
    """(method, path, body) for calling `module` against tenant `t`."""
    n = uuid.uuid4().hex[:8]
    e = t.entity_id
    match module:
        case "health":
            return "GET", "/health", None
        case "openapi":
            return "GET", "/openapi.json", None
        case "auth_login":
            return "POST", "/api/v1/auth/login", {"email": t.admin_email, "password": PASSWORD}
        case "auth_refresh" | "auth_logout":
            pair = api.post("/api/v1/auth/login", {"email": t.admin_email, "password": PASSWORD}).json()
            return "POST", f"/api/v1/auth/{module.split('_')[1]}", {"refresh_token": pair["refresh_token"]}
        case "auth_set_password":
            return "POST", "/api/v1/auth/set-password", {"token": "x" * 43, "new_password": "a-long-password"}
        case "auth_me":
            return "GET", "/api/v1/auth/me", None
        case "auth_password":
            return "POST", "/api/v1/auth/password", {"current_password": PASSWORD, "new_password": PASSWORD}
        case "entities_list":
            return "GET", "/api/v1/entities?limit=100", None
        case "entities_create":
            return "POST", "/api/v1/entities", {"name": f"Matrix {n}", "type": "clinic"}
        case "entities_get":
            return "GET", f"/api/v1/entities/{e}", None
        case "entities_update":
            return "PUT", f"/api/v1/entities/{e}", {"default_instructions": f"Be brief {n}"}
        case "departments_list":
            return "GET", f"/api/v1/entities/{e}/departments", None
        case "departments_create":
            return "POST", f"/api/v1/entities/{e}/departments", {"name": f"Dept {n}"}
        case "departments_update":
            return "PUT", f"/api/v1/departments/{t.department_id}", {"instructions": f"Notes {n}"}
        case "professionals_list":
            return "GET", f"/api/v1/entities/{e}/professionals", None
        case "professionals_create":
            return "POST", f"/api/v1/entities/{e}/professionals", {"name": f"Dr {n}", "phone": "+5511987654321"}
        case "professionals_update":
            return "PUT", f"/api/v1/professionals/{t.professional_id}", {"specialty": f"Cardio {n}"}
        case "professionals_link":
            pid = _fresh_professional(conn, e)
            return "POST", f"/api/v1/professionals/{pid}/entities", {"entity_id": str(opposite.entity_id)}
        case "professionals_unlink":
            pid = _fresh_professional(conn, opposite.entity_id, linked_to=e)
            return "DELETE", f"/api/v1/professionals/{pid}/entities/{e}", None
        case "users_list":
            return "GET", f"/api/v1/entities/{e}/users", None
        case "users_create":
            return "POST", f"/api/v1/entities/{e}/users", {"email": f"u{n}@matrix.test", "name": "New", "role": "PROFESSIONAL"}
        case "users_update":
            return "PUT", f"/api/v1/users/{t.spare_user_id}", {"name": f"Spare {n}"}
        case "stats":
            return "GET", "/api/v1/stats", None
        case "rooms_create":
            start = datetime.now(UTC) + timedelta(days=1)
            return "POST", "/api/v1/rooms", {
                "entity_id": str(e), "title": f"Matrix {n}", "scheduled_start": start.isoformat(),
                "scheduled_end": (start + timedelta(hours=1)).isoformat(),
                "participants": [{"name": "Guest", "email": f"g{n}@matrix.test"}]}
        case "rooms_list":
            return "GET", f"/api/v1/rooms?entity_id={e}", None
        case "rooms_get" | "rooms_cancel":
            room, _ = _room_in(conn, t)
            return ("GET" if module == "rooms_get" else "DELETE"), f"/api/v1/rooms/{room}", None
        case "rooms_participants_add":
            room, _ = _room_in(conn, t)
            return "POST", f"/api/v1/rooms/{room}/participants", {"participants": [{"name": "Late", "phone": "+5511912345678"}]}
        case "rooms_participants_resend":
            room, person = _room_in(conn, t)
            return "POST", f"/api/v1/rooms/{room}/participants/{person}/resend", None
        case "rooms_transcript" | "rooms_summary" | "rooms_recordings" | "rooms_agent_usage":
            room, _ = _room_in(conn, t)
            if module == "rooms_summary":
                conn.execute("INSERT INTO meeting_summaries (room_id, summary, mode) VALUES (%s, 'Notes', 'extractive')",
                             (room,))
            part = module.removeprefix("rooms_").replace("_", "-")
            return "GET", f"/api/v1/rooms/{room}/{part}", None
        case "agent_usage":
            return "GET", f"/api/v1/agent-usage?entity_id={e}&from_date=2030-01-01&to_date=2030-12-31", None
        case "magic_link_preview":
            guest = make_invitation(conn, entity_id=e, organizer=t.admin_email).guest
            return "POST", "/api/v1/magic-link/preview", {"token": guest.token}
        case "magic_link_validate":
            guest = make_invitation(conn, entity_id=e, organizer=t.admin_email).guest
            return "POST", "/api/v1/magic-link/validate", {"token": guest.token, "password": guest.password}
        case "rooms_join":
            invitation = make_invitation(conn, entity_id=e, organizer=t.admin_email)
            return "POST", f"/api/v1/rooms/{invitation.room_id}/join", None
        case "kb_upload":
            return "POST", "/api/v1/knowledge-base/uploads", {"filename": f"m{n}.pdf", "size_bytes": 100,
                                                              "entity_id": str(e)}
        case "kb_job" | "kb_delete":
            doc = conn.execute("INSERT INTO knowledge_documents (entity_id, filename, s3_key) VALUES (%s, %s, %s) "
                               "RETURNING id", (e, f"m{n}.pdf", f"uploads/{e}/{n}/m.pdf")).fetchone()["id"]
            if module == "kb_job":
                return "GET", f"/api/v1/knowledge-base/jobs/{doc}", None
            return "DELETE", f"/api/v1/knowledge-base/documents/{doc}", None
        case "kb_search":
            return "GET", f"/api/v1/knowledge-base?q=blood+pressure&entity_id={e}", None
        case "kb_documents":
            return "GET", f"/api/v1/knowledge-base/documents?entity_id={e}", None
        case "webhooks_livekit":
            return "POST", "/webhooks/livekit", {"event": "room_started", "id": f"EV_{n}", "room": {"name": "x"}}
    raise AssertionError(f"no request builder for {module}")


def test_every_route_has_an_expectation():
    assert set(EXPECT) == {r.module for r in ROUTES}
    assert all(set(v) == set(ROLES) for v in EXPECT.values())


@pytest.fixture(scope="module")
def tenants(database):
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(database, row_factory=dict_row, autocommit=True) as c:
        return make_tenants(c)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.module)
def test_isolation(route, role, tenants, api, conn, aws):
    token = None
    if role != "anonymous":
        token = api.post("/api/v1/auth/login", {"email": CALLERS[role], "password": PASSWORD}).json()["access_token"]
    got = []
    for target, opposite in (("own", "other"), ("other", "own")):
        method, path, body = build(route.module, tenants[target], tenants[opposite], conn, api, CALLERS.get(role))
        reply = api.call(method, path, body, token=token)
        got.append(reply.status)
        if reply.status >= 400:
            assert set(reply.json()) == {"error"}, reply.body
    assert tuple(got) == EXPECT[route.module][role], f"{route.method} {route.path} as {role}"
