"""Line breaks never stop an invitation: names and titles are one line (a 422 otherwise), and
e-mail headers are built so that any stored text is safe and every message is delivered."""
from __future__ import annotations

import email
import email.policy
import uuid
from datetime import UTC, datetime

import psycopg
import pytest

from tests.integration.fixtures import make_tenants
from tests.integration.rooms_helpers import inbox, room_body, unique_email

BREAKS = ["X\r\nBcc: evil@example.org", "Eve\nCc: evil@example.org", "A\u0085B", "A\u2028B", "A\u2029B",
          "A\rB", "A\tB", "A\u001bB"]


@pytest.fixture(scope="module")
def tenants(database):
    from psycopg.rows import dict_row

    with psycopg.connect(database, row_factory=dict_row, autocommit=True) as c:
        return make_tenants(c)


def _fields(reply) -> set[str]:
    assert reply.status == 422, reply.body
    return {f["field"] for f in reply.json()["error"]["details"]["fields"]}


@pytest.mark.parametrize("text", BREAKS, ids=repr)
def test_names_and_titles_with_line_breaks_are_422(text, as_user, tenants):
    admin, manager = as_user("admin@clinica.local"), as_user("manager@conexa.local")
    own = tenants["own"]
    assert "title" in _fields(admin.post("/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}],
                                                                    title=text)))
    assert "participants.0.name" in _fields(admin.post("/api/v1/rooms", room_body([{"name": text, "email": unique_email()}])))
    assert "name" in _fields(admin.post(f"/api/v1/entities/{own.entity_id}/users",
                                        {"email": unique_email(), "name": text, "role": "PROFESSIONAL"}))
    assert "name" in _fields(admin.put(f"/api/v1/users/{own.spare_user_id}", {"name": text}))
    assert "name" in _fields(manager.put(f"/api/v1/entities/{own.entity_id}", {"name": text}))
    assert "name" in _fields(admin.post(f"/api/v1/entities/{own.entity_id}/departments", {"name": text}))
    assert "name" in _fields(admin.post(f"/api/v1/entities/{own.entity_id}/professionals", {"name": text}))


def test_descriptions_may_still_have_several_lines(as_user):
    reply = as_user("admin@clinica.local").post(
        "/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}], description="Trazer:\r\n- exames\n- receitas"))
    assert reply.status == 201, reply.body


@pytest.mark.parametrize("text", BREAKS, ids=repr)
def test_text_stored_before_the_rule_is_still_delivered_safely(text, sinks):
    """Rows written before names were one line: their invitations and set-password e-mails go
    out, to the one recipient, with single-line headers."""
    from doctorlive.notifications import mail
    from doctorlive.notifications.models import Channel, Kind, Meeting, Notification, Secret

    recipient = unique_email("safe")
    meeting = Meeting(room_id=uuid.uuid4(), title=text, description=None,
                      start=datetime(2030, 1, 1, 17, tzinfo=UTC), end=datetime(2030, 1, 1, 18, tzinfo=UTC),
                      timezone="America/Sao_Paulo", organizer_name=text, organizer_email="ana@clinica.local",
                      entity_name=text)
    invitation = Notification(notification_id=uuid.uuid4(), kind=Kind.INVITATION, channel=Channel.EMAIL,
                              locale="pt-BR", recipient_name=text, email=recipient, meeting=meeting,
                              entity_name=text)
    set_password = Notification(notification_id=uuid.uuid4(), kind=Kind.SET_PASSWORD, channel=Channel.EMAIL,
                                locale="pt-BR", recipient_name=text, email=recipient, entity_name=text,
                                expires_at=datetime(2030, 1, 1, tzinfo=UTC), timezone="America/Sao_Paulo")
    mail.send(invitation, Secret(link="https://room.example/join#token=t", password="12345678"))
    mail.send(set_password, Secret(link="https://admin.example/set-password?token=s"))
    got = inbox(sinks, recipient)
    assert len(got) == 2
    for m in got:
        assert m["to"] == [recipient]
        headers = email.message_from_string(m["raw"], policy=email.policy.default)
        assert headers["cc"] is None and headers["bcc"] is None
        assert [a.addr_spec for a in headers["to"].addresses] == [recipient]
        assert "\n" not in m["subject"] and "\r" not in m["subject"]


def test_whatsapp_template_parameters_are_one_line():
    from doctorlive.notifications.models import Channel, Kind, Meeting, Notification, Secret
    from doctorlive.notifications.templates import whatsapp_template_parameters

    meeting = Meeting(room_id=uuid.uuid4(), title="X\r\nY\u2028Z", description=None,
                      start=datetime(2030, 1, 1, 17, tzinfo=UTC), end=datetime(2030, 1, 1, 18, tzinfo=UTC),
                      timezone="UTC", organizer_name="Ana", organizer_email="ana@clinica.local", entity_name="C")
    n = Notification(notification_id=uuid.uuid4(), kind=Kind.INVITATION, channel=Channel.WHATSAPP, locale="en",
                     recipient_name="Eve\n\tCc", phone="+5511987654321", meeting=meeting, entity_name="C")
    for value in whatsapp_template_parameters(n, Secret(link="https://x/join#token=t", password="12345678")):
        # Meta refuses template parameters with new lines, tabs or more than 4 consecutive spaces.
        assert not any(c in value for c in "\r\n\t\u0085\u2028\u2029") and "     " not in value
