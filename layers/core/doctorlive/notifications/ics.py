"""iCalendar (RFC 5545 / iTIP RFC 5546) invitations: METHOD:REQUEST when a meeting is scheduled,
METHOD:CANCEL with the same UID and a higher SEQUENCE when it is cancelled, so calendar clients
replace the event they already have. Times are written in UTC (no VTIMEZONE needed)."""
from __future__ import annotations

from datetime import UTC, datetime

from doctorlive.notifications.models import Meeting

PRODID = "-//doctor-live//meetings//EN"


def escape_text(value: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _param(value: str) -> str:
    """A parameter value (e.g. CN): quoted, without the characters a quoted value cannot hold."""
    cleaned = "".join(c for c in value if c not in '"\r\n' and (c == "\t" or ord(c) >= 0x20))
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF + space, never splitting
    a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(meeting: Meeting, *, method: str, attendee_name: str, attendee_email: str,
             link: str | None, description: str | None = None, now: datetime | None = None) -> str:
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError("method must be REQUEST or CANCEL")
    cancelled = method == "CANCEL"
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{meeting.ics_uid}",
        f"SEQUENCE:{meeting.ics_sequence}",
        f"DTSTAMP:{_utc(now or datetime.now(UTC))}",
        f"DTSTART:{_utc(meeting.start)}",
        f"DTEND:{_utc(meeting.end)}",
        f"SUMMARY:{escape_text(meeting.title)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if link and not cancelled:
        lines += [f"LOCATION:{escape_text(link)}", f"URL:{link}"]
    lines += [
        f"ORGANIZER;CN={_param(meeting.organizer_name)}:mailto:{meeting.organizer_email}",
        (f"ATTENDEE;CN={_param(attendee_name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
         f"RSVP=FALSE:mailto:{attendee_email}"),
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
