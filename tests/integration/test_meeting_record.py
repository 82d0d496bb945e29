"""After the meeting: its transcript, summary, recordings and AI usage through the API, for each
role (MANAGER all; ENTITY_ADMIN its entity; a PROFESSIONAL the meetings it organised; anyone
else a 404), reads of the transcript and recording downloads audited in room_events, usage
totals that add up to the ledger's rows at the price table's cost; and the organiser's notes
e-mail through the real fan-out (SNS → SQS → notifier → SMTP sink), once, in the entity's
language, with the link and without the transcript."""
from __future__ import annotations

import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tests.integration.fixtures import PASSWORD, make_tenants
from tests.integration.rooms_helpers import inbox, unique_email

SECRET_WORDS = "pressão arterial dezoito por doze"  # said in the meeting; never in logs or e-mail


@pytest.fixture
def tenants(conn):
    return make_tenants(conn)


def user_id(conn, email: str) -> uuid.UUID:
    return conn.execute("SELECT id FROM users WHERE email = %s", (email,)).fetchone()["id"]


def make_meeting(conn, entity_id, organizer_email: str, title: str = "Record room") -> tuple[uuid.UUID, uuid.UUID]:
    """A completed meeting organised by `organizer_email`, with one participant who spoke."""
    start = datetime.now(UTC) - timedelta(hours=2)
    room = conn.execute(
        """INSERT INTO rooms (entity_id, organizer_id, title, scheduled_start, scheduled_end, max_participants,
                              status, started_at, ended_at)
           VALUES (%s, %s, %s, %s, %s, 10, 'COMPLETED', %s, %s) RETURNING id""",
        (entity_id, user_id(conn, organizer_email), title, start, start + timedelta(hours=1), start,
         start + timedelta(hours=1))).fetchone()["id"]
    conn.execute("UPDATE rooms SET livekit_room_name = %s WHERE id = %s", (f"room_{room}", room))
    person = conn.execute("INSERT INTO participants (name, email) VALUES ('Ana Souza', 'ana@record.test') "
                          "RETURNING id").fetchone()["id"]
    conn.execute("INSERT INTO room_participants (room_id, participant_id) VALUES (%s, %s)", (room, person))
    return room, person


def add_segments(conn, room, person, texts: list[str], start: datetime | None = None) -> None:
    """Stored in reverse order: the API orders them by time."""
    start = start or datetime.now(UTC) - timedelta(hours=2)
    for i in reversed(range(len(texts))):
        conn.execute(
            """INSERT INTO transcript_segments (room_id, participant_id, speaker_name, segment_id, started_at,
                                                ended_at, text, language)
               VALUES (%s, %s, %s, %s, %s, %s, %s, 'pt')""",
            (room, person if i % 2 == 0 else None, "Ana Souza" if i % 2 == 0 else "Dr. Lima", f"seg-{i}",
             start + timedelta(seconds=10 * i), start + timedelta(seconds=10 * i + 8), texts[i]))


def add_summary(conn, room, text="Revisão dos exames.", items=("Repetir o exame em 30 dias",)) -> None:
    from doctorlive.assistant.models import Summary
    from doctorlive.assistant.repo import AssistantRepo

    AssistantRepo(conn).save_summary(room, Summary(summary=text, action_items=list(items),
                                                   mode="generative", model="openai:gpt-4o-mini"))


def add_usage(conn, room, started_at: datetime, *, prompt=0, completion=0, stt_seconds=0.0,
              embedding_tokens=0) -> Decimal:
    """One agent session written as the worker writes it (start, then costed finish); returns its cost."""
    from doctorlive.assistant import pricing
    from doctorlive.assistant.models import UsageTotals
    from doctorlive.assistant.repo import AssistantRepo
    from doctorlive.settings import get_settings

    repo, job = AssistantRepo(conn), f"job-{uuid.uuid4().hex}"
    totals = UsageTotals(llm_model="openai:gpt-4o-mini", stt_model="openai:gpt-4o-mini-transcribe",
                         embedding_model="openai:text-embedding-3-small", prompt_tokens=prompt,
                         completion_tokens=completion, stt_seconds=stt_seconds, embedding_tokens=embedding_tokens)
    repo.start_usage(room, job, {"llm": totals.llm_model, "stt": totals.stt_model,
                                 "embedding": totals.embedding_model})
    cost, breakdown = pricing.cost(totals, get_settings().model_prices)
    repo.finish_usage(job, totals, cost, breakdown)
    conn.execute("UPDATE agent_usage SET started_at = %s, ended_at = %s WHERE job_id = %s",
                 (started_at, started_at + timedelta(minutes=30), job))
    return cost


