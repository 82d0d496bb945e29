"""Recording, opt-in: the entity's `record_meetings` (off by default) and the meeting's `record`
(may only turn it off); a recorded meeting's LiveKit room is created with a room-composite egress
to the recordings bucket and every participant is told (preview, validation, join); the egress
webhooks fill `recordings` with the object's key."""
from __future__ import annotations

import time
import uuid

import pytest

from tests.integration.join_support import make_invitation
from tests.integration.rooms_helpers import room_body, unique_email

PREVIEW = "/api/v1/magic-link/preview"
VALIDATE = "/api/v1/magic-link/validate"
JOIN = "/api/v1/rooms/{}/join"


@pytest.fixture
def recording_entity(conn, clinic):
    """The clinic with recording on for the test, off again afterwards."""
    conn.execute("UPDATE entities SET record_meetings = true WHERE id = %s", (clinic["id"],))
    yield clinic
    conn.execute("UPDATE entities SET record_meetings = false WHERE id = %s", (clinic["id"],))


def join(api, guest, room_id):
    validated = api.post(VALIDATE, {"token": guest.token, "password": guest.password}, ip="198.51.100.77")
    assert validated.status == 200, validated.body
    joined = api.post(JOIN.format(room_id), token=validated.json()["join_token"])
    assert joined.status == 200, joined.body
    return validated.json(), joined.json()


def creates_of(livekit, room_id) -> list[dict]:
    return [c["request"] for c in livekit.calls
            if c["method"] == "CreateRoom" and c["request"]["name"] == f"room_{room_id}"]


# ---- the settings --------------------------------------------------------------------------------

def test_recording_is_off_by_default_and_the_entity_admin_may_turn_it_on(as_user, clinic, conn):
    manager, admin = as_user("manager@conexa.local"), as_user("admin@clinica.local")
    created = manager.post("/api/v1/entities", {"name": f"Clínica {uuid.uuid4().hex[:6]}", "type": "clinic"})
    assert created.status == 201 and created.json()["record_meetings"] is False
    assert admin.get(f"/api/v1/entities/{clinic['id']}").json()["record_meetings"] is False
    try:
        on = admin.put(f"/api/v1/entities/{clinic['id']}", {"record_meetings": True})
        assert on.status == 200 and on.json()["record_meetings"] is True
    finally:
        conn.execute("UPDATE entities SET record_meetings = false WHERE id = %s", (clinic["id"],))
    bad = admin.put(f"/api/v1/entities/{clinic['id']}", {"record_meetings": "maybe"})
    assert bad.status == 422 and bad.json()["error"]["code"] == "validation_error"


def test_a_meeting_records_as_its_entity_says_and_may_only_turn_it_off(as_user, conn, clinic):
    admin = as_user("admin@clinica.local")
    people = [{"name": "Ana", "email": unique_email()}]
    off_entity = admin.post("/api/v1/rooms", room_body(people))
    assert off_entity.status == 201 and off_entity.json()["record"] is False
    refused = admin.post("/api/v1/rooms", room_body(people, record=True))
    assert refused.status == 422
    assert [f["field"] for f in refused.json()["error"]["details"]["fields"]] == ["record"]
    conn.execute("UPDATE entities SET record_meetings = true WHERE id = %s", (clinic["id"],))
    try:
        default = admin.post("/api/v1/rooms", room_body(people))
        off = admin.post("/api/v1/rooms", room_body(people, record=False))
        assert default.json()["record"] is True and off.json()["record"] is False
        assert admin.get(f"/api/v1/rooms/{default.json()['id']}").json()["record"] is True
    finally:
        conn.execute("UPDATE entities SET record_meetings = false WHERE id = %s", (clinic["id"],))
    # The entity turning recording off stops it for meetings already scheduled too.
    assert admin.get(f"/api/v1/rooms/{default.json()['id']}").json()["record"] is False


# ---- joining a recorded meeting --------------------------------------------------------------------

