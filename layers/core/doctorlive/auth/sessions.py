"""Revocation that takes effect at once: every authenticated request checks, by primary key,
that its user is still active, still has the token's role and entity, and was not signed out
(`users.tokens_valid_after`, moved by role changes, deactivation and password changes) after
the access token was issued."""
from __future__ import annotations

import psycopg

from doctorlive.errors import Unauthorized
from doctorlive.tenancy import Principal


def require_current(conn: psycopg.Connection, principal: Principal, issued_ms: int) -> None:
    row = conn.execute(
        """SELECT active, role::text AS role, entity_id,
                  tokens_valid_after > to_timestamp(%s / 1000.0) AS revoked
             FROM users WHERE id = %s""", (issued_ms, principal.user_id)).fetchone()
    if (row is None or not row["active"] or row["revoked"] or row["role"] != principal.role.value
            or row["entity_id"] != principal.entity_id):
        raise Unauthorized("This session was signed out; log in again", code="token_revoked")