def events(conn, room, event_type: str) -> list[dict]:
    return [r["event_data"] for r in conn.execute(
        "SELECT event_data FROM room_events WHERE room_id = %s AND event_type = %s ORDER BY id",
        (room, event_type)).fetchall()]


# ---- who may read what ----------------------------------------------------------------------

RECORD_PATHS = ("transcript", "summary", "recordings", "agent-usage")


@pytest.mark.parametrize("part", RECORD_PATHS)
def test_each_part_of_the_record_is_readable_by_exactly_who_may_see_the_meeting(part, tenants, conn, as_user, aws):
    own, other = tenants["own"], tenants["other"]
    organised = make_meeting(conn, own.entity_id, own.professional_email)[0]
    add_summary(conn, organised)
    expected = {  # caller: status on the room its entity's professional organised
        "manager@conexa.local": 200,
        own.admin_email: 200,             # its entity's meeting
        other.admin_email: 404,           # another tenant's: not found, never forbidden
        own.professional_email: 200,      # it organised it
        "spare@own.matrix.test": 404,     # same entity, not its meeting
        other.professional_email: 404,
    }
    got = {}
    for email in expected:
        reply = as_user(email).get(f"/api/v1/rooms/{organised}/{part}")
        got[email] = reply.status
        if reply.status >= 400:
            assert set(reply.json()) == {"error"} and reply.json()["error"]["code"] == "not_found"
    assert got == expected
    # Participants have no account: without a user's bearer token nothing is readable.
    from tests.conftest import Api

    assert Api().get(f"/api/v1/rooms/{organised}/{part}").status == 401


def test_the_summary_is_a_404_with_the_stable_shape_until_the_assistant_wrote_it(tenants, conn, as_user):
    own = tenants["own"]
    room = make_meeting(conn, own.entity_id, own.admin_email)[0]
    admin = as_user(own.admin_email)
    reply = admin.get(f"/api/v1/rooms/{room}/summary")
    assert reply.status == 404
    assert reply.json()["error"]["code"] == "summary_not_found" and set(reply.json()["error"]) >= {"message"}
    add_summary(conn, room, "Revisão dos exames.", ["Repetir o exame", "Marcar retorno"])
    body = admin.get(f"/api/v1/rooms/{room}/summary").json()
    assert body["summary"] == "Revisão dos exames." and body["action_items"] == ["Repetir o exame", "Marcar retorno"]
    assert body["mode"] == "generative" and body["model"] == "openai:gpt-4o-mini" and body["created_at"]


# ---- transcript -------------------------------------------------------------------------------

def test_the_transcript_is_ordered_attributed_paginated_searchable_and_each_read_is_audited(
        tenants, conn, as_user, capfd):
    own = tenants["own"]
    room, person = make_meeting(conn, own.entity_id, own.professional_email)
    texts = ["Bom dia, doutor.", f"A {SECRET_WORDS}.", "Vamos repetir o exame de 100% dos casos_a."]
    add_segments(conn, room, person, texts)
    pro = as_user(own.professional_email)

    page1 = pro.get(f"/api/v1/rooms/{room}/transcript?limit=2").json()
    page2 = pro.get(f"/api/v1/rooms/{room}/transcript?limit=2&page=2").json()
    assert page1["total"] == 3 and (page1["page"], page1["limit"]) == (1, 2)
    segments = page1["items"] + page2["items"]
    assert [s["text"] for s in segments] == texts
    assert [s["speaker_name"] for s in segments] == ["Ana Souza", "Dr. Lima", "Ana Souza"]
    assert segments[0]["participant_id"] == str(person) and segments[1]["participant_id"] is None
    assert all(s["started_at"] < s["ended_at"] for s in segments)

    found = pro.get(f"/api/v1/rooms/{room}/transcript?q=PRESSÃO").json()
    assert [s["text"] for s in found["items"]] == [texts[1]] and found["total"] == 1
    # The filter is text, not a pattern: % and _ match themselves.
    assert [s["text"] for s in pro.get(f"/api/v1/rooms/{room}/transcript?q=100%25").json()["items"]] == [texts[2]]
    assert pro.get(f"/api/v1/rooms/{room}/transcript?q=1_0").json()["total"] == 0

    reads = events(conn, room, "transcript_read")
    assert len(reads) == 5  # two pages, three searches
    assert {r["by"] for r in reads} == {str(user_id(conn, own.professional_email))}
    assert all(r["role"] == "PROFESSIONAL" for r in reads)
    assert not any(SECRET_WORDS in str(r) for r in reads)
    out, err = capfd.readouterr()
    assert SECRET_WORDS not in out + err

    # Someone who may not see the meeting reads nothing and leaves no read behind.
    assert as_user(tenants["other"].admin_email).get(f"/api/v1/rooms/{room}/transcript").status == 404
    assert len(events(conn, room, "transcript_read")) == 5


