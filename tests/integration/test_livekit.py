"""LiveKit: the RoomService wrapper against the Twirp stand-in, and the signed webhook that moves
rooms through ACTIVE and COMPLETED, records attendance and recordings, once per event."""
from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.rooms_helpers import room_body, unique_email

WEBHOOK = "/webhooks/livekit"


# ---- RoomService wrapper ------------------------------------------------------------------------

def test_room_service_creates_lists_and_deletes_through_twirp(livekit):
    from doctorlive.livekit.client import RoomService, participant_identity, room_name

    rooms = RoomService()
    name = room_name(uuid.uuid4())
    created = rooms.create_room(name, max_participants=7)
    assert created.name == name and created.max_participants == 7 and created.sid.startswith("RM_")
    assert rooms.create_room(name).sid == created.sid  # same name: the existing room
    identity = participant_identity(uuid.uuid4())
    livekit.join(name, identity, "Ana")
    assert [p.identity for p in rooms.list_participants(name)] == [identity]
    assert name in [r.name for r in rooms.list_rooms([name])]
    assert rooms.delete_room(name) is True
    assert rooms.delete_room(name) is False  # gone: not an error for the caller
    assert livekit.methods_called()[-2:] == ["DeleteRoom", "DeleteRoom"]
    last = livekit.calls[-1]["request"]
    assert last == {"room": name}


def test_room_service_errors_are_livekit_errors(livekit):
    from doctorlive.livekit.client import LiveKitError, RoomService

    with pytest.raises(LiveKitError) as bad_secret:
        RoomService(api_secret="not-the-secret-" + "x" * 32).create_room("room_x")
    assert bad_secret.value.code == "unauthenticated"
    with pytest.raises(LiveKitError) as missing:
        RoomService().list_participants(f"room_{uuid.uuid4()}")
    assert missing.value.code == "not_found"
    with pytest.raises(LiveKitError) as unreachable:
        RoomService(url="http://127.0.0.1:9").list_rooms()
    assert unreachable.value.code == "unavailable"
    assert RoomService(url="").configured is False


# ---- webhooks -------------------------------------------------------------------------------------

@pytest.fixture
def webhook(api, livekit):
    """POST a LiveKit event, signed as LiveKit signs it (with the configured key and secret)."""
    from devstack.livekit_stub import signed_webhook

    def _send(event: dict, *, secret: str | None = None, tamper=None):
        event = {"id": "EV_" + uuid.uuid4().hex[:12], "createdAt": str(int(time.time())), **event}
        body, auth = signed_webhook(event, livekit.api_key, secret or livekit.api_secret)
        if tamper:
            body = tamper(body)
        reply = api.call("POST", WEBHOOK, body=body,
                         headers={"authorization": auth, "content-type": "application/webhook+json"})
        return reply, body, auth
    return _send


