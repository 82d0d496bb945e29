"""Invitations through the real fan-out: API → SNS topic → per-channel SQS queue (LocalStack) →
notifier handlers (the event pump, as Lambda) → the SMTP and WhatsApp sinks. What participants
receive, what stays secret, and that no message is lost or sent twice when delivery fails."""
from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid

import bcrypt
import pytest

from tests.integration.rooms_helpers import (
    inbox,
    redrive,
    room_body,
    unique_email,
    unique_phone,
    whatsapp_inbox,
)
from tests.support.waiting import wait_for

PASSWORD_RE = re.compile(r"Senha de acesso: (\d{8})")
LINK_RE = re.compile(r"(https?://\S+/join#token=([A-Za-z0-9_-]+))")


def status_of(conn, room_id, channel: str) -> list[str]:
    return [r["s"] for r in conn.execute(
        f"SELECT rp.{channel}_status::text AS s FROM room_participants rp WHERE rp.room_id = %s "
        f"AND rp.{channel}_status IS NOT NULL ORDER BY rp.created_at", (room_id,)).fetchall()]


def test_invitations_arrive_by_email_and_whatsapp_with_link_password_and_calendar(
        aws, sinks, as_user, conn, clinic, capfd, caplog):
    from doctorlive.observability import logger as app_logger

    caplog.set_level(logging.DEBUG)  # botocore, psycopg, everything that propagates
    app_logger.setLevel("DEBUG")     # Powertools writes to stdout: captured by capfd
    try:
        email, phone = unique_email("ana"), unique_phone()
        admin = as_user("admin@clinica.local")
        reply = admin.post("/api/v1/rooms", room_body(
            [{"name": "Ana Souza", "email": email}, {"name": "Bruno Lima", "phone": phone}],
            title="Consulta cardiológica", description="Traga seus exames."))
        assert reply.status == 201, reply.body
        room = reply.json()
        assert status_of(conn, room["id"], "email") == ["queued"]
        assert status_of(conn, room["id"], "whatsapp") == ["queued"]

        aws.pump.run_until("notify-email", lambda: inbox(sinks, email))
        aws.pump.run_until("notify-whatsapp", lambda: whatsapp_inbox(sinks, phone))
        detail = admin.get(f"/api/v1/rooms/{room['id']}").json()
    finally:
        app_logger.setLevel("INFO")

    [mail] = inbox(sinks, email)
    assert mail["subject"].startswith("Convite: Consulta cardiológica")
    password = PASSWORD_RE.search(mail["text"]).group(1)
    link, token = LINK_RE.search(mail["text"]).groups()
    assert link.startswith("http://127.0.0.1:8080/join#token=")
    assert password in mail["html"] and "Traga seus exames." in mail["text"]
    [ics] = [a for a in mail["attachments"] if a["filename"] == "invite.ics"]
    assert "METHOD:REQUEST" in ics["content"] and f"UID:room-{room['id']}@doctor-live" in ics["content"]
    assert "SEQUENCE:0" in ics["content"] and "\r\n" in ics["content"]
    assert mail["calendar_methods"] == ["REQUEST"]
    assert password not in ics["content"]  # calendars get synced and shared: the link only

    [wa] = whatsapp_inbox(sinks, phone)
    assert wa["type"] == "text" and wa["phone_number_id"] == "100000000000001"
    wa_password = re.search(r"Senha de acesso: (\d{8})", wa["text"]).group(1)
    assert "Consulta cardiológica" in wa["text"] and LINK_RE.search(wa["text"])

    # Stored: SHA-256 of the token, bcrypt of the password; each participant has its own.
    rows = {r["name"]: r for r in conn.execute(
        """SELECT p.name, rp.magic_token_hash, rp.password_hash FROM room_participants rp
             JOIN participants p ON p.id = rp.participant_id WHERE rp.room_id = %s""", (room["id"],))}
    assert rows["Ana Souza"]["magic_token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert bcrypt.checkpw(password.encode(), rows["Ana Souza"]["password_hash"].encode())
    assert bcrypt.checkpw(wa_password.encode(), rows["Bruno Lima"]["password_hash"].encode())
    assert not bcrypt.checkpw(password.encode(), rows["Bruno Lima"]["password_hash"].encode())

    statuses = {p["name"]: (p["email_status"], p["whatsapp_status"]) for p in detail["participants"]}
    assert statuses == {"Ana Souza": ("sent", None), "Bruno Lima": (None, "sent")}

    # The plain password was in no log line and no API response along the whole flow.
    logged = capfd.readouterr()
    for secret in (password, wa_password, token):
        assert secret not in caplog.text
        assert secret not in logged.out and secret not in logged.err
        assert secret not in reply.body.decode() and secret not in json.dumps(detail)


def test_messages_in_the_queues_hold_the_secret_only_sealed(aws, sinks, as_user, conn):
    from doctorlive.notifications.models import Notification
    from doctorlive.notifications.sealing import unseal

    sqs = aws.pump.sqs
    queue = aws.resources.queues["notify-email"]
    aws.pump.run_until("notify-email", lambda: not sqs.receive_message(
        QueueUrl=queue.url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages"), timeout=30)
    email = unique_email()
    room = as_user("admin@clinica.local").post("/api/v1/rooms", room_body([{"name": "Ana", "email": email}])).json()
    got = sqs.receive_message(QueueUrl=queue.url, MaxNumberOfMessages=10, WaitTimeSeconds=2,
                              VisibilityTimeout=0, MessageAttributeNames=["All"])["Messages"]
    [raw] = [m for m in got if email in m["Body"]]
    message = Notification.model_validate_json(raw["Body"])
    assert raw["MessageAttributes"]["channel"]["StringValue"] == "email"
    assert message.meeting.room_id == uuid.UUID(room["id"]) and message.sealed.startswith("v1.")
    secret = unseal(message.sealed, message.notification_id)
    assert len(secret.password) == 8 and secret.password not in raw["Body"]
    assert secret.link.split("#token=")[1] not in raw["Body"] and "token=" not in raw["Body"]
    with pytest.raises(Exception, match="does not open"):
        unseal(message.sealed, uuid.uuid4())  # bound to its own notification id
    aws.pump.run_until("notify-email", lambda: inbox(sinks, email))


def test_a_message_published_twice_is_sent_once(aws, sinks, as_user, conn, monkeypatch):
    """Idempotency is keyed on the notification id, not the SQS message id: both deliveries are
    handled, and only the first sends — and only the first counts as sent in the metrics."""
    from doctorlive import aws as aws_clients
    from doctorlive.notifications import consumer
    from doctorlive.settings import get_settings
    from functions.events import notify_whatsapp

    notifier = notify_whatsapp.handler.notifier
    handled = []  # notification ids of the deliveries the notifier finished with

    def record_handler(record, real=notifier.record_handler):
        result = real(record)
        handled.append(json.loads(record.body)["notification_id"])
        return result

    monkeypatch.setattr(notifier, "record_handler", record_handler)
    counted = []
    monkeypatch.setattr(consumer, "count", lambda name, value=1: counted.append((name, value)))
    sqs = aws.pump.sqs
    queue = aws.resources.queues["notify-whatsapp"]
    phone = unique_phone()
    as_user("admin@clinica.local").post("/api/v1/rooms", room_body([{"name": "Bia", "phone": phone}]))

    def queued():  # peeked: it stays on the queue for the pump
        got = sqs.receive_message(QueueUrl=queue.url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                  VisibilityTimeout=0, MessageAttributeNames=["All"]).get("Messages", [])
        return next((m for m in got if phone in m["Body"]), None)

    raw = wait_for(queued, what="the notification on its queue")
    notification_id = json.loads(raw["Body"])["notification_id"]
    aws_clients.client("sns").publish(
        TopicArn=get_settings().notifications_topic_arn, Message=raw["Body"],
        MessageAttributes={k: {"DataType": v["DataType"], "StringValue": v["StringValue"]}
                           for k, v in raw["MessageAttributes"].items()})

    aws.pump.run_until("notify-whatsapp", lambda: handled.count(notification_id) >= 2)
    assert handled.count(notification_id) == 2
    assert len(whatsapp_inbox(sinks, phone)) == 1
    assert status_of(conn, json.loads(raw["Body"])["meeting"]["room_id"], "whatsapp") == ["sent"]
    assert counted.count(("NotificationsSent", 1)) == 1


def test_smtp_down_retries_then_dead_letters_marks_failed_and_redrive_sends_once(aws, sinks, as_user, conn):
    email = unique_email("outage")
    admin = as_user("admin@clinica.local")
    sinks.smtp.stop_smtp()
    try:
        room = admin.post("/api/v1/rooms", room_body([{"name": "Caio", "email": email}])).json()
        dlq = aws.resources.queues["notify-email"].dlq_url

        def dead_lettered():
            # `failed` comes with the last allowed attempt; SQS moves the message to the DLQ at
            # the receive after that one.
            if status_of(conn, room["id"], "email") != ["failed"]:
                return False
            peek = aws.pump.sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, VisibilityTimeout=0)
            return any(email in m["Body"] for m in peek.get("Messages", []))

        aws.pump.run_until("notify-email", dead_lettered, timeout=60)
        note = conn.execute(
            """SELECT n.status::text AS status, n.attempts, n.last_error FROM notifications n
                 JOIN room_participants rp ON rp.id = n.room_participant_id WHERE rp.room_id = %s""",
            (room["id"],)).fetchone()
        assert note["status"] == "failed" and note["attempts"] == 6  # the route's max_receive_count
        assert "SMTP" in note["last_error"]
        assert admin.get(f"/api/v1/rooms/{room['id']}").json()["participants"][0]["email_status"] == "failed"
        assert inbox(sinks, email) == []
    finally:
        sinks.smtp.start_smtp()

    moved = redrive(aws.pump.sqs, aws.resources.queues["notify-email"])
    assert moved >= 1
    aws.pump.run_until("notify-email", lambda: status_of(conn, room["id"], "email") == ["sent"])
    # Pump until the queue is drained: a second copy would have been sent by now.
    sqs, url = aws.pump.sqs, aws.resources.queues["notify-email"].url
    aws.pump.run_until("notify-email", lambda: not sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages"))
    assert len(inbox(sinks, email)) == 1


def test_whatsapp_outage_is_retried_and_sent_once(aws, sinks, as_user, conn):
    phone = unique_phone()
    sinks.whatsapp.fail_next(2, status=503)
    room = as_user("admin@clinica.local").post("/api/v1/rooms", room_body([{"name": "Davi", "phone": phone}])).json()
    aws.pump.run_until("notify-whatsapp", lambda: status_of(conn, room["id"], "whatsapp") == ["sent"])
    assert len(whatsapp_inbox(sinks, phone)) == 1
    attempts = conn.execute("""SELECT n.attempts FROM notifications n JOIN room_participants rp
                                 ON rp.id = n.room_participant_id WHERE rp.room_id = %s""", (room["id"],)).fetchone()
    assert attempts["attempts"] >= 2


def test_a_refused_recipient_fails_at_once_without_retries(aws, sinks, as_user, conn, monkeypatch):
    from doctorlive.notifications.mail import PermanentDeliveryError
    from functions.events import notify_whatsapp

    def refuse(n, secret):
        raise PermanentDeliveryError("WhatsApp API 400 (code 131026: Message undeliverable)")

    monkeypatch.setattr(notify_whatsapp.handler.notifier, "send", refuse)
    room = as_user("admin@clinica.local").post(
        "/api/v1/rooms", room_body([{"name": "Eva", "phone": unique_phone()}])).json()
    aws.pump.run_until("notify-whatsapp", lambda: status_of(conn, room["id"], "whatsapp") == ["failed"])
    note = conn.execute("""SELECT n.attempts, n.last_error FROM notifications n JOIN room_participants rp
                             ON rp.id = n.room_participant_id WHERE rp.room_id = %s""", (room["id"],)).fetchone()
    assert note["attempts"] == 1 and "131026" in note["last_error"]


def test_cancellation_sends_method_cancel_and_removes_the_livekit_room(aws, sinks, livekit, as_user, conn):
    email, phone = unique_email("cancel"), unique_phone()
    admin = as_user("admin@clinica.local")
    room = admin.post("/api/v1/rooms", room_body([{"name": "Fábio", "email": email, "phone": phone}])).json()
    aws.pump.run_until("notify-email", lambda: inbox(sinks, email))
    livekit.create_room(room["livekit_room_name"])  # someone joined: LiveKit has the room

    assert admin.delete(f"/api/v1/rooms/{room['id']}").status == 204
    assert "DeleteRoom" in livekit.methods_called() and room["livekit_room_name"] not in livekit.rooms
    aws.pump.run_until("notify-email", lambda: len(inbox(sinks, email)) == 2)
    aws.pump.run_until("notify-whatsapp", lambda: len(whatsapp_inbox(sinks, phone)) == 2)

    invite, cancel = inbox(sinks, email)
    assert cancel["subject"].startswith("Cancelada:") and cancel["calendar_methods"] == ["CANCEL"]
    [ics] = [a["content"] for a in cancel["attachments"] if a["filename"] == "invite.ics"]
    [first] = [a["content"] for a in invite["attachments"] if a["filename"] == "invite.ics"]
    uid = f"UID:room-{room['id']}@doctor-live"
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and uid in ics and uid in first
    assert "SEQUENCE:1" in ics and "SEQUENCE:0" in first
    assert "token=" not in cancel["text"]
    assert "cancelada" in whatsapp_inbox(sinks, phone)[-1]["text"]
    detail = admin.get(f"/api/v1/rooms/{room['id']}").json()
    assert detail["participants"][0]["email_status"] == "sent"  # the latest message: the cancellation
    events = [r["event_type"] for r in conn.execute(
        "SELECT event_type FROM room_events WHERE room_id = %s ORDER BY id", (room["id"],))]
    assert events == ["cancelled", "livekit_room_deleted"]


def test_cancel_without_a_livekit_room_still_cancels(sinks, livekit, as_user, conn):
    admin = as_user("admin@clinica.local")
    room = admin.post("/api/v1/rooms", room_body()).json()
    assert admin.delete(f"/api/v1/rooms/{room['id']}").status == 204
    assert [r["event_type"] for r in conn.execute(
        "SELECT event_type FROM room_events WHERE room_id = %s ORDER BY id", (room["id"],))] == \
        ["cancelled", "livekit_room_absent"]


def test_resend_delivers_a_new_password_that_replaces_the_old(aws, sinks, as_user, conn):
    email = unique_email("resend")
    admin = as_user("admin@clinica.local")
    room = admin.post("/api/v1/rooms", room_body([{"name": "Gil", "email": email}])).json()
    aws.pump.run_until("notify-email", lambda: inbox(sinks, email))
    pid = room["participants"][0]["id"]
    assert admin.post(f"/api/v1/rooms/{room['id']}/participants/{pid}/resend").status == 202
    aws.pump.run_until("notify-email", lambda: len(inbox(sinks, email)) == 2)
    old, new = (PASSWORD_RE.search(m["text"]).group(1) for m in inbox(sinks, email))
    stored = conn.execute("SELECT password_hash FROM room_participants WHERE participant_id = %s", (pid,)).fetchone()
    assert bcrypt.checkpw(new.encode(), stored["password_hash"].encode())
    assert old == new or not bcrypt.checkpw(old.encode(), stored["password_hash"].encode())


def test_english_entities_invite_in_english(aws, sinks, as_user, design):
    email = unique_email("en")
    manager = as_user("manager@conexa.local")
    room = manager.post("/api/v1/rooms", room_body([{"name": "Dana", "email": email}], entity_id=str(design["id"]),
                                                    title="Brand review")).json()
    assert room["status"] == "SCHEDULED"
    aws.pump.run_until("notify-email", lambda: inbox(sinks, email))
    [mail] = inbox(sinks, email)
    assert mail["subject"].startswith("Invitation: Brand review")
    assert re.search(r"Access password: \d{8}", mail["text"]) and "Hello Dana," in mail["text"]


def test_new_users_get_their_set_password_link_by_email(aws, sinks, as_user, clinic):
    email = unique_email("newuser")
    created = as_user("admin@clinica.local").post(
        f"/api/v1/entities/{clinic['id']}/users", {"email": email, "name": "Dra. Helena", "role": "PROFESSIONAL"})
    assert created.status == 201
    aws.pump.run_until("notify-email", lambda: inbox(sinks, email))
    [mail] = inbox(sinks, email)
    assert mail["subject"] == "Defina sua senha do doctor-live"
    assert created.json()["set_password_url"] in mail["text"]
    assert mail["attachments"] == []