def test_transcript_query_parameters_are_validated(tenants, conn, as_user):
    own = tenants["own"]
    room = make_meeting(conn, own.entity_id, own.admin_email)[0]
    admin = as_user(own.admin_email)
    for query in ("limit=0", "limit=101", "page=0", "q=" + "x" * 201):
        reply = admin.get(f"/api/v1/rooms/{room}/transcript?{query}")
        assert reply.status == 422, query
        assert reply.json()["error"]["code"] == "validation_error"
    assert admin.get("/api/v1/rooms/not-a-uuid/transcript").status == 422


# ---- recordings -------------------------------------------------------------------------------

def test_a_recording_downloads_through_its_presigned_url_for_the_organiser_only_and_is_audited(
        tenants, conn, as_user, aws):
    from doctorlive.aws import client
    from doctorlive.rooms.repo import RoomRepo
    from doctorlive.settings import get_settings

    own, other = tenants["own"], tenants["other"]
    room = make_meeting(conn, own.entity_id, own.professional_email)[0]
    key = f"recordings/{room}/{uuid.uuid4().hex}.mp4"
    content = b"\x00\x00\x00\x18ftypmp42" + uuid.uuid4().bytes * 64
    bucket = get_settings().recordings_bucket
    assert bucket == aws.resources.env["RECORDINGS_BUCKET"]
    client("s3").put_object(Bucket=bucket, Key=key, Body=content)
    began = datetime.now(UTC) - timedelta(hours=1, minutes=30)
    RoomRepo(conn).recording_ended(room, f"EG_{uuid.uuid4().hex[:12]}", key, 1800, len(content), began,
                                   began + timedelta(minutes=30), {"status": "EGRESS_COMPLETE"})
    RoomRepo(conn).recording_ended(room, f"EG_{uuid.uuid4().hex[:12]}", None, None, None, None, None,
                                   {"status": "EGRESS_FAILED"})

    reply = as_user(own.professional_email).get(f"/api/v1/rooms/{room}/recordings")
    assert reply.status == 200, reply.body
    available, failed = reply.json()
    assert available["status"] == "available" and failed["status"] == "failed"
    assert failed["download_url"] is None
    assert available["duration_seconds"] == 1800 and available["file_size_bytes"] == len(content)
    assert available["purge_at"] and available["started_at"] and available["ended_at"]
    assert "s3_key" not in available
    assert "X-Amz-Expires=300" in available["download_url"]
    expires = datetime.fromisoformat(available["download_expires_at"])
    assert timedelta(minutes=4) < expires - datetime.now(UTC) <= timedelta(minutes=5)
    with urllib.request.urlopen(available["download_url"], timeout=10) as got:
        assert got.read() == content
        # "Download" saves the file: S3 answers the presigned GET as an attachment with a safe name.
        assert got.headers["Content-Disposition"] == \
            f'attachment; filename="recording-{began:%Y-%m-%d}-{available["id"][:8]}.mp4"'

    [download] = events(conn, room, "recording_download")
    assert download["recording_id"] == available["id"]
    assert download["by"] == str(user_id(conn, own.professional_email)) and download["role"] == "PROFESSIONAL"

    denied = as_user(other.admin_email).get(f"/api/v1/rooms/{room}/recordings")
    assert denied.status == 404 and "download_url" not in str(denied.json())
    assert len(events(conn, room, "recording_download")) == 1


