"""SQL for users and refresh tokens."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

import psycopg

from doctorlive.auth.models import RefreshRecord, UserRecord

_USER = """
SELECT u.id, u.email, u.name, u.role, u.entity_id, u.active, u.password_hash, u.last_login_at,
       e.name AS entity_name, e.active AS entity_active
  FROM users u LEFT JOIN entities e ON e.id = u.entity_id
"""


class AuthRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def user_by_email(self, email: str) -> UserRecord | None:
        row = self.conn.execute(_USER + " WHERE lower(u.email) = lower(%s)", (email,)).fetchone()
        return UserRecord.model_validate(row) if row else None

    def user_by_id(self, user_id: UUID) -> UserRecord | None:
        row = self.conn.execute(_USER + " WHERE u.id = %s", (user_id,)).fetchone()
        return UserRecord.model_validate(row) if row else None

    def record_login(self, user_id: UUID) -> None:
        self.conn.execute("UPDATE users SET last_login_at = now() WHERE id = %s", (user_id,))

    def insert_refresh(self, user_id: UUID, family_id: UUID, token_hash: str,
                       expires_at: datetime, ip: str | None) -> UUID:
        row = self.conn.execute(
            """INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, created_ip)
               VALUES (%s, %s, %s, %s, %s) RETURNING id""",
            (user_id, family_id, token_hash, expires_at, ip),
        ).fetchone()
        return row["id"]

    def refresh_for_update(self, token_hash: str) -> RefreshRecord | None:
        """Lock the token row: two concurrent refreshes with one token cannot both succeed."""
        row = self.conn.execute(
            """SELECT id, user_id, family_id, expires_at, used_at, revoked_at
                 FROM refresh_tokens WHERE token_hash = %s FOR UPDATE""",
            (token_hash,),
        ).fetchone()
        return RefreshRecord.model_validate(row) if row else None

    def mark_used(self, token_id: UUID, replaced_by: UUID) -> None:
        self.conn.execute(
            "UPDATE refresh_tokens SET used_at = now(), replaced_by = %s WHERE id = %s",
            (replaced_by, token_id),
        )

    def revoke_family(self, family_id: UUID) -> None:
        self.conn.execute(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = %s AND revoked_at IS NULL",
            (family_id,),
        )
