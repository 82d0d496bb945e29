"""Queue notifications with the request's data; publish them once that data is committed.

    outbox = Outbox(conn)
    outbox.add(message, entity_id=..., room_participant_id=...)   # a `queued` row, same transaction
    outbox.flush()                                                 # commit, then publish to SNS

Publishing after the commit means a notifier never sees a message whose rows (the room, the
participant's password hash) might still roll back. The row keeps the message it publishes
(secret sealed): when the publish fails, or the process dies between the commit and the
publish, the row stays `queued` and unpublished, and the scheduled notify-republish job
(republish.py) publishes it once the request's claim (`notify_republish_after_seconds`) has
lapsed. The notifiers are idempotent on the notification id, so a republished message that the
late original publish also delivers is sent once.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

import psycopg

from doctorlive.notifications.models import Notification
from doctorlive.notifications.repo import NotificationRepo
from doctorlive.observability import logger

_SNS_BATCH = 10  # PublishBatch takes at most 10 entries


class Publisher(Protocol):
    def publish(self, messages: Sequence[Notification]) -> dict[UUID, str]:
        """Publish; return the ids that failed with the reason."""


class SnsPublisher:
    """Publishes to the notifications topic (settings.notifications_topic_arn) with the
    `channel` message attribute the per-channel subscriptions filter on."""

    def __init__(self, topic_arn: str | None = None):
        from doctorlive.settings import get_settings

        self.topic_arn = topic_arn if topic_arn is not None else get_settings().notifications_topic_arn

    def publish(self, messages: Sequence[Notification]) -> dict[UUID, str]:
        if not messages:
            return {}
        if not self.topic_arn:
            return dict.fromkeys((m.notification_id for m in messages), "notifications topic not configured")
        from doctorlive import aws  # boto3 only in functions that publish

        failed: dict[UUID, str] = {}
        sns = aws.client("sns")
        for start in range(0, len(messages), _SNS_BATCH):
            batch = list(messages[start:start + _SNS_BATCH])
            by_entry = {str(i): m for i, m in enumerate(batch)}
            try:
                reply = sns.publish_batch(TopicArn=self.topic_arn, PublishBatchRequestEntries=[
                    {"Id": i, "Message": m.model_dump_json(), "MessageAttributes": m.attributes()}
                    for i, m in by_entry.items()])
            except Exception as exc:  # noqa: BLE001 - any transport/service error fails the batch
                failed.update(dict.fromkeys((m.notification_id for m in batch), f"publish failed: {type(exc).__name__}"))
                continue
            for f in reply.get("Failed", []):
                failed[by_entry[f["Id"]].notification_id] = f"publish failed: {f.get('Code', 'error')}"
        return failed


class Outbox:
    def __init__(self, conn: psycopg.Connection, publisher: Publisher | None = None):
        self.conn = conn
        self.repo = NotificationRepo(conn)
        self.publisher = publisher
        self.pending: list[Notification] = []

    def add(self, message: Notification, *, entity_id: UUID | None,
            room_participant_id: UUID | None = None, user_id: UUID | None = None) -> None:
        from doctorlive.settings import get_settings

        self.repo.insert(message.notification_id, message.kind.value, message.channel.value,
                         message.recipient, entity_id=entity_id,
                         room_participant_id=room_participant_id, user_id=user_id,
                         message=message.model_dump_json(),
                         claim_seconds=get_settings().notify_republish_after_seconds)
        self.pending.append(message)

    def flush(self) -> dict[UUID, str]:
        """Commit the request's transaction, then publish what was added; returns failures."""
        messages, self.pending = self.pending, []
        if not messages:
            return {}
        self.conn.commit()
        publisher = self.publisher or SnsPublisher()
        failed = publisher.publish(messages)
        self.repo.mark_published([m.notification_id for m in messages if m.notification_id not in failed])
        if failed:
            # Still `queued`: the republish job publishes them again once their claim lapses.
            logger.error("notifications not published; the republish job will retry",
                         extra={"failed": len(failed), "reason": sorted(set(failed.values()))})
            for reason in set(failed.values()):
                self.repo.record_publish_failure([i for i, r in failed.items() if r == reason], reason)
        self.conn.commit()
        return failed
