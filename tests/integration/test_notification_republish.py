"""Every notification published (issue 11 item 8): a notification the API committed but never
published (its SNS publish failed, or the process died between the commit and the publish) is
published by the scheduled notify-republish job once its request's one-minute claim lapsed, and
is delivered exactly once: also when two runs of the job overlap, and when the late original
publish arrives as well. Real Postgres, LocalStack's SNS/SQS, the event pump, the SMTP sink."""
from __future__ import annotations

import json
import threading

import psycopg
import pytest
from psycopg.rows import dict_row

from tests.integration.rooms_helpers import inbox, room_body, unique_email

JOB = "notify-republish"


def notes_of(conn, room_id) -> list[dict]:
    return conn.execute(
        """SELECT n.id, n.status::text AS status, n.published_at, n.publish_attempts, n.last_error,
                  n.message IS NOT NULL AS kept, n.created_at, n.publish_claimed_until
             FROM notifications n JOIN room_participants rp ON rp.id = n.room_participant_id
            WHERE rp.room_id = %s ORDER BY n.seq""", (room_id,)).fetchall()


def strand(as_user, conn, how: str) -> tuple[str, str, list]:
    """Schedule a meeting whose invitation is committed but not published; returns the room id,
    the invitee's address and the messages the API tried to publish (the 'original publish')."""
    from doctorlive.notifications.outbox import SnsPublisher

    attempted: list = []

    def failing(self, messages):
        attempted.extend(messages)
        return {m.notification_id: "publish failed: EndpointConnectionError" for m in messages}

    def crashing(self, messages):
        attempted.extend(messages)
        raise RuntimeError("the process died between the commit and the publish")

    email = unique_email("stranded")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SnsPublisher, "publish", failing if how == "publish fails" else crashing)
        reply = as_user("admin@clinica.local").post("/api/v1/rooms", room_body([{"name": "Ana", "email": email}]))
    if how == "publish fails":
        assert reply.status == 201, reply.body
        room_id = reply.json()["id"]
    else:
        assert reply.status == 500  # the request died, but its transaction had committed
        room_id = conn.execute(
            """SELECT rp.room_id FROM room_participants rp JOIN participants p ON p.id = rp.participant_id
                WHERE p.email = %s""", (email,)).fetchone()["room_id"]
    [note] = notes_of(conn, room_id)
    assert (note["status"], note["published_at"], note["kept"]) == ("queued", None, True)
    assert len(attempted) == 1
    return str(room_id), email, attempted


def age(conn, room_id) -> None:
    """What a minute does: the request's claim on the publish lapses."""
    conn.execute("""UPDATE notifications n SET publish_claimed_until = now() - interval '1 second',
                           created_at = n.created_at - interval '61 seconds'
                      FROM room_participants rp
                     WHERE rp.id = n.room_participant_id AND rp.room_id = %s""", (room_id,))


def run_job(aws) -> None:
    """One scheduled tick, handled by the job's Lambda handler through its queue (as in AWS)."""
    aws.pump.tick(JOB)
    aws.pump.run_until(JOB, lambda: _queue_empty(aws, JOB), timeout=30)


