"""SQL for users of an entity and their one-time password tokens."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import psycopg
from psycopg import sql

from doctorlive.sqlutil import many, one, set_clause, unique_as_conflict
from doctorlive.tenancy import Scope
from doctorlive.users.models import User

_USER = """SELECT u.id, u.email, u.name, u.role::text AS role, u.entity_id, u.active,
                  (u.password_hash IS NOT NULL) AS has_password, u.last_login_at, u.created_at
             FROM users u"""
USER_COLUMNS = frozenset({"name", "role", "active"})


@dataclass(frozen=True, slots=True)
class PasswordToken:
    """A set-password link's row, locked to be spent once (`active`: its user's)."""
    id: UUID
    user_id: UUID
    expires_at: datetime
    used_at: datetime | None
    active: bool


class UserRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def list(self, entity_id: UUID) -> list[User]:
        return many(self.conn, User, f"{_USER} WHERE u.entity_id = %s ORDER BY u.name", (entity_id,))

    def get(self, scope: Scope, user_id: UUID) -> User | None:
        where, params = scope.where("u.entity_id")
        return one(self.conn, User, f"{_USER} WHERE u.id = %(id)s AND {where}", {**params, "id": user_id})

    def create(self, entity_id: UUID, email: str, name: str, role: str) -> User:
        with unique_as_conflict(self.conn, "A user with this e-mail already exists", "email"):
            row = self.conn.execute(
                "INSERT INTO users (email, name, role, entity_id) VALUES (%s, %s, %s, %s) RETURNING id",
                (email, name, role, entity_id)).fetchone()
        return one(self.conn, User, f"{_USER} WHERE u.id = %s", (row["id"],))

    def update(self, user_id: UUID, fields: dict) -> User:
        if fields:
            assignments, params = set_clause(fields, USER_COLUMNS)
            self.conn.execute(sql.SQL("UPDATE users SET {} WHERE id = %(id)s").format(assignments),
                              {**params, "id": user_id})
        return one(self.conn, User, f"{_USER} WHERE u.id = %s", (user_id,))

    def attach_professional(self, professional_id: UUID, entity_id: UUID, user_id: UUID) -> bool:
        row = self.conn.execute(
            """UPDATE professionals SET user_id = %s
                WHERE id = %s AND entity_id = %s AND user_id IS NULL RETURNING id""",
            (user_id, professional_id, entity_id)).fetchone()
        return row is not None

    def password_hash(self, user_id: UUID) -> str | None:
        row = self.conn.execute("SELECT password_hash FROM users WHERE id = %s AND active", (user_id,)).fetchone()
        return row["password_hash"] if row else None

    def set_password(self, user_id: UUID, password_hash: str) -> None:
        self.conn.execute(
            "UPDATE users SET password_hash = %s, password_changed_at = now() WHERE id = %s",
            (password_hash, user_id))

    def revoke_sessions(self, user_id: UUID, *, access_tokens: bool = True) -> None:
        """Sign the user out: refresh tokens revoked and, with `access_tokens`, every access
        token issued until now refused at once (not only when it expires)."""
        self.conn.execute(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL",
            (user_id,))
        if access_tokens:
            self.conn.execute("UPDATE users SET tokens_valid_after = now() WHERE id = %s", (user_id,))

    def insert_password_token(self, user_id: UUID, token_hash: str, expires_at: datetime,
                              created_by: UUID | None) -> None:
        # A new link replaces any earlier unused one.
        self.conn.execute("UPDATE password_tokens SET used_at = now() WHERE user_id = %s AND used_at IS NULL",
                          (user_id,))
        self.conn.execute(
            """INSERT INTO password_tokens (user_id, token_hash, expires_at, created_by)
               VALUES (%s, %s, %s, %s)""", (user_id, token_hash, expires_at, created_by))

    def take_password_token(self, token_hash: str) -> PasswordToken | None:
        """Lock the token row so it can be spent once."""
        return one(self.conn, PasswordToken,
                   """SELECT t.id, t.user_id, t.expires_at, t.used_at, u.active
                        FROM password_tokens t JOIN users u ON u.id = t.user_id
                       WHERE t.token_hash = %s FOR UPDATE OF t""", (token_hash,))

    def spend_password_token(self, token_id: UUID) -> None:
        self.conn.execute("UPDATE password_tokens SET used_at = now() WHERE id = %s", (token_id,))
