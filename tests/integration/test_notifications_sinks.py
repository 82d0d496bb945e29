"""The dev sinks behave like what they stand in for: the WhatsApp sink checks requests as the
Cloud API does and answers in its shape; the SMTP sink keeps raw messages and attachments; both
list and clear over HTTP."""
from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage

import pytest

from tests.integration.rooms_helpers import inbox, whatsapp_inbox


def post(url: str, body, headers=None) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


AUTH = {"authorization": "Bearer some-token"}
TEXT = {"messaging_product": "whatsapp", "to": "5511900001111", "type": "text", "text": {"body": "Olá"}}


def test_whatsapp_sink_answers_like_the_cloud_api(sinks):
    status, reply = post(f"{sinks.whatsapp.url}/v21.0/100000000000001/messages", TEXT, AUTH)
    assert status == 200 and reply["messaging_product"] == "whatsapp"
    assert reply["contacts"] == [{"input": "5511900001111", "wa_id": "5511900001111"}]
    assert reply["messages"][0]["id"].startswith("wamid.")
    [kept] = [m for m in whatsapp_inbox(sinks, "5511900001111") if m["wamid"] == reply["messages"][0]["id"]]
    assert kept["text"] == "Olá" and kept["phone_number_id"] == "100000000000001"
    template = {"messaging_product": "whatsapp", "to": "+5511900002222", "type": "template", "template": {
        "name": "meeting_invitation", "language": {"code": "pt_BR"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "Consulta"}]}]}}
    assert post(f"{sinks.whatsapp.url}/v21.0/100000000000001/messages", template, AUTH)[0] == 200
    [t] = whatsapp_inbox(sinks, "5511900002222")
    assert (t["template"], t["language"], t["parameters"]) == ("meeting_invitation", "pt_BR", ["Ana", "Consulta"])


@pytest.mark.parametrize("path,body,headers,status,code", [
    ("/v21.0/100000000000001/messages", TEXT, {}, 401, 190),
    ("/v21.0/100000000000001/messages", TEXT, {"authorization": "Bearer "}, 401, 190),
    ("/v21.0/not-a-number/messages", TEXT, AUTH, 400, 100),
    ("/v21.0/100000000000001/messages", {**TEXT, "messaging_product": "sms"}, AUTH, 400, 100),
    ("/v21.0/100000000000001/messages", {**TEXT, "to": "ana"}, AUTH, 400, 100),
    ("/v21.0/100000000000001/messages", {**TEXT, "text": {}}, AUTH, 400, 100),
    ("/v21.0/100000000000001/messages", {**TEXT, "type": "image"}, AUTH, 400, 100),
    ("/v21.0/100000000000001/messages", b"not json", AUTH, 400, 100),
])
def test_whatsapp_sink_refuses_what_meta_refuses(sinks, path, body, headers, status, code):
    got, reply = post(sinks.whatsapp.url + path, body, headers)
    assert (got, reply["error"]["code"]) == (status, code) and reply["error"]["type"] == "OAuthException"


def test_smtp_sink_keeps_raw_messages_and_attachments_and_clears(sinks):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "sink-check@example.org", "Olá"
    msg.set_content("corpo")
    msg.add_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", maintype="application", subtype="ics",
                       filename="invite.ics")
    msg.add_attachment(b"\x00\x01", maintype="application", subtype="octet-stream", filename="blob.bin")
    with smtplib.SMTP("127.0.0.1", sinks.smtp.smtp_port, timeout=5) as smtp:
        smtp.send_message(msg)
    [kept] = inbox(sinks, "sink-check@example.org")
    assert kept["subject"] == "Olá" and kept["text"].strip() == "corpo" and "Subject:" in kept["raw"]
    ics, blob = kept["attachments"]
    assert (ics["filename"], ics["encoding"], ics["content"]) == ("invite.ics", "text", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert (blob["encoding"], blob["content"]) == ("base64", "AAE=")
    with urllib.request.urlopen(f"{sinks.smtp.url}/api/messages/{kept['id']}/attachments/0", timeout=5) as resp:
        assert resp.read().startswith(b"BEGIN:VCALENDAR")
    with urllib.request.urlopen(f"{sinks.smtp.url}/", timeout=5) as resp:
        assert "Olá" in resp.read().decode()
    urllib.request.urlopen(urllib.request.Request(f"{sinks.smtp.url}/api/messages", method="DELETE"), timeout=5)
    assert inbox(sinks) == []