def test_recording_locations_as_livekit_reports_them_name_the_object_key(monkeypatch):
    from doctorlive import settings
    from doctorlive.records.service import object_key

    monkeypatch.setenv("RECORDINGS_BUCKET", "rec-bucket")
    settings.get_settings.cache_clear()
    try:
        assert object_key("rooms/a/b.mp4") == "rooms/a/b.mp4"
        assert object_key("s3://rec-bucket/rooms/a/b.mp4") == "rooms/a/b.mp4"
        assert object_key("https://rec-bucket.s3.us-east-1.amazonaws.com/rooms/a/b%20c.mp4") == "rooms/a/b c.mp4"
        assert object_key("https://s3.us-east-1.amazonaws.com/rec-bucket/rooms/a/b.mp4") == "rooms/a/b.mp4"
    finally:
        settings.get_settings.cache_clear()


# ---- usage and cost ---------------------------------------------------------------------------

def test_a_meetings_usage_lists_its_sessions_with_the_price_tables_cost_and_their_totals(tenants, conn, as_user):
    own = tenants["own"]
    room = make_meeting(conn, own.entity_id, own.professional_email)[0]
    at = datetime(2030, 5, 10, 14, tzinfo=UTC)
    # gpt-4o-mini 0.15 / 0.60 per 1M, gpt-4o-mini-transcribe 0.003 per minute, embeddings 0.02 per 1M
    first = add_usage(conn, room, at, prompt=1_000_000, completion=500_000, stt_seconds=600, embedding_tokens=1_000_000)
    second = add_usage(conn, room, at + timedelta(hours=1), prompt=2_000, completion=1_000, stt_seconds=61.5)
    assert first == Decimal("0.500000")
    assert second == Decimal("0.003975")  # 0.0003 + 0.0006 + 61.5/60*0.003

    body = as_user(own.professional_email).get(f"/api/v1/rooms/{room}/agent-usage").json()
    assert [i["cost_usd"] for i in body["items"]] == ["0.500000", "0.003975"]
    a = body["items"][0]
    assert (a["prompt_tokens"], a["completion_tokens"], a["total_tokens"]) == (1_000_000, 500_000, 1_500_000)
    assert Decimal(a["stt_seconds"]) == 600 and a["embedding_tokens"] == 1_000_000
    assert (a["llm_model"], a["stt_model"], a["embedding_model"]) == (
        "openai:gpt-4o-mini", "openai:gpt-4o-mini-transcribe", "openai:text-embedding-3-small")
    assert a["cost_breakdown"]["llm_input"]["usd"] == "0.150000000"
    assert a["cost_breakdown"]["llm_output"]["usd"] == "0.300000000"
    assert a["cost_breakdown"]["stt"]["usd"] == "0.030000000"
    assert a["cost_breakdown"]["embeddings"]["usd"] == "0.020000000"
    assert a["duration_seconds"] == 1800
    t = body["totals"]
    assert t["sessions"] == 2 and t["cost_usd"] == "0.503975"
    assert t["prompt_tokens"] == 1_002_000 and t["completion_tokens"] == 501_000 and t["total_tokens"] == 1_503_000
    assert Decimal(t["stt_seconds"]) == Decimal("661.5") and t["embedding_tokens"] == 1_000_000
    assert t["duration_seconds"] == 3600


def _all_pages(caller, query: str) -> tuple[list[dict], dict]:
    items, page = [], 1
    while True:
        body = caller.get(f"/api/v1/agent-usage?{query}&limit=1&page={page}").json()
        items += body["items"]
        if page * body["limit"] >= body["total"]:
            return items, body
        page += 1


def _sum(rows: list[dict], key: str):
    return sum((Decimal(str(r[key])) for r in rows), Decimal(0))