def _queue_empty(aws, name) -> bool:
    q = aws.resources.queues[name]
    attrs = aws.pump.sqs.get_queue_attributes(
        QueueUrl=q.url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return all(v == "0" for v in attrs["Attributes"].values())


def deliver_all(aws, sinks, email) -> list[dict]:
    """Pump the e-mail queue until the invitation arrived and nothing for it is left queued."""
    def done():
        return inbox(sinks, email) and _queue_empty(aws, "notify-email")
    aws.pump.run_until("notify-email", done, timeout=60)
    return inbox(sinks, email)


@pytest.mark.parametrize("how", ["publish fails", "crash after commit"])
def test_a_stranded_invitation_is_published_by_the_job_and_delivered_once(aws, sinks, as_user, conn, how):
    room_id, email, _ = strand(as_user, conn, how)
    age(conn, room_id)

    run_job(aws)

    [note] = notes_of(conn, room_id)
    assert note["published_at"] is not None
    [mail] = deliver_all(aws, sinks, email)
    assert mail["subject"].startswith("Convite:")
    [note] = notes_of(conn, room_id)
    assert (note["status"], note["kept"]) == ("sent", False)  # the sealed message is not kept once sent
    run_job(aws)  # a later run finds nothing to do for it
    assert len(deliver_all(aws, sinks, email)) == 1


def test_a_fresh_queued_invitation_is_left_to_its_request(aws, sinks, as_user, conn):
    room_id, _, _ = strand(as_user, conn, "publish fails")
    [before] = notes_of(conn, room_id)
    assert (before["publish_claimed_until"] - before["created_at"]).total_seconds() == 60

    run_job(aws)

    [after] = notes_of(conn, room_id)
    assert (after["status"], after["published_at"]) == ("queued", None)
    assert after["publish_attempts"] == before["publish_attempts"] == 1
    assert after["publish_claimed_until"] == before["publish_claimed_until"]
    assert after["last_error"] == "publish failed: EndpointConnectionError"


def test_two_runs_at_once_publish_it_once_and_it_is_delivered_once(aws, sinks, as_user, conn):
    from doctorlive.notifications import republish
    from doctorlive.notifications.outbox import SnsPublisher

    room_id, email, _ = strand(as_user, conn, "publish fails")
    age(conn, room_id)
    [note] = notes_of(conn, room_id)
    published: list = []
    start = threading.Barrier(2)

    class Recording(SnsPublisher):
        def publish(self, messages):
            published.extend(m.notification_id for m in messages if m.notification_id == note["id"])
            return super().publish(messages)

    def run():
        start.wait(timeout=10)
        republish.run(Recording())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert published == [note["id"]]
    assert len(deliver_all(aws, sinks, email)) == 1


def test_a_claim_in_progress_is_skipped_not_waited_for_nor_taken_twice(aws, as_user, conn, database):
    from doctorlive.notifications.repo import NotificationRepo

    room_id, _, _ = strand(as_user, conn, "publish fails")
    age(conn, room_id)
    [note] = notes_of(conn, room_id)
    with psycopg.connect(database, row_factory=dict_row) as first, \
            psycopg.connect(database, row_factory=dict_row) as second:
        second.execute("SET lock_timeout = '2s'")  # waiting for the lock would fail the test
        taken = NotificationRepo(first).claim_unpublished(1000, 120)  # not committed yet
        assert note["id"] in {r.id for r in taken}
        assert note["id"] not in {r.id for r in NotificationRepo(second).claim_unpublished(1000, 120)}
        second.rollback()
        first.commit()
        assert note["id"] not in {r.id for r in NotificationRepo(second).claim_unpublished(1000, 120)}
        second.rollback()


def test_the_late_original_publish_is_not_delivered_a_second_time(aws, sinks, as_user, conn):
    from doctorlive.notifications.outbox import SnsPublisher

    room_id, email, original = strand(as_user, conn, "crash after commit")
    age(conn, room_id)
    run_job(aws)
    assert len(deliver_all(aws, sinks, email)) == 1

    assert SnsPublisher().publish(original) == {}  # the original publish, arriving late
    aws.pump.run_until("notify-email", lambda: _queue_empty(aws, "notify-email"), timeout=60)
    assert len(inbox(sinks, email)) == 1
    [note] = notes_of(conn, room_id)
    assert note["status"] == "sent"


def test_the_job_gives_up_visibly_and_logs_counts_without_personal_data(aws, sinks, as_user, conn, caplog,
                                                                         monkeypatch):
    from doctorlive.notifications import republish
    from doctorlive.notifications.outbox import SnsPublisher

    room_id, email, _ = strand(as_user, conn, "publish fails")
    monkeypatch.setattr(SnsPublisher, "publish", lambda self, messages: {
        m.notification_id: "publish failed: InternalError" for m in messages})
    from doctorlive.settings import get_settings

    limit = get_settings().notify_publish_max_attempts
    for _ in range(limit - 1):  # the API's publish was the first attempt
        age(conn, room_id)
        republish.run()
    [note] = notes_of(conn, room_id)
    assert (note["status"], note["publish_attempts"], note["kept"]) == ("failed", limit, False)
    assert note["last_error"] == f"could not be published after {limit} attempts: publish failed: InternalError"
    detail = as_user("admin@clinica.local").get(f"/api/v1/rooms/{room_id}").json()
    assert detail["participants"][0]["email_status"] == "failed"  # the organiser sees it and resends

    runs = [r for r in caplog.records if r.getMessage() == "notification republish run"]
    assert runs and runs[-1].failed >= 1 and runs[-1].claimed >= 1
    assert not [r for r in caplog.records if email in r.getMessage() or email in json.dumps(r.__dict__, default=str)]


def test_a_stranded_row_without_its_message_is_marked_failed(aws, as_user, conn):
    """Rows queued before the job existed kept no message: nothing can rebuild their secret."""
    from doctorlive.notifications import republish

    room_id, _, _ = strand(as_user, conn, "crash after commit")
    conn.execute("""UPDATE notifications n SET message = NULL FROM room_participants rp
                     WHERE rp.id = n.room_participant_id AND rp.room_id = %s""", (room_id,))
    age(conn, room_id)
    republish.run()
    [note] = notes_of(conn, room_id)
    assert note["status"] == "failed" and note["last_error"] == republish.NOT_KEPT
