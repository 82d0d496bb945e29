"""SQL for entities, departments and professionals. Every read goes through the tenant scope."""
from __future__ import annotations

from uuid import UUID

import psycopg
from psycopg import sql

from doctorlive.entities.models import Department, Entity, EntityFilters, Professional, Stats
from doctorlive.pagination import PageParams
from doctorlive.sqlutil import contains, fetch_page, many, one, set_clause, unique_as_conflict
from doctorlive.tenancy import Scope

_ENTITY = """
SELECT e.*, (SELECT count(*) FROM departments d WHERE d.entity_id = e.id AND d.active)::int
            AS department_count
  FROM entities e
"""
ENTITY_COLUMNS = frozenset({"name", "type", "default_instructions", "max_participants",
                            "recording_retention_days", "locale", "timezone", "assistant_enabled",
                            "record_meetings", "active"})
DEPARTMENT_COLUMNS = frozenset({"name", "instructions", "active"})
PROFESSIONAL_COLUMNS = frozenset({"name", "email", "phone", "specialty", "active"})


class EntityRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def list(self, scope: Scope, f: EntityFilters, paging: PageParams) -> tuple[list[Entity], int]:
        where, params = scope.where("e.id")
        conds = [where]
        if f.q:
            conds.append("(e.name ILIKE %(q)s OR e.type ILIKE %(q)s)")
            params["q"] = contains(f.q)
        if f.type:
            conds.append("e.type = %(type)s")
            params["type"] = f.type
        if f.active is not None:
            conds.append("e.active = %(active)s")
            params["active"] = f.active
        return fetch_page(self.conn, select=_ENTITY, table="entities e", where=" AND ".join(conds),
                          params=params, order_by="e.name", limit=paging.limit, offset=paging.offset,
                          record=Entity)

    def get(self, scope: Scope, entity_id: UUID) -> Entity | None:
        where, params = scope.where("e.id")
        return one(self.conn, Entity, f"{_ENTITY} WHERE e.id = %(id)s AND {where}", {**params, "id": entity_id})

    def create(self, data: dict) -> Entity:
        with unique_as_conflict(self.conn, "An entity with this name already exists", "name"):
            row = self.conn.execute(
                """INSERT INTO entities (name, type, default_instructions, max_participants,
                                         recording_retention_days, locale, timezone, assistant_enabled,
                                         record_meetings)
                   VALUES (%(name)s, %(type)s, %(default_instructions)s, %(max_participants)s,
                           %(recording_retention_days)s, %(locale)s, %(timezone)s, %(assistant_enabled)s,
                           %(record_meetings)s)
                   RETURNING id""", data).fetchone()
        return one(self.conn, Entity, f"{_ENTITY} WHERE e.id = %s", (row["id"],))

    def update(self, entity_id: UUID, fields: dict) -> Entity:
        if fields:
            assignments, params = set_clause(fields, ENTITY_COLUMNS)
            with unique_as_conflict(self.conn, "An entity with this name already exists", "name"):
                self.conn.execute(sql.SQL("UPDATE entities SET {} WHERE id = %(id)s").format(assignments),
                                  {**params, "id": entity_id})
        return one(self.conn, Entity, f"{_ENTITY} WHERE e.id = %s", (entity_id,))

    def stats(self, scope: Scope) -> Stats:
        where_e, params = scope.where("e.id")
        where_r, _ = scope.where("r.entity_id")
        where_u, _ = scope.where("u.entity_id")
        where_d, _ = scope.where("d.entity_id")
        where_p, _ = scope.where("pe.entity_id")
        return one(
            self.conn, Stats,
            f"""SELECT
                  (SELECT count(*) FROM entities e WHERE {where_e})::int AS entities,
                  (SELECT count(*) FROM entities e WHERE {where_e} AND e.active)::int AS active_entities,
                  (SELECT count(*) FROM departments d WHERE {where_d} AND d.active)::int AS departments,
                  (SELECT count(DISTINCT pe.professional_id) FROM professional_entities pe
                    WHERE {where_p} AND pe.active)::int AS professionals,
                  (SELECT count(*) FROM rooms r WHERE {where_r})::int AS meetings_total,
                  (SELECT count(*) FROM rooms r WHERE {where_r} AND r.status = 'SCHEDULED'
                      AND r.scheduled_start > now())::int AS meetings_upcoming,
                  (SELECT count(*) FROM rooms r WHERE {where_r} AND r.status = 'ACTIVE')::int AS meetings_active,
                  (SELECT count(*) FROM users u WHERE {where_u} AND u.active)::int AS active_users""",
            params)


class DepartmentRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def list(self, entity_id: UUID, active_only: bool) -> list[Department]:
        return many(self.conn, Department,
                    "SELECT * FROM departments WHERE entity_id = %s AND (active OR NOT %s) ORDER BY name",
                    (entity_id, active_only))

    def get(self, scope: Scope, department_id: UUID) -> Department | None:
        where, params = scope.where("d.entity_id")
        return one(self.conn, Department, f"SELECT d.* FROM departments d WHERE d.id = %(id)s AND {where}",
                   {**params, "id": department_id})

    def create(self, entity_id: UUID, data: dict) -> Department:
        with unique_as_conflict(self.conn, "This entity already has a department with this name", "name"):
            return one(self.conn, Department,
                       """INSERT INTO departments (entity_id, name, instructions)
                          VALUES (%(entity_id)s, %(name)s, %(instructions)s) RETURNING *""",
                       {**data, "entity_id": entity_id})

    def update(self, department_id: UUID, fields: dict) -> Department:
        if not fields:
            return one(self.conn, Department, "SELECT * FROM departments WHERE id = %s", (department_id,))
        assignments, params = set_clause(fields, DEPARTMENT_COLUMNS)
        with unique_as_conflict(self.conn, "This entity already has a department with this name", "name"):
            return one(self.conn, Department,
                       sql.SQL("UPDATE departments SET {} WHERE id = %(id)s RETURNING *").format(assignments),
                       {**params, "id": department_id})


_PROFESSIONAL = """
SELECT p.*, COALESCE(array_agg(pe.entity_id ORDER BY pe.created_at)
                     FILTER (WHERE pe.active), '{}') AS entity_ids
  FROM professionals p
  LEFT JOIN professional_entities pe ON pe.professional_id = p.id
"""


class ProfessionalRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def list(self, entity_id: UUID) -> list[Professional]:
        return many(
            self.conn, Professional,
            f"""{_PROFESSIONAL}
                WHERE p.id IN (SELECT professional_id FROM professional_entities
                                WHERE entity_id = %s AND active)
                GROUP BY p.id ORDER BY p.name""", (entity_id,))

    def get(self, scope: Scope, professional_id: UUID) -> Professional | None:
        """Visible when its home entity is in scope."""
        where, params = scope.where("p.entity_id")
        return one(self.conn, Professional, f"{_PROFESSIONAL} WHERE p.id = %(id)s AND {where} GROUP BY p.id",
                   {**params, "id": professional_id})

    def get_any(self, professional_id: UUID) -> Professional | None:
        return one(self.conn, Professional, f"{_PROFESSIONAL} WHERE p.id = %s GROUP BY p.id", (professional_id,))

    def create(self, entity_id: UUID, data: dict) -> Professional:
        row = self.conn.execute(
            """INSERT INTO professionals (entity_id, name, email, phone, specialty)
               VALUES (%(entity_id)s, %(name)s, %(email)s, %(phone)s, %(specialty)s) RETURNING id""",
            {**data, "entity_id": entity_id}).fetchone()
        self.conn.execute("INSERT INTO professional_entities (professional_id, entity_id) VALUES (%s, %s)",
                          (row["id"], entity_id))
        return self.get_any(row["id"])

    def update(self, professional_id: UUID, fields: dict) -> Professional:
        if fields:
            assignments, params = set_clause(fields, PROFESSIONAL_COLUMNS)
            self.conn.execute(sql.SQL("UPDATE professionals SET {} WHERE id = %(id)s").format(assignments),
                              {**params, "id": professional_id})
        return self.get_any(professional_id)

    def link(self, professional_id: UUID, entity_id: UUID) -> bool:
        """True when a new link was made (or an inactive one revived)."""
        row = self.conn.execute(
            """INSERT INTO professional_entities (professional_id, entity_id) VALUES (%s, %s)
               ON CONFLICT (professional_id, entity_id) DO UPDATE SET active = true
                 WHERE NOT professional_entities.active
               RETURNING id""", (professional_id, entity_id)).fetchone()
        return row is not None

    def unlink(self, professional_id: UUID, entity_id: UUID) -> bool:
        row = self.conn.execute(
            """UPDATE professional_entities SET active = false
                WHERE professional_id = %s AND entity_id = %s AND active RETURNING id""",
            (professional_id, entity_id)).fetchone()
        return row is not None