@pytest.fixture
def room(as_user):
    created = as_user("admin@clinica.local").post(
        "/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}, {"name": "Bia", "email": unique_email()}]))
    assert created.status == 201
    return created.json()


def _room(conn, room_id):
    return conn.execute("SELECT status::text AS status, started_at, ended_at, actual_participants FROM rooms "
                        "WHERE id = %s", (room_id,)).fetchone()


def _attendance(conn, participant_id):
    return conn.execute("SELECT joined_at, left_at, duration_seconds FROM room_participants "
                        "WHERE participant_id = %s", (participant_id,)).fetchone()


def test_unsigned_tampered_or_foreign_webhooks_are_401(webhook, api, room, conn):
    started = {"event": "room_started", "room": {"name": room["livekit_room_name"]}}
    tampered, _, _ = webhook(started, tamper=lambda b: b.replace("room_started", "room_finished"))
    assert tampered.status == 401 and tampered.json()["error"]["code"] == "invalid_signature"
    foreign, _, _ = webhook(started, secret="someone-elses-secret-" + "y" * 32)
    assert foreign.status == 401
    unsigned = api.call("POST", WEBHOOK, body=json.dumps({"event": "room_started", "id": "EV_x"}))
    assert unsigned.status == 401
    assert _room(conn, room["id"])["status"] == "SCHEDULED"
    assert conn.execute("SELECT count(*) AS n FROM room_events WHERE room_id = %s AND source_event_id IS NOT NULL",
                        (room["id"],)).fetchone()["n"] == 0


def test_a_meeting_runs_from_started_to_finished_and_counts_attendance(webhook, api, room, conn):
    name = room["livekit_room_name"]
    ana, bia = (p["id"] for p in room["participants"])
    t0 = int(time.time())

    def at(seconds):
        return {"createdAt": str(t0 + seconds)}

    def person(pid, joined):
        return {"identity": f"participant_{pid}", "name": "x", "joinedAt": str(t0 + joined)}

    assert webhook({"event": "room_started", "room": {"name": name}, **at(0)})[0].json() == {"status": "applied"}
    assert _room(conn, room["id"])["status"] == "ACTIVE"
    webhook({"event": "participant_joined", "room": {"name": name}, "participant": person(ana, 10), **at(10)})
    webhook({"event": "participant_joined", "room": {"name": name}, "participant": person(bia, 20), **at(20)})
    webhook({"event": "participant_joined", "room": {"name": name},
             "participant": {"identity": "agent-AJ_1", "joinedAt": str(t0 + 5)}, **at(5)})
    assert _room(conn, room["id"])["actual_participants"] == 2
    webhook({"event": "participant_left", "room": {"name": name}, "participant": person(ana, 10), **at(105)})
    first = _attendance(conn, ana)
    assert first["duration_seconds"] == 95
    assert first["left_at"] == datetime.fromtimestamp(t0 + 105, UTC)
    # Ana comes back for a minute: her time adds up, her first join stays.
    webhook({"event": "participant_joined", "room": {"name": name}, "participant": person(ana, 200), **at(200)})
    webhook({"event": "participant_left", "room": {"name": name}, "participant": person(ana, 200), **at(260)})
    again = _attendance(conn, ana)
    assert again["duration_seconds"] == 155 and again["joined_at"] == datetime.fromtimestamp(t0 + 10, UTC)
    webhook({"event": "participant_left", "room": {"name": name}, "participant": person(bia, 20), **at(300)})
    assert webhook({"event": "room_finished", "room": {"name": name}, **at(310)})[0].json() == {"status": "applied"}
    final = _room(conn, room["id"])
    assert final["status"] == "COMPLETED"
    assert (final["started_at"], final["ended_at"]) == (datetime.fromtimestamp(t0, UTC), datetime.fromtimestamp(t0 + 310, UTC))
    types = [r["event_type"] for r in conn.execute(
        "SELECT event_type FROM room_events WHERE room_id = %s ORDER BY id", (room["id"],))]
    assert types == ["room_started", "participant_joined", "participant_joined", "participant_joined",
                     "participant_left", "participant_joined", "participant_left", "participant_left",
                     "room_finished"]


def test_a_redelivered_webhook_is_applied_once(webhook, api, room, conn):
    name = room["livekit_room_name"]
    pid = room["participants"][0]["id"]
    t0 = int(time.time())
    webhook({"event": "participant_joined", "room": {"name": name}, "createdAt": str(t0),
             "participant": {"identity": f"participant_{pid}", "joinedAt": str(t0)}})
    left, body, auth = webhook({"event": "participant_left", "room": {"name": name}, "createdAt": str(t0 + 60),
                                "participant": {"identity": f"participant_{pid}", "joinedAt": str(t0)}})
    assert left.json() == {"status": "applied"}
    again = api.call("POST", WEBHOOK, body=body, headers={"authorization": auth})
    assert again.status == 200 and again.json() == {"status": "duplicate"}
    assert _attendance(conn, pid)["duration_seconds"] == 60  # not 120
    assert conn.execute("SELECT count(*) AS n FROM room_events WHERE room_id = %s AND event_type = 'participant_left'",
                        (room["id"],)).fetchone()["n"] == 1


def test_late_events_do_not_reopen_a_finished_or_cancelled_meeting(webhook, as_user, room, conn):
    name = room["livekit_room_name"]
    t0 = int(time.time())
    webhook({"event": "room_started", "room": {"name": name}, "createdAt": str(t0)})
    webhook({"event": "room_finished", "room": {"name": name}, "createdAt": str(t0 + 600)})
    webhook({"event": "room_started", "room": {"name": name}, "createdAt": str(t0 + 1)})  # late delivery
    assert _room(conn, room["id"])["status"] == "COMPLETED"
    webhook({"event": "room_started", "room": {"name": name}, "createdAt": str(t0 + 900)})  # they came back
    assert _room(conn, room["id"])["status"] == "ACTIVE"
    other = as_user("admin@clinica.local").post("/api/v1/rooms", room_body()).json()
    assert as_user("admin@clinica.local").delete(f"/api/v1/rooms/{other['id']}").status == 204
    webhook({"event": "room_started", "room": {"name": other["livekit_room_name"]}})
    assert _room(conn, other["id"])["status"] == "CANCELLED"


def test_egress_ended_records_the_recording_with_the_entitys_retention(webhook, room, conn):
    retention = conn.execute("SELECT e.recording_retention_days AS d FROM rooms r JOIN entities e ON e.id = r.entity_id "
                             "WHERE r.id = %s", (room["id"],)).fetchone()["d"]
    ended = int(time.time())
    egress_id = "EG_" + uuid.uuid4().hex[:10]
    reply, _, _ = webhook({"event": "egress_ended", "egressInfo": {
        "egressId": egress_id, "roomName": room["livekit_room_name"], "status": "EGRESS_COMPLETE",
        "startedAt": str((ended - 1800) * 10**9), "endedAt": str(ended * 10**9),
        "fileResults": [{"filename": f"recordings/{room['id']}.mp4", "location": f"s3://rec/{room['id']}.mp4",
                         "duration": str(1800 * 10**9), "size": "73400320"}]}})
    assert reply.json() == {"status": "applied"}
    rec = conn.execute("SELECT * FROM recordings WHERE livekit_egress_id = %s", (egress_id,)).fetchone()
    # The object's key in the bucket (what a download signs and the purge deletes), not its URL.
    assert rec["room_id"] == uuid.UUID(room["id"]) and rec["s3_key"] == f"recordings/{room['id']}.mp4"
    assert (rec["duration_seconds"], rec["file_size_bytes"]) == (1800, 73400320)
    assert rec["purge_at"] == datetime.fromtimestamp(ended, UTC) + timedelta(days=retention)


def test_unknown_events_and_foreign_rooms_are_acknowledged_and_ignored(webhook, conn, room):
    track, _, _ = webhook({"event": "track_published", "room": {"name": room["livekit_room_name"]}})
    assert track.status == 200 and track.json() == {"status": "ignored"}
    foreign, _, _ = webhook({"event": "room_started", "room": {"name": "someone-elses-room"}})
    assert foreign.json() == {"status": "ignored"}
    unknown_room, _, _ = webhook({"event": "room_started", "room": {"name": f"room_{uuid.uuid4()}"}})
    assert unknown_room.json() == {"status": "ignored"}
    assert _room(conn, room["id"])["status"] == "SCHEDULED"
