"""Every notification published: the scheduled notify-republish job (functions/events/notify_republish.py).

The API commits a `queued` row holding its message, then publishes it (outbox.py). When that
publish fails, or the process dies between the commit and the publish, the row stays queued and
unpublished. Once the request's claim has lapsed (`notify_republish_after_seconds`, one minute),
this job publishes the stored message to the same SNS topic:

- Claim, then publish: rows are claimed for a lease in one statement (FOR UPDATE SKIP LOCKED,
  NotificationRepo.claim_unpublished) and the claim is committed before SNS is called, so two
  runs at once never publish the same row, and a run that dies leaves rows that the next run
  takes once their lease lapses.
- Exactly one delivery: the stored message is byte for byte the one the API would have
  published (same notification id); the notifiers are idempotent on that id, so a late original
  publish and the republish are sent once.
- Bounded: `notify_republish_batch` rows a batch, at most `notify_republish_max_batches` batches
  a run; after `notify_publish_max_attempts` publishes that failed the row is marked `failed`
  (the organiser sees it and can resend). A row without a stored message (queued before this
  job existed) cannot be rebuilt (its secret exists nowhere else) and is marked `failed` too.
- Visible: one log line a run with counts only (no recipients), and the NotificationsRepublished
  / NotificationsUnpublishable metrics.
"""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from doctorlive import db
from doctorlive.notifications.models import Notification
from doctorlive.notifications.outbox import Publisher, SnsPublisher
from doctorlive.notifications.repo import NotificationRepo
from doctorlive.observability import NOTIFICATIONS_UNPUBLISHABLE, count, logger
from doctorlive.settings import get_settings

NOT_KEPT = "not published, and its message was not kept (queued before republishing existed): resend it"
GAVE_UP = "could not be published after {n} attempts: {reason}"


@dataclass
class RepublishResult:
    claimed: int = 0
    republished: int = 0
    retrying: int = 0      # publish failed; taken again when the lease lapses
    failed: int = 0        # given up: marked failed

    def add(self, other: RepublishResult) -> None:
        for k in ("claimed", "republished", "retrying", "failed"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def republish_batch(publisher: Publisher, limit: int) -> RepublishResult:
    s = get_settings()
    with db.transaction() as conn:  # the claim is committed before anything is published
        rows = NotificationRepo(conn).claim_unpublished(limit, s.notify_republish_lease_seconds)
    result = RepublishResult(claimed=len(rows))
    if not rows:
        return result
    messages: list[Notification] = []
    attempts: dict[UUID, int] = {}
    unreadable: list[UUID] = []
    for row in rows:
        try:
            message = Notification.model_validate_json(row.message or "")
        except ValueError:
            message = None
        if message is None or message.notification_id != row.id:
            unreadable.append(row.id)
            continue
        messages.append(message)
        attempts[row.id] = row.publish_attempts
    failed = publisher.publish(messages) if messages else {}
    with db.transaction() as conn:
        repo = NotificationRepo(conn)
        repo.mark_published([m.notification_id for m in messages if m.notification_id not in failed])
        repo.mark_failed(unreadable, NOT_KEPT)
        for reason in set(failed.values()):
            ids = [i for i, r in failed.items() if r == reason]
            repo.record_publish_failure(ids, reason)
            exhausted = [i for i in ids if attempts[i] + 1 >= s.notify_publish_max_attempts]
            repo.mark_failed(exhausted, GAVE_UP.format(n=s.notify_publish_max_attempts, reason=reason))
            result.failed += len(exhausted)
            result.retrying += len(ids) - len(exhausted)
    result.republished = len(messages) - len(failed)
    result.failed += len(unreadable)
    return result


def run(publisher: Publisher | None = None) -> RepublishResult:
    """One run of the job: batches until one comes back short, at most the configured number."""
    s = get_settings()
    publisher = publisher or SnsPublisher()
    total = RepublishResult()
    for _ in range(s.notify_republish_max_batches):
        batch = republish_batch(publisher, s.notify_republish_batch)
        total.add(batch)
        if batch.claimed < s.notify_republish_batch:
            break
    log = logger.warning if total.claimed else logger.info
    log("notification republish run", extra={
        "claimed": total.claimed, "republished": total.republished,
        "retrying": total.retrying, "failed": total.failed})
    count("NotificationsRepublished", total.republished)
    if total.failed:
        count(NOTIFICATIONS_UNPUBLISHABLE, total.failed)
    return total
