"""SQL for notification rows: queued by the API, marked sent or failed by the notifiers.

A participant's email_status / whatsapp_status follow from these rows (a trigger mirrors the
latest message of each channel onto room_participants, see migration 0010).
"""
from __future__ import annotations

from uuid import UUID

import psycopg

_ERROR_MAX = 1000


class NotificationRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def insert(self, notification_id: UUID, kind: str, channel: str, recipient: str, *,
               entity_id: UUID | None, room_participant_id: UUID | None = None,
               user_id: UUID | None = None) -> None:
        self.conn.execute(
            """INSERT INTO notifications (id, kind, channel, recipient, entity_id,
                                          room_participant_id, user_id)
               VALUES (%s, %s, %s, %s, %s, %s, %s)""",
            (notification_id, kind, channel, recipient, entity_id, room_participant_id, user_id))

    def mark_published(self, ids: list[UUID]) -> None:
        if ids:
            self.conn.execute("UPDATE notifications SET published_at = now() WHERE id = ANY(%s)", (ids,))

    def get(self, notification_id: UUID) -> dict | None:
        return self.conn.execute(
            "SELECT id, kind, channel, status::text AS status, attempts, sent_at FROM notifications WHERE id = %s",
            (notification_id,)).fetchone()

    def mark_sent(self, notification_id: UUID, provider_message_id: str | None) -> None:
        self.conn.execute(
            """UPDATE notifications
                  SET status = 'sent', sent_at = now(), provider_message_id = %s,
                      attempts = attempts + 1, last_error = NULL
                WHERE id = %s""", (provider_message_id, notification_id))

    def record_failure(self, notification_id: UUID, error: str, *, final: bool) -> None:
        """A failed attempt; `final` when no retry will follow (the message goes to the
        dead-letter queue, or the failure is permanent). A sent message stays sent."""
        self.conn.execute(
            """UPDATE notifications
                  SET attempts = attempts + 1, last_error = %(error)s,
                      status = CASE WHEN %(final)s THEN 'failed'::notification_status ELSE status END,
                      failed_at = CASE WHEN %(final)s THEN now() ELSE failed_at END
                WHERE id = %(id)s AND status <> 'sent'""",
            {"id": notification_id, "error": error[:_ERROR_MAX], "final": final})

    def mark_failed(self, ids: list[UUID], error: str) -> None:
        """Messages that could not even be published."""
        if ids:
            self.conn.execute(
                """UPDATE notifications SET status = 'failed', failed_at = now(), last_error = %s
                    WHERE id = ANY(%s) AND status <> 'sent'""", (error[:_ERROR_MAX], ids))
