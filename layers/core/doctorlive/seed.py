"""Dev seed data (idempotent; the local stage only: refuses to run in a cloud stage).

    python -m doctorlive.seed

Users (password = settings.dev_password, `doctorlive-dev` unless DEV_PASSWORD is set):
manager@conexa.local (MANAGER), admin@clinica.local (ENTITY_ADMIN of "Clínica Cardio Saúde"),
admin@design.local (ENTITY_ADMIN of "Design Studio XYZ").
"""
from __future__ import annotations

import sys

import psycopg
from psycopg.rows import dict_row

from doctorlive.auth.passwords import hash_password, verify_password
from doctorlive.settings import get_settings
from doctorlive.stages import is_cloud

ENTITIES = (
    {"name": "Clínica Cardio Saúde", "type": "medical_clinic", "max_participants": 50,
     "locale": "pt-BR", "default_instructions":
         "Você é um assistente de uma clínica de cardiologia. Sugira, com base nos documentos da "
         "clínica, informações úteis para o profissional durante a consulta."},
    {"name": "Design Studio XYZ", "type": "design_agency", "max_participants": 30,
     "locale": "en", "default_instructions":
         "You assist a design studio's meetings: surface relevant briefs and guidelines."},
)
USERS = (
    ("manager@conexa.local", "Conexa Manager", "MANAGER", None),
    ("admin@clinica.local", "Clínica Admin", "ENTITY_ADMIN", "Clínica Cardio Saúde"),
    ("admin@design.local", "Design Admin", "ENTITY_ADMIN", "Design Studio XYZ"),
)


def seed(conninfo: str, password: str) -> None:
    with psycopg.connect(conninfo, row_factory=dict_row) as conn, conn.transaction():
        ids: dict[str, object] = {}
        for e in ENTITIES:
            row = conn.execute(
                """INSERT INTO entities (name, type, max_participants, locale, default_instructions)
                   VALUES (%(name)s, %(type)s, %(max_participants)s, %(locale)s, %(default_instructions)s)
                   ON CONFLICT (lower(name)) DO UPDATE SET name = EXCLUDED.name
                   RETURNING id""", e).fetchone()
            ids[e["name"]] = row["id"]
        for email, name, role, entity in USERS:
            existing = conn.execute("SELECT password_hash FROM users WHERE lower(email) = %s",
                                    (email,)).fetchone()
            pw_hash = existing["password_hash"] if existing and existing["password_hash"] and \
                verify_password(password, existing["password_hash"]) else hash_password(password)
            conn.execute(
                """INSERT INTO users (email, name, role, entity_id, password_hash)
                   VALUES (%s, %s, %s, %s, %s)
                   ON CONFLICT (lower(email)) DO UPDATE
                      SET role = EXCLUDED.role, entity_id = EXCLUDED.entity_id,
                          password_hash = EXCLUDED.password_hash, active = true""",
                (email, name, role, ids.get(entity) if entity else None, pw_hash))


def main() -> int:
    s = get_settings()
    if is_cloud(s.stage):
        print(f"refusing to seed dev users in stage {s.stage!r}", file=sys.stderr)
        return 2
    seed(s.database_url, s.dev_password.get_secret_value())
    print("seed: manager@conexa.local, admin@clinica.local, admin@design.local")
    return 0


if __name__ == "__main__":
    sys.exit(main())
