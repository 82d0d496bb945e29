"""SQL for notification rows: queued by the API, marked sent or failed by the notifiers.

A participant's email_status / whatsapp_status follow from these rows (a trigger mirrors the
latest message of each channel onto room_participants, see migration 0010).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import psycopg

from doctorlive.sqlutil import many, one

_ERROR_MAX = 1000


@dataclass(frozen=True, slots=True)
class Unpublished:
    """A queued row the republish job has claimed: the message to publish and how often
    publishing it was tried."""
    id: UUID
    message: str | None  # the Notification's JSON; None once the row was finished
    publish_attempts: int


@dataclass(frozen=True, slots=True)
class NotificationState:
    """Where one notification stands, as a notifier checks it before sending."""
    id: UUID
    kind: str
    channel: str
    status: str
    attempts: int
    sent_at: datetime | None


class NotificationRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def insert(self, notification_id: UUID, kind: str, channel: str, recipient: str, *,
               entity_id: UUID | None, room_participant_id: UUID | None = None,
               user_id: UUID | None = None, message: str | None = None,
               claim_seconds: int = 60) -> None:
        """A `queued` row holding the message to publish; the inserting request owns its publish
        for `claim_seconds`, after which the republish job may publish it (migration 0013)."""
        self.conn.execute(
            """INSERT INTO notifications (id, kind, channel, recipient, entity_id,
                                          room_participant_id, user_id, message, publish_claimed_until)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, now() + make_interval(secs => %s))""",
            (notification_id, kind, channel, recipient, entity_id, room_participant_id, user_id,
             message, claim_seconds))

    def mark_published(self, ids: list[UUID]) -> None:
        if ids:
            self.conn.execute(
                """UPDATE notifications SET published_at = now(), publish_attempts = publish_attempts + 1
                    WHERE id = ANY(%s) AND published_at IS NULL""", (ids,))

    def record_publish_failure(self, ids: list[UUID], error: str) -> None:
        """A publish that did not go through: the row stays `queued` and the republish job tries
        again once its claim lapses."""
        if ids:
            self.conn.execute(
                """UPDATE notifications SET publish_attempts = publish_attempts + 1, last_error = %s
                    WHERE id = ANY(%s) AND published_at IS NULL""", (error[:_ERROR_MAX], ids))

    def claim_unpublished(self, limit: int, lease_seconds: int) -> list[Unpublished]:
        """Take up to `limit` queued, unpublished rows whose publisher's claim has lapsed, and
        claim them for `lease_seconds`, in one statement: rows another run holds are skipped
        (SKIP LOCKED), and a row another run claimed meanwhile no longer matches."""
        return many(
            self.conn, Unpublished,
            """WITH due AS (
                   SELECT id FROM notifications
                    WHERE status = 'queued' AND published_at IS NULL
                      AND publish_claimed_until < now()
                    ORDER BY publish_claimed_until
                    LIMIT %(limit)s
                    FOR UPDATE SKIP LOCKED)
               UPDATE notifications n
                  SET publish_claimed_until = now() + make_interval(secs => %(lease)s)
                 FROM due WHERE n.id = due.id
               RETURNING n.id, n.message, n.publish_attempts""",
            {"limit": limit, "lease": lease_seconds})

    def get(self, notification_id: UUID) -> NotificationState | None:
        return one(self.conn, NotificationState,
                   "SELECT id, kind, channel, status::text AS status, attempts, sent_at FROM notifications WHERE id = %s",
                   (notification_id,))

    def mark_sent(self, notification_id: UUID, provider_message_id: str | None) -> None:
        self.conn.execute(
            """UPDATE notifications
                  SET status = 'sent', sent_at = now(), provider_message_id = %s,
                      attempts = attempts + 1, last_error = NULL, message = NULL
                WHERE id = %s""", (provider_message_id, notification_id))

    def record_failure(self, notification_id: UUID, error: str, *, final: bool) -> None:
        """A failed attempt; `final` when no retry will follow (the message goes to the
        dead-letter queue, or the failure is permanent). A sent message stays sent."""
        self.conn.execute(
            """UPDATE notifications
                  SET attempts = attempts + 1, last_error = %(error)s,
                      status = CASE WHEN %(final)s THEN 'failed'::notification_status ELSE status END,
                      failed_at = CASE WHEN %(final)s THEN now() ELSE failed_at END,
                      message = CASE WHEN %(final)s THEN NULL ELSE message END
                WHERE id = %(id)s AND status <> 'sent'""",
            {"id": notification_id, "error": error[:_ERROR_MAX], "final": final})

    def mark_failed(self, ids: list[UUID], error: str) -> None:
        """Messages that could not be published, finally (the republish job gave up)."""
        if ids:
            self.conn.execute(
                """UPDATE notifications SET status = 'failed', failed_at = now(), last_error = %s,
                          message = NULL
                    WHERE id = ANY(%s) AND status <> 'sent'""", (error[:_ERROR_MAX], ids))
