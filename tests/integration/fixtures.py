"""Tenants for authorisation tests: two entities with a department, a professional and users."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from doctorlive.auth.passwords import hash_password

PASSWORD = "doctorlive-dev"


@dataclass
class Tenant:
    entity_id: uuid.UUID
    department_id: uuid.UUID
    professional_id: uuid.UUID
    spare_user_id: uuid.UUID
    admin_email: str
    professional_email: str


def make_tenants(conn) -> dict[str, Tenant]:
    """Idempotent: the seeded entities plus a department, professional and users in each."""
    pw = hash_password(PASSWORD)
    tenants = {}
    for key, name, admin in (("own", "Clínica Cardio Saúde", "admin@clinica.local"),
                             ("other", "Design Studio XYZ", "admin@design.local")):
        entity = conn.execute("SELECT id FROM entities WHERE name = %s", (name,)).fetchone()["id"]
        dept = conn.execute(
            """INSERT INTO departments (entity_id, name) VALUES (%s, 'Matrix department')
               ON CONFLICT (entity_id, lower(name)) DO UPDATE SET active = true RETURNING id""",
            (entity,)).fetchone()["id"]
        pro = conn.execute("SELECT id FROM professionals WHERE entity_id = %s AND name = 'Matrix Pro'",
                           (entity,)).fetchone()
        if pro is None:
            pro = conn.execute("INSERT INTO professionals (entity_id, name) VALUES (%s, 'Matrix Pro') RETURNING id",
                               (entity,)).fetchone()
            conn.execute("INSERT INTO professional_entities (professional_id, entity_id) VALUES (%s, %s)",
                         (pro["id"], entity))
        pro_email = f"pro@{key}.matrix.test"
        spare_email = f"spare@{key}.matrix.test"
        for email, role in ((pro_email, "PROFESSIONAL"), (spare_email, "PROFESSIONAL")):
            conn.execute(
                """INSERT INTO users (email, name, role, entity_id, password_hash)
                   VALUES (%s, %s, %s, %s, %s) ON CONFLICT (lower(email)) DO UPDATE SET active = true""",
                (email, email.split("@")[0], role, entity, pw))
        spare = conn.execute("SELECT id FROM users WHERE email = %s", (spare_email,)).fetchone()["id"]
        tenants[key] = Tenant(entity, dept, pro["id"], spare, admin, pro_email)
    return tenants