def test_the_usage_report_totals_per_entity_and_month_equal_the_sum_of_its_rows(tenants, conn, as_user):
    own, other = tenants["own"], tenants["other"]
    jan, feb = datetime(2031, 1, 20, 9, tzinfo=UTC), datetime(2031, 2, 3, 9, tzinfo=UTC)
    pro_room = make_meeting(conn, own.entity_id, own.professional_email, "Pro meeting")[0]
    admin_room = make_meeting(conn, own.entity_id, own.admin_email, "Admin meeting")[0]
    other_room = make_meeting(conn, other.entity_id, other.admin_email, "Other meeting")[0]
    costs = {
        pro_room: [add_usage(conn, pro_room, jan, prompt=1_000_000, completion=500_000),   # 0.45
                   add_usage(conn, pro_room, feb, stt_seconds=600)],                       # 0.03
        admin_room: [add_usage(conn, admin_room, feb, embedding_tokens=1_000_000)],        # 0.02
        other_room: [add_usage(conn, other_room, jan, prompt=2_000_000)],                  # 0.30
    }
    add_usage(conn, other_room, datetime(2031, 3, 1, tzinfo=UTC), prompt=10)  # outside the range
    query = "from_date=2031-01-01&to_date=2031-02-28"

    items, body = _all_pages(as_user("manager@conexa.local"), query)
    assert {i["room_id"] for i in items} == {str(r) for r in costs} and body["total"] == 3
    by_room = {i["room_id"]: i for i in items}
    for room, cost in costs.items():
        assert Decimal(by_room[str(room)]["cost_usd"]) == sum(cost)
        assert by_room[str(room)]["sessions"] == len(cost)
    assert body["totals"]["cost_usd"] == "0.800000" and body["totals"]["sessions"] == 4
    for key in ("cost_usd", "prompt_tokens", "completion_tokens", "total_tokens", "stt_seconds",
                "embedding_tokens", "sessions", "duration_seconds"):
        total = Decimal(str(body["totals"][key]))
        assert _sum(items, key) == _sum(body["by_entity"], key) == _sum(body["by_month"], key) == total, key
    assert {e["entity_id"]: e["cost_usd"] for e in body["by_entity"]} == {
        str(own.entity_id): "0.500000", str(other.entity_id): "0.300000"}
    assert {m["month"]: m["cost_usd"] for m in body["by_month"]} == {"2031-01": "0.750000", "2031-02": "0.050000"}

    # The entity's admin: its entity only; naming another entity is a 404.
    admin = as_user(own.admin_email)
    items, body = _all_pages(admin, query)
    assert {i["room_id"] for i in items} == {str(pro_room), str(admin_room)}
    assert body["totals"]["cost_usd"] == "0.500000"
    assert [e["entity_id"] for e in body["by_entity"]] == [str(own.entity_id)]
    assert admin.get(f"/api/v1/agent-usage?{query}&entity_id={other.entity_id}").status == 404
    # MANAGER filtering by entity
    body = as_user("manager@conexa.local").get(f"/api/v1/agent-usage?{query}&entity_id={other.entity_id}").json()
    assert [i["room_id"] for i in body["items"]] == [str(other_room)] and body["totals"]["cost_usd"] == "0.300000"

    # A professional: the meetings it organised.
    items, body = _all_pages(as_user(own.professional_email), query)
    assert [i["room_id"] for i in items] == [str(pro_room)]
    assert body["totals"]["cost_usd"] == "0.480000"
    assert {m["month"]: m["cost_usd"] for m in body["by_month"]} == {"2031-01": "0.450000", "2031-02": "0.030000"}

    # One day: the range's ends are whole UTC days, both included.
    body = as_user("manager@conexa.local").get("/api/v1/agent-usage?from_date=2031-02-03&to_date=2031-02-03").json()
    assert body["totals"]["cost_usd"] == "0.050000"


@pytest.mark.parametrize("query, field", [
    ("from_date=2031-13-01", "query.from_date"),
    ("to_date=yesterday", "query.to_date"),
    ("from_date=2031-02-01&to_date=2031-01-31", "query.to_date"),
    ("entity_id=nope", "query.entity_id"),
    ("limit=1000", "query.limit"),
])
def test_bad_usage_report_parameters_are_a_422_naming_the_field(query, field, tenants, as_user):
    reply = as_user("manager@conexa.local").get(f"/api/v1/agent-usage?{query}")
    assert reply.status == 422, reply.body
    error = reply.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [f["field"] for f in error["details"]["fields"]]


