"""What participants read: the entity's language, the meeting's time zone, the link and the
password exactly where they belong, HTML that cannot be injected; the WhatsApp request shape."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from doctorlive.notifications import whatsapp
from doctorlive.notifications.mail import build_message
from doctorlive.notifications.models import Channel, Kind, Meeting, Notification, Secret
from doctorlive.notifications.templates import email_content, format_when, whatsapp_text

SECRET = Secret(link="https://room.example/join?token=tok_123", password="04711234")


def note(kind=Kind.INVITATION, channel=Channel.EMAIL, locale="pt-BR", **kw) -> Notification:
    meeting = Meeting(room_id=uuid.uuid4(), title=kw.pop("title", "Consulta"), description=kw.pop("description", None),
                      start=datetime(2026, 12, 1, 17, 0, tzinfo=UTC), end=datetime(2026, 12, 1, 18, 30, tzinfo=UTC),
                      timezone=kw.pop("timezone", "America/Sao_Paulo"), organizer_name="Dra. Ana",
                      organizer_email="ana@clinica.local", entity_name="Clínica Cardio")
    return Notification(notification_id=uuid.uuid4(), kind=kind, channel=channel, locale=locale,
                        recipient_name="Bruno", email="bruno@example.org", phone="+5511987654321",
                        meeting=meeting, entity_name="Clínica Cardio", **kw)


def test_portuguese_invitation_in_the_meetings_time_zone():
    c = email_content(note(), SECRET)
    assert c.subject == "Convite: Consulta — 01/12/2026 14:00"
    assert "Olá, Bruno!" in c.text and "Dra. Ana (Clínica Cardio) convidou você" in c.text
    assert "terça-feira, 1 de dezembro de 2026, 14:00–15:30 (horário de America/Sao_Paulo)" in c.text
    assert "Entre pelo link: https://room.example/join?token=tok_123" in c.text
    assert "Senha de acesso: 04711234" in c.text
    assert 'href="https://room.example/join?token=tok_123"' in c.html and "04711234" in c.html


def test_english_invitation_and_other_zones():
    n = note(locale="en", timezone="Asia/Tokyo")
    c = email_content(n, SECRET)
    assert c.subject == "Invitation: Consulta — 2 Dec 2026 02:00"
    assert "Wednesday, 2 December 2026, 02:00–03:30 (Asia/Tokyo time)" in c.text
    assert "Access password: 04711234" in c.text and "Hello Bruno," in c.text
    assert format_when(n.meeting, "pt-BR").startswith("quarta-feira, 2 de dezembro de 2026")


def test_cancellation_has_no_link_or_password():
    c = email_content(note(Kind.CANCELLATION), None)
    assert c.subject.startswith("Cancelada: Consulta")
    assert "foi cancelada" in c.text and "token" not in c.text and "Senha" not in c.text


def test_html_escapes_what_people_typed():
    c = email_content(note(title="<script>alert(1)</script>", description="<b>x</b> & y"), SECRET)
    assert "<script>" not in c.html and "&lt;script&gt;" in c.html and "&lt;b&gt;x&lt;/b&gt; &amp; y" in c.html


def test_set_password_email():
    n = Notification(notification_id=uuid.uuid4(), kind=Kind.SET_PASSWORD, channel=Channel.EMAIL, locale="pt-BR",
                     recipient_name="Helena", email="h@example.org", entity_name="Clínica Cardio",
                     expires_at=datetime(2026, 12, 4, 12, 0, tzinfo=UTC), timezone="America/Sao_Paulo")
    msg = build_message(n, Secret(link="https://admin.example/set-password?token=s3t"))
    text = msg.get_body(("plain",)).get_content()
    assert msg["Subject"] == "Defina sua senha do doctor-live"
    assert "https://admin.example/set-password?token=s3t" in text and "04/12/2026 09:00" in text
    assert not [p for p in msg.walk() if p.get_content_type() in ("text/calendar", "application/ics")]


def test_invitation_email_carries_the_calendar_twice_and_a_stable_message_id():
    n = note()
    msg = build_message(n, SECRET)
    parts = {p.get_content_type(): p for p in msg.walk()}
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    assert parts["application/ics"].get_filename() == "invite.ics"
    assert msg["Message-ID"] == f"<{n.notification_id}@doctorlive.local>"
    assert msg["To"] == "Bruno <bruno@example.org>"


def test_whatsapp_text_message():
    body = whatsapp.payload(note(channel=Channel.WHATSAPP), SECRET)
    assert body["messaging_product"] == "whatsapp" and body["to"] == "5511987654321" and body["type"] == "text"
    assert "04711234" in body["text"]["body"] and "https://room.example/join?token=tok_123" in body["text"]["body"]
    assert whatsapp_text(note(Kind.CANCELLATION, Channel.WHATSAPP), None).endswith("foi cancelada.")


def test_whatsapp_template_message_when_a_template_is_configured(monkeypatch):
    from doctorlive.settings import get_settings

    settings = get_settings().model_copy(update={"whatsapp_template_invitation": "meeting_invitation"})
    body = whatsapp.payload(note(channel=Channel.WHATSAPP, locale="en"), SECRET, settings)
    assert body["type"] == "template" and body["template"]["name"] == "meeting_invitation"
    assert body["template"]["language"] == {"code": "en"}
    params = [p["text"] for p in body["template"]["components"][0]["parameters"]]
    assert params[0] == "Bruno" and params[1] == "Consulta" and params[3:] == [SECRET.link, SECRET.password]


@pytest.mark.parametrize("status,body,permanent", [
    (400, b'{"error": {"code": 131026, "message": "Message undeliverable"}}', True),
    (400, b'{"error": {"code": 100, "message": "Invalid parameter"}}', True),
    (429, b'{"error": {"code": 130429, "message": "Rate limit hit"}}', False),
    (401, b'{"error": {"code": 190, "message": "Invalid OAuth access token"}}', False),
    (503, b"oops", False),
])
def test_whatsapp_errors_are_classified(status, body, permanent):
    import io
    import urllib.error

    from doctorlive.notifications.mail import PermanentDeliveryError

    err = whatsapp._classify(urllib.error.HTTPError("u", status, "x", {}, io.BytesIO(body)))
    assert isinstance(err, PermanentDeliveryError) is permanent


def test_ses_sends_the_same_raw_message_and_classifies_rejections(monkeypatch):
    """EMAIL_BACKEND=ses: SESv2 SendEmail with the raw MIME message (what the cloud uses)."""
    import boto3
    from botocore.stub import ANY, Stubber

    from doctorlive import aws
    from doctorlive.notifications import mail
    from doctorlive.settings import get_settings

    client = boto3.client("sesv2", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    settings = get_settings().model_copy(update={"email_backend": "ses", "email_from": "Clínica <no-reply@clinica.example>"})
    monkeypatch.setattr(mail, "get_settings", lambda: settings)
    monkeypatch.setattr(aws, "client", lambda service: client)
    n = note()
    with Stubber(client) as stub:
        stub.add_response("send_email", {"MessageId": "ses-123"}, {
            "FromEmailAddress": settings.email_from, "Destination": {"ToAddresses": ["bruno@example.org"]},
            "Content": {"Raw": {"Data": ANY}}})
        stub.add_client_error("send_email", service_error_code="MessageRejected", http_status_code=400)
        stub.add_client_error("send_email", service_error_code="TooManyRequestsException", http_status_code=429)
        assert mail.send(n, SECRET) == "ses-123"
        with pytest.raises(mail.PermanentDeliveryError):
            mail.send(n, SECRET)
        with pytest.raises(mail.DeliveryError) as throttled:
            mail.send(n, SECRET)
        assert not isinstance(throttled.value, mail.PermanentDeliveryError)


def test_meeting_notes_are_header_safe_escaped_and_carry_no_calendar():
    from doctorlive.notifications.models import Notes

    secret = Secret(link="https://admin.example/meetings/r1",
                    notes=Notes(summary="Line one\nLine <two>", action_items=["Call\r\nBcc: x@evil", "Book"]))
    n = note(kind=Kind.MEETING_NOTES, locale="en", title="Review\r\nBcc: x@evil")
    msg = build_message(n, secret)
    assert msg["Subject"] == "Meeting notes: Review Bcc: x@evil — 1 Dec 2026 14:00"
    assert msg["Bcc"] is None and msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Line one\nLine <two>" in text and "- Call Bcc: x@evil" in text and "- Book" in text
    assert "Line <two>" not in html and "Line &lt;two&gt;" in html and "<li>Book</li>" in html
    assert 'href="https://admin.example/meetings/r1"' in html
    assert not [p for p in msg.walk() if p.get_content_type() in ("text/calendar", "application/ics")]
    pt = email_content(note(kind=Kind.MEETING_NOTES), Secret(link="https://a/m", notes=Notes(summary="S")))
    assert pt.subject.startswith("Notas da reunião: Consulta") and "Nenhum próximo passo registrado." in pt.text