def test_a_recorded_meeting_is_created_with_its_egress_and_everyone_is_told(api, conn, livekit, recording_entity):
    from doctorlive.settings import get_settings

    invitation = make_invitation(conn)
    conn.execute("UPDATE rooms SET record = true WHERE id = %s", (invitation.room_id,))
    preview = api.post(PREVIEW, {"token": invitation.guest.token})
    assert preview.status == 200 and preview.json()["room"]["recorded"] is True
    validated, joined = join(api, invitation.guest, invitation.room_id)
    assert validated["room"]["recorded"] is True and joined["recorded"] is True

    [create] = creates_of(livekit, invitation.room_id)
    [output] = create["egress"]["room"]["file_outputs"]
    s = get_settings()
    assert output["filepath"] == f"recordings/{invitation.entity_id}/{invitation.room_id}/{{time}}.mp4"
    assert output["s3"]["bucket"] == s.recordings_bucket and output["s3"]["region"] == s.recordings_region
    assert output["s3"].get("access_key", "") == s.recordings_access_key_id
    # LiveKit gets the upload secret; the stand-in's record of the call (like any log) does not.
    assert output["s3"].get("secret") in (None, "***")
    [egress] = livekit.egress_of(f"room_{invitation.room_id}")
    assert egress.room_composite.file_outputs[0].filepath == output["filepath"]


@pytest.mark.parametrize("switch", ["entity", "meeting"])
def test_a_meeting_not_recorded_has_no_egress_and_says_so(api, conn, livekit, recording_entity, switch):
    invitation = make_invitation(conn)
    conn.execute("UPDATE rooms SET record = %s WHERE id = %s", (switch == "entity", invitation.room_id))
    if switch == "entity":
        conn.execute("UPDATE entities SET record_meetings = false WHERE id = %s", (invitation.entity_id,))
    assert api.post(PREVIEW, {"token": invitation.guest.token}).json()["room"]["recorded"] is False
    validated, joined = join(api, invitation.guest, invitation.room_id)
    assert validated["room"]["recorded"] is False and joined["recorded"] is False
    [create] = creates_of(livekit, invitation.room_id)
    assert "egress" not in create
    assert livekit.egress_of(f"room_{invitation.room_id}") == []


# ---- the egress API of the stand-in, through the platform's client ----------------------------------

def test_the_stand_in_answers_the_egress_calls(livekit):
    from livekit.protocol.egress import EgressStatus, EncodedFileOutput, RoomCompositeEgressRequest

    from doctorlive.livekit.client import RoomService

    name = f"room_{uuid.uuid4()}"
    RoomService().create_room(name)
    request = RoomCompositeEgressRequest(room_name=name, file_outputs=[EncodedFileOutput(filepath="x/{time}.mp4")])
    started = livekit.start_egress(name, request)
    assert RoomService().list_egress(name, active=True) == [(started.egress_id, "EGRESS_ACTIVE")]
    # No S3 target: the stand-in, like LiveKit, reports the failed upload on the egress.
    assert RoomService().stop_egress(started.egress_id) == EgressStatus.Name(EgressStatus.EGRESS_FAILED)
    assert RoomService().list_egress(name, active=True) == []


# ---- egress_ended fills recordings with the object's key ---------------------------------------

def test_egress_ended_stores_the_object_key_not_the_url(api, as_user, livekit, conn):
    from devstack.livekit_stub import signed_webhook

    room = as_user("admin@clinica.local").post(
        "/api/v1/rooms", room_body([{"name": "Ana", "email": unique_email()}])).json()
    key = f"recordings/{room['entity_id']}/{room['id']}/2026-12-01T100000.mp4"
    ended = int(time.time())
    egress_id = "EG_" + uuid.uuid4().hex[:10]
    event = {"id": "EV_" + uuid.uuid4().hex[:12], "createdAt": str(ended), "event": "egress_ended",
             "egressInfo": {"egressId": egress_id, "roomName": room["livekit_room_name"],
                            "status": "EGRESS_COMPLETE", "startedAt": str((ended - 60) * 10**9),
                            "endedAt": str(ended * 10**9),
                            "fileResults": [{"filename": key, "size": "1234", "duration": str(60 * 10**9),
                                             "location": f"https://rec.s3.amazonaws.com/{key}"}]}}
    body, auth = signed_webhook(event, livekit.api_key, livekit.api_secret)
    reply = api.call("POST", "/webhooks/livekit", body=body,
                     headers={"authorization": auth, "content-type": "application/webhook+json"})
    assert reply.json() == {"status": "applied"}
    rec = conn.execute("SELECT * FROM recordings WHERE livekit_egress_id = %s", (egress_id,)).fetchone()
    assert (rec["s3_key"], rec["file_size_bytes"], rec["duration_seconds"]) == (key, 1234, 60)
    assert rec["metadata"]["location"] == f"https://rec.s3.amazonaws.com/{key}"
