"""Calendar invitations that calendar clients accept and later replace with the cancellation."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from doctorlive.notifications.ics import calendar, escape_text, fold
from doctorlive.notifications.models import Meeting


def meeting(**kw) -> Meeting:
    base = {"room_id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "title": "Consulta",
            "start": datetime(2026, 12, 1, 14, 0, tzinfo=timezone(timedelta(hours=-3))),
            "end": datetime(2026, 12, 1, 15, 0, tzinfo=timezone(timedelta(hours=-3))),
            "timezone": "America/Sao_Paulo", "organizer_name": "Clínica Admin",
            "organizer_email": "admin@clinica.local", "entity_name": "Clínica"}
    return Meeting(**{**base, **kw})


def lines(text: str) -> list[str]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]  # unfolded


def test_request_has_uid_sequence_utc_times_organizer_and_attendee():
    text = calendar(meeting(), method="REQUEST", attendee_name="Ana", attendee_email="ana@example.org",
                    link="https://room.example/join?token=abc", now=datetime(2026, 11, 1, tzinfo=UTC))
    ls = lines(text)
    assert ls[0] == "BEGIN:VCALENDAR" and ls[-1] == "END:VCALENDAR"
    assert "METHOD:REQUEST" in ls and "STATUS:CONFIRMED" in ls and "VERSION:2.0" in ls
    assert "UID:room-12345678-1234-5678-1234-567812345678@doctor-live" in ls
    assert "SEQUENCE:0" in ls and "DTSTAMP:20261101T000000Z" in ls
    assert "DTSTART:20261201T170000Z" in ls and "DTEND:20261201T180000Z" in ls
    assert "URL:https://room.example/join?token=abc" in ls
    assert 'ORGANIZER;CN="Clínica Admin":mailto:admin@clinica.local' in ls
    assert any(line.startswith('ATTENDEE;CN="Ana";') and line.endswith(":mailto:ana@example.org") for line in ls)


def test_cancel_keeps_the_uid_raises_the_sequence_and_drops_the_link():
    ls = lines(calendar(meeting(ics_sequence=1), method="CANCEL", attendee_name="Ana",
                        attendee_email="ana@example.org", link="https://room.example/join?token=abc"))
    assert "METHOD:CANCEL" in ls and "STATUS:CANCELLED" in ls and "SEQUENCE:1" in ls
    assert "UID:room-12345678-1234-5678-1234-567812345678@doctor-live" in ls
    assert not any("token=" in line for line in ls)


def test_text_is_escaped_and_parameters_cannot_break_out():
    ls = lines(calendar(meeting(title="Retorno; ECG, holter\\24h\nsala 2", organizer_name='Dr. "X"; ROLE=CHAIR'),
                        method="REQUEST", attendee_name="A:B", attendee_email="a@example.org", link=None))
    assert "SUMMARY:Retorno\\; ECG\\, holter\\\\24h\\nsala 2" in ls
    assert 'ORGANIZER;CN="Dr. X; ROLE=CHAIR":mailto:admin@clinica.local' in ls
    assert escape_text("a\r\nb") == "a\\nb"


@pytest.mark.parametrize("text", ["x" * 200, "ção" * 60, "é" * 38 + "x"])
def test_long_lines_fold_at_75_octets_without_splitting_characters(text):
    folded = fold("SUMMARY:" + text)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == "SUMMARY:" + text


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        calendar(meeting(), method="PUBLISH", attendee_name="A", attendee_email="a@b.c", link=None)
