"""The notifier Lambdas' body (one per channel): SQS batches with partial failures, each message
delivered once, its outcome recorded on its `notifications` row.

- Once: delivery is idempotent on the notification id in the message (not the SQS messageId),
  so a redelivered message and a message published twice are both sent once. A row already
  `sent` is not sent again either (after the idempotency record expired).
- Retries: a failed attempt leaves the message on the queue and pushes its next delivery back
  exponentially (ChangeMessageVisibility: base * 2^(attempt-1), capped); after the route's
  max_receive_count deliveries SQS moves it to the dead-letter queue.
- Status: `sent` on success; `failed` on a permanent error, or on the last allowed attempt
  (ApproximateReceiveCount >= max_receive_count: the next receive would be the DLQ's). A message
  redriven from the DLQ later and then sent turns `sent`.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any
from uuid import UUID

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from doctorlive import db
from doctorlive.idempotency import idempotent_record, register_context
from doctorlive.notifications.mail import DeliveryError, PermanentDeliveryError
from doctorlive.notifications.models import Channel, Notification, Secret
from doctorlive.notifications.repo import NotificationRepo
from doctorlive.notifications.sealing import SealError, unseal
from doctorlive.observability import NOTIFICATIONS_FAILED, count, instrument, logger
from doctorlive.settings import get_settings

Sender = Callable[[Notification, Secret | None], str]


def retry_delay(attempt: int) -> int:
    """Seconds before the next delivery after failed attempt number `attempt` (1-based)."""
    s = get_settings()
    if s.notify_retry_base_seconds <= 0:
        return 0
    return int(min(s.notify_retry_base_seconds * 2 ** max(0, attempt - 1), s.notify_retry_max_seconds, 43_200))


@lru_cache(maxsize=16)
def _queue_url(queue_arn: str) -> str:
    from doctorlive import aws

    _, _, _, _, account, name = queue_arn.split(":", 5)
    return aws.client("sqs").get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]


def _back_off(record: SQSRecord, delay: int) -> None:
    from doctorlive import aws

    try:
        aws.client("sqs").change_message_visibility(
            QueueUrl=_queue_url(record.event_source_arn), ReceiptHandle=record.receipt_handle,
            VisibilityTimeout=delay)
    except Exception:  # noqa: BLE001 - without backoff the queue's visibility timeout still applies
        logger.warning("could not delay the retry", extra={"message_id": record.message_id})


class Notifier:
    def __init__(self, channel: Channel, send: Sender, max_receive_count: int):
        self.channel = channel
        self.send = send
        self.max_receive_count = max_receive_count
        self.processor = BatchProcessor(event_type=EventType.SQS)
        # The idempotency key is the notification id; the function name keeps channels apart.
        self._deliver_once = idempotent_record("notification_id")(self._deliver)
        # The notification this invocation itself sent: a duplicate delivery answered from the
        # idempotency record returns the stored {"sent": ...} without sending, and must not count.
        self._sent_now: UUID | None = None

    def handler(self, event: dict, context: Any) -> dict:
        register_context(context)
        return process_partial_response(event=event, record_handler=self.record_handler,
                                        processor=self.processor, context=context)

    def _deliver(self, record: dict) -> dict:
        n = Notification.model_validate(record)
        with db.transaction() as conn:
            row = NotificationRepo(conn).get(n.notification_id)
        if row is None:
            # Not committed by the API (its request failed after publishing): nobody expects it.
            logger.warning("unknown notification: not sent", extra={"notification_id": str(n.notification_id)})
            return {"skipped": "unknown"}
        if row.status == "sent":
            return {"skipped": "already sent"}
        try:
            secret = unseal(n.sealed, n.notification_id) if n.sealed else None
        except SealError as exc:
            raise PermanentDeliveryError("the message's secret cannot be opened with this key") from exc
        provider_id = self.send(n, secret)
        with db.transaction() as conn:
            NotificationRepo(conn).mark_sent(n.notification_id, provider_id)
        self._sent_now = n.notification_id
        return {"sent": provider_id}

    def record_handler(self, record: SQSRecord) -> dict:
        n = Notification.model_validate_json(record.body)
        if n.channel is not self.channel:
            raise ValueError(f"a {n.channel} message reached the {self.channel} notifier")
        attempt = int(record.attributes.approximate_receive_count or 1)
        context = {"notification_id": str(n.notification_id), "channel": n.channel.value,
                   "kind": n.kind.value, "attempt": attempt}
        self._sent_now = None
        try:
            result = self._deliver_once(record=n.model_dump(mode="json"))
        except PermanentDeliveryError as exc:
            self._record_failure(n.notification_id, str(exc), final=True)
            logger.error("notification failed permanently", extra={**context, "error": str(exc)})
            count(NOTIFICATIONS_FAILED)
            return {"failed": str(exc)}
        except DeliveryError as exc:
            final = attempt >= self.max_receive_count
            self._record_failure(n.notification_id, str(exc), final=final)
            if final:
                logger.error("notification failed; last attempt, the message goes to the dead-letter queue",
                             extra={**context, "error": str(exc)})
                count(NOTIFICATIONS_FAILED)
            else:
                delay = retry_delay(attempt)
                logger.warning("notification attempt failed; will retry",
                               extra={**context, "error": str(exc), "retry_in_seconds": delay})
                if delay:
                    _back_off(record, delay)
            raise
        if self._sent_now == n.notification_id:
            logger.info("notification sent", extra=context)
            count("NotificationsSent")
        elif "sent" in result:
            logger.info("duplicate delivery of a sent notification: not sent again", extra=context)
        return result

    @staticmethod
    def _record_failure(notification_id: UUID, error: str, *, final: bool) -> None:
        with db.transaction() as conn:
            NotificationRepo(conn).record_failure(notification_id, error, final=final)


def lambda_handler(channel: Channel, send: Sender, max_receive_count: int):
    """A notifier Lambda handler; `max_receive_count` is its wiring row's (the queue's redrive)."""
    notifier = Notifier(channel, send, max_receive_count)

    handler = instrument(notifier.handler)
    handler.notifier = notifier
    return handler
