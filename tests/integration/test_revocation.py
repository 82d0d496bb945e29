"""Revocation takes effect at once: a demoted or deactivated user's older access tokens are
refused on every authenticated route, not only when they expire."""
from __future__ import annotations

import uuid

import pytest

from doctorlive.auth.passwords import hash_password
from functions.api.routes import ROUTES
from tests.integration.fixtures import PASSWORD


def _user(conn, email: str, role: str) -> uuid.UUID:
    entity = conn.execute("SELECT id FROM entities WHERE name = 'Clínica Cardio Saúde'").fetchone()["id"]
    return conn.execute(
        """INSERT INTO users (email, name, role, entity_id, password_hash) VALUES (%s, %s, %s, %s, %s)
           ON CONFLICT (lower(email)) DO UPDATE SET active = true, role = EXCLUDED.role RETURNING id""",
        (email, email.split("@")[0], role, entity, hash_password(PASSWORD))).fetchone()["id"]


def _entity(conn):
    return conn.execute("SELECT id FROM entities WHERE name = 'Clínica Cardio Saúde'").fetchone()["id"]


def test_a_demoted_admin_cannot_create_admins_with_its_old_token(api, login, conn):
    victim = _user(conn, "demoted@clinica.local", "ENTITY_ADMIN")
    old = login("demoted@clinica.local")["access_token"]
    boss = login("admin@clinica.local")["access_token"]
    assert api.put(f"/api/v1/users/{victim}", {"role": "PROFESSIONAL"}, token=boss).status == 200

    reply = api.post(f"/api/v1/entities/{_entity(conn)}/users",
                     {"email": f"{uuid.uuid4().hex[:8]}@clinica.local", "name": "Sneaky", "role": "ENTITY_ADMIN"},
                     token=old)
    assert reply.status == 401, reply.body
    assert reply.json()["error"]["code"] == "token_revoked"
    # A new login carries the new role and works as a professional would.
    fresh = login("demoted@clinica.local")
    assert fresh["user"]["role"] == "PROFESSIONAL"
    assert api.get("/api/v1/auth/me", token=fresh["access_token"]).status == 200


def test_a_deactivated_user_cannot_schedule_with_its_old_token(api, login, conn):
    victim = _user(conn, "leaver@clinica.local", "PROFESSIONAL")
    old = login("leaver@clinica.local")
    boss = login("admin@clinica.local")["access_token"]
    assert api.put(f"/api/v1/users/{victim}", {"active": False}, token=boss).status == 200

    reply = api.post("/api/v1/rooms", {"title": "After hours", "scheduled_start": "2030-01-01T10:00:00Z", "scheduled_end": "2030-01-01T11:00:00Z",
                                       "participants": [{"name": "P", "email": "p@example.org"}]},
                     token=old["access_token"])
    assert reply.status == 401, reply.body
    assert api.post("/api/v1/auth/refresh", {"refresh_token": old["refresh_token"]}).status == 401


AUTHENTICATED = [r for r in ROUTES if not r.public]


@pytest.mark.parametrize("route", AUTHENTICATED, ids=[r.module for r in AUTHENTICATED])
def test_every_authenticated_route_refuses_a_revoked_token(route, api, login, conn):
    victim = _user(conn, "everywhere@clinica.local", "ENTITY_ADMIN")
    old = login("everywhere@clinica.local")["access_token"]
    conn.execute("UPDATE users SET active = true WHERE id = %s", (victim,))
    boss = login("admin@clinica.local")["access_token"]
    assert api.put(f"/api/v1/users/{victim}", {"role": "PROFESSIONAL"}, token=boss).status == 200

    path = route.path
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + str(uuid.uuid4()) + path[end + 1:]
    reply = api.call(route.method, path, {} if route.method in ("POST", "PUT") else None, token=old)
    assert reply.status == 401, (route.module, reply.status, reply.body)
    assert reply.json()["error"]["code"] == "token_revoked"