# ---- the organiser's notes ----------------------------------------------------------------------

class RecordingPublisher:
    """The real SNS publisher, keeping what it published."""

    def __init__(self):
        from doctorlive.notifications.outbox import SnsPublisher

        self.inner, self.published = SnsPublisher(), []

    def publish(self, messages):
        self.published += [m.model_dump_json() for m in messages]
        return self.inner.publish(messages)


@pytest.mark.parametrize("entity, subject, heading, button", [
    ("Clínica Cardio Saúde", "Notas da reunião: Retorno cardiológico", "Próximos passos", "Abrir a reunião"),
    ("Design Studio XYZ", "Meeting notes: Retorno cardiológico", "Action items", "Open the meeting"),
])
def test_the_organiser_gets_the_notes_once_in_the_entitys_language_with_the_link_and_no_transcript(
        entity, subject, heading, button, conn, aws, sinks):
    from doctorlive.auth.passwords import hash_password
    from doctorlive.records.notes import send_notes
    from doctorlive.settings import get_settings

    entity_id = conn.execute("SELECT id FROM entities WHERE name = %s", (entity,)).fetchone()["id"]
    email = unique_email("organiser")
    conn.execute("INSERT INTO users (email, name, role, entity_id, password_hash) VALUES (%s, 'Dra. Organiser', "
                 "'PROFESSIONAL', %s, %s)", (email, entity_id, hash_password(PASSWORD)))
    room, person = make_meeting(conn, entity_id, email, "Retorno cardiológico")
    add_segments(conn, room, person, [f"Hoje a {SECRET_WORDS}.", "Certo."])
    add_summary(conn, room, "Reviewed the exams <b>calmly</b>.", ["Repeat the exam in 30 days", "Book a follow-up"])

    publisher = RecordingPublisher()
    first = send_notes(room, publisher)
    # The agent writes the summary again (a retried close, a second session): nothing more is sent.
    add_summary(conn, room, "Reviewed the exams again.", ["Something else"])
    again = send_notes(room, publisher)
    assert first is not None and again is None
    assert len(publisher.published) == 1
    assert "Reviewed the exams" not in publisher.published[0]  # the notes travel sealed

    aws.pump.run_until("notify-email", lambda: inbox(sinks, email))
    [mail] = inbox(sinks, email)
    assert mail["subject"].startswith(subject)
    link = f"{get_settings().admin_site_url.rstrip('/')}/meetings/{room}"
    for body in (mail["text"], mail["html"]):
        assert link in body and heading in body
        assert "Repeat the exam in 30 days" in body and "Book a follow-up" in body
        assert SECRET_WORDS not in body and "Certo." not in body
        assert "Something else" not in body
    assert "Reviewed the exams <b>calmly</b>." in mail["text"]
    assert "Reviewed the exams &lt;b&gt;calmly&lt;/b&gt;." in mail["html"]  # escaped, not markup
    assert button in mail["html"] and not mail["attachments"]
    rows = conn.execute("SELECT status::text AS status, kind, user_id FROM notifications WHERE recipient = %s",
                        (email,)).fetchall()
    assert [(r["kind"], r["status"], r["user_id"]) for r in rows] == [("meeting_notes", "sent", user_id(conn, email))]


def test_no_notes_e_mail_without_a_summary_or_to_an_inactive_organiser(tenants, conn, aws):
    from doctorlive.records.notes import send_notes

    own = tenants["own"]
    room = make_meeting(conn, own.entity_id, "spare@own.matrix.test")[0]
    assert send_notes(room) is None
    add_summary(conn, room)
    conn.execute("UPDATE users SET active = false WHERE email = 'spare@own.matrix.test'")
    try:
        assert send_notes(room) is None
    finally:
        conn.execute("UPDATE users SET active = true WHERE email = 'spare@own.matrix.test'")
    assert conn.execute("SELECT notes_notification_id FROM meeting_summaries WHERE room_id = %s",
                        (room,)).fetchone()["notes_notification_id"] is None
