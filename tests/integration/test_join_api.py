"""Joining a meeting as a participant does it: the public preview of an invitation, the magic link
+ password check with its brute-force limits, the join token, and admission into the LiveKit room
(capacity under concurrency, LiveKit credentials)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from tests.integration.join_support import make_invitation, wrong_password
from tests.integration.rooms_helpers import patched_env

PREVIEW = "/api/v1/magic-link/preview"
VALIDATE = "/api/v1/magic-link/validate"
JOIN = "/api/v1/rooms/{}/join"


@pytest.fixture
def invitation(conn):
    return make_invitation(conn)


def validate(api, guest, password=None, ip="198.51.100.20"):
    return api.post(VALIDATE, {"token": guest.token, "password": password or guest.password}, ip=ip)


def join_token(api, guest) -> str:
    reply = validate(api, guest)
    assert reply.status == 200, reply.body
    return reply.json()["join_token"]


def preview(api, token):
    return api.post(PREVIEW, {"token": token})


def error(reply) -> tuple[int, str]:
    return reply.status, reply.json()["error"]["code"]


def link_state(conn, guest) -> dict:
    return conn.execute("SELECT failed_attempts, locked_until, joined_at FROM room_participants WHERE id = %s",
                        (guest.room_participant_id,)).fetchone()


# ---- preview --------------------------------------------------------------------------------------

def test_preview_shows_what_the_invitation_is_for_and_nothing_sensitive(api, invitation):
    reply = preview(api, invitation.guest.token)
    assert reply.status == 200, reply.body
    body = reply.json()
    assert body["participant"] == {"name": invitation.guest.name}
    room = body["room"]
    assert set(room) == {"id", "title", "description", "scheduled_start", "scheduled_end", "status",
                         "organizer_name", "entity_name", "recorded"}
    assert room["title"] == invitation.title and room["status"] == "SCHEDULED"
    assert room["entity_name"] == "Clínica Cardio Saúde" and room["organizer_name"]
    text = reply.body.decode()
    for secret in ("secret instructions", "@example.org", "+55", "$2b$", invitation.guest.token, "password"):
        assert secret not in text


def test_the_token_is_posted_never_put_in_the_path(api, invitation):
    """Paths reach access logs; the old GET /api/v1/magic-link/{token} is gone."""
    from devstack.apigw import match

    assert match("GET", f"/api/v1/magic-link/{invitation.guest.token}")[0] is None
    for bad in ({}, {"token": ""}, {"token": "x" * 600}, {"token": 12345}):
        reply = api.post(PREVIEW, bad)
        assert reply.status == 422 and set(reply.json()["error"]) == {"code", "message", "details"}


def test_preview_of_unknown_expired_and_closed_meetings(api, conn):
    assert error(preview(api, "no-such-invitation-token")) == (404, "not_found")
    expired = make_invitation(conn, link_valid_for="-1 minute")
    assert error(preview(api, expired.guest.token)) == (410, "link_expired")
    # Closed meetings are shown with their status: the site explains them on their own pages.
    for status in ("CANCELLED", "COMPLETED"):
        closed = make_invitation(conn, status=status, starts_in="-3 hours", link_valid_for="-1 minute")
        reply = preview(api, closed.guest.token)
        assert reply.status == 200 and reply.json()["room"]["status"] == status


# ---- validation -----------------------------------------------------------------------------------

def test_the_right_password_gives_a_short_lived_join_token_for_that_room(api, invitation):
    from doctorlive.auth import tokens

    reply = validate(api, invitation.guest)
    assert reply.status == 200, reply.body
    body = reply.json()
    assert body["room"]["id"] == str(invitation.room_id) and body["room"]["title"] == invitation.title
    assert body["participant"] == {"id": str(invitation.guest.participant_id), "name": invitation.guest.name}
    assert body["expires_in"] == 600
    claims = jwt.decode(body["join_token"], tokens.keys().public_key, algorithms=["RS256"],
                        audience="doctor-live/room-join")
    assert claims["type"] == "join" and claims["sub"] == str(invitation.guest.participant_id)
    assert claims["room_id"] == str(invitation.room_id) and claims["exp"] - claims["iat"] == 600


def test_unknown_link_and_wrong_password_get_the_same_answer(api, invitation):
    wrong = validate(api, invitation.guest, wrong_password(invitation.guest.password))
    unknown = api.post(VALIDATE, {"token": "x" * 43, "password": "12345678"}, ip="198.51.100.20")
    assert wrong.status == unknown.status == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"


def test_five_wrong_passwords_lock_the_link_for_fifteen_minutes(api, conn, invitation):
    guest = invitation.guest
    bad = wrong_password(guest.password)
    assert [validate(api, guest, bad).status for _ in range(5)] == [401] * 5
    locked = validate(api, guest)  # even the right password waits out the lock
    assert error(locked) == (429, "too_many_attempts")
    retry_after = int(locked.headers["retry-after"])
    assert 14 * 60 < retry_after <= 15 * 60
    assert locked.json()["error"]["details"]["retry_after"] == retry_after
    assert "minutes" in locked.json()["error"]["message"]
    state = link_state(conn, guest)
    assert state["failed_attempts"] == 5
    assert timedelta(minutes=14) < state["locked_until"] - datetime.now(UTC) <= timedelta(minutes=15)
    # Other invitations are not affected by this one's lock.
    other = make_invitation(conn)
    assert validate(api, other.guest).status == 200


def test_after_the_lock_expires_the_right_password_works_and_resets_the_count(api, conn, invitation):
    guest = invitation.guest
    for _ in range(5):
        validate(api, guest, wrong_password(guest.password))
    conn.execute("UPDATE room_participants SET locked_until = now() - interval '1 second' WHERE id = %s",
                 (guest.room_participant_id,))
    assert validate(api, guest).status == 200
    assert link_state(conn, guest)["failed_attempts"] == 0
    assert link_state(conn, guest)["locked_until"] is None


def test_an_expired_lock_gives_a_fresh_count_of_five(api, conn, invitation):
    guest = invitation.guest
    bad = wrong_password(guest.password)
    for _ in range(5):
        validate(api, guest, bad)
    conn.execute("UPDATE room_participants SET locked_until = now() - interval '1 second' WHERE id = %s",
                 (guest.room_participant_id,))
    assert [validate(api, guest, bad).status for _ in range(6)] == [401] * 5 + [429]


def test_a_successful_validation_resets_the_counter(api, conn, invitation):
    guest = invitation.guest
    bad = wrong_password(guest.password)
    assert [validate(api, guest, bad).status for _ in range(4)] == [401] * 4
    assert validate(api, guest).status == 200
    assert link_state(conn, guest)["failed_attempts"] == 0
    assert [validate(api, guest, bad).status for _ in range(5)] == [401] * 5
    assert validate(api, guest, bad).status == 429


def test_twenty_concurrent_wrong_guesses_get_at_most_five_password_checks(api, conn, invitation, monkeypatch):
    from doctorlive.auth import passwords

    guest = invitation.guest
    real_verify, checked = passwords.verify_password, []

    def counting_verify(password, password_hash):
        if password_hash is not None:
            checked.append(password)
        return real_verify(password, password_hash)

    monkeypatch.setattr(passwords, "verify_password", counting_verify)
    guesses = [f"{n:08d}" for n in range(20) if f"{n:08d}" != guest.password]
    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(lambda p: validate(api, guest, p, ip="203.0.113.9"), guesses))
    statuses = sorted(r.status for r in replies)
    assert statuses == [401] * 5 + [429] * (len(guesses) - 5), statuses
    assert len(checked) == 5
    assert link_state(conn, guest)["failed_attempts"] == 5
    assert link_state(conn, guest)["locked_until"] is not None


def test_a_per_ip_limit_spans_links_and_counts_only_failures(api, conn):
    ip = "192.0.2.200"
    # Participants of one clinic share an IP: their successful validations never count.
    people = make_invitation(conn, guests=3).guests
    for _ in range(12):
        for guest in people:
            assert validate(api, guest, ip=ip).status == 200
    statuses = [api.post(VALIDATE, {"token": f"unknown-{uuid.uuid4().hex}", "password": "12345678"}, ip=ip).status
                for _ in range(30)]
    assert statuses == [401] * 30
    limited = validate(api, people[0], ip=ip)
    assert error(limited) == (429, "too_many_attempts")
    assert 0 < int(limited.headers["retry-after"]) <= 15 * 60
    assert limited.json()["error"]["details"]["retry_after"] == int(limited.headers["retry-after"])
    # The same participant from another network is not limited.
    assert validate(api, people[0], ip="192.0.2.201").status == 200


def test_expired_links_and_closed_meetings_are_explained_and_cost_no_attempt(api, conn):
    expired = make_invitation(conn, link_valid_for="-1 minute")
    reply = validate(api, expired.guest)
    assert error(reply) == (410, "link_expired") and "expired" in reply.json()["error"]["message"]
    cancelled = make_invitation(conn, status="CANCELLED")
    reply = validate(api, cancelled.guest)
    assert error(reply) == (409, "room_cancelled") and "cancelled" in reply.json()["error"]["message"]
    finished = make_invitation(conn, status="COMPLETED", starts_in="-3 hours")
    reply = validate(api, finished.guest)
    assert error(reply) == (409, "room_finished") and "ended" in reply.json()["error"]["message"]
    for inv in (expired, cancelled, finished):
        assert link_state(conn, inv.guest)["failed_attempts"] == 0


def test_a_password_of_the_wrong_shape_is_a_422_and_costs_no_attempt(api, conn, invitation):
    for password in ("1234567", "abcdefgh", "123456789", ""):
        reply = api.post(VALIDATE, {"token": invitation.guest.token, "password": password})
        assert error(reply) == (422, "validation_error")
    assert link_state(conn, invitation.guest)["failed_attempts"] == 0
    # Spaces around the digits (copied from an e-mail) are fine.
    assert api.post(VALIDATE, {"token": invitation.guest.token,
                               "password": f" {invitation.guest.password} "}).status == 200


# ---- joining --------------------------------------------------------------------------------------

def test_join_gives_livekit_credentials_and_records_the_join(api, conn, invitation, livekit):
    from doctorlive.settings import get_settings

    guest = invitation.guest
    reply = api.post(JOIN.format(invitation.room_id), token=join_token(api, guest))
    assert reply.status == 200, reply.body
    body = reply.json()
    name, identity = f"room_{invitation.room_id}", f"participant_{guest.participant_id}"
    assert body == {"livekit_url": livekit.url, "livekit_token": body["livekit_token"],
                    "room_name": name, "participant_identity": identity, "recorded": False}
    s = get_settings()
    claims = jwt.decode(body["livekit_token"], s.livekit_api_secret.get_secret_value(), algorithms=["HS256"],
                        issuer=s.livekit_api_key)
    assert claims["sub"] == identity and claims["name"] == guest.name
    assert claims["video"] == {"roomJoin": True, "room": name, "canPublish": True, "canSubscribe": True,
                               "canPublishData": True}
    assert claims["exp"] - claims["nbf"] == 6 * 3600
    assert json.loads(claims["metadata"])["type"] == "HUMAN"
    # The LiveKit room exists with the meeting's limits; attendance is recorded.
    create = [c["request"] for c in livekit.calls if c["method"] == "CreateRoom" and c["request"]["name"] == name]
    assert create and create[-1]["max_participants"] == 10 and create[-1]["empty_timeout"] == 300
    assert link_state(conn, guest)["joined_at"] is not None
    room = conn.execute("SELECT actual_participants FROM rooms WHERE id = %s", (invitation.room_id,)).fetchone()
    assert room["actual_participants"] == 1


def test_coming_back_does_not_take_a_second_place(api, conn, livekit):
    invitation = make_invitation(conn, guests=2, max_participants=2)
    first, second = invitation.guests
    token = join_token(api, first)
    for _ in range(3):  # reloads, a second tab
        assert api.post(JOIN.format(invitation.room_id), token=token).status == 200
    assert api.post(JOIN.format(invitation.room_id), token=join_token(api, first)).status == 200
    assert api.post(JOIN.format(invitation.room_id), token=join_token(api, second)).status == 200
    room = conn.execute("SELECT actual_participants FROM rooms WHERE id = %s", (invitation.room_id,)).fetchone()
    assert room["actual_participants"] == 2


def test_concurrent_joins_never_exceed_max_participants(api, conn, livekit):
    invitation = make_invitation(conn, guests=8, max_participants=3)
    tokens = [join_token(api, g) for g in invitation.guests]
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda t: api.post(JOIN.format(invitation.room_id), token=t), tokens))
    statuses = [r.status for r in replies]
    assert statuses.count(200) == 3, statuses
    assert all(error(r) == (409, "room_full") for r in replies if r.status != 200)
    assert "full" in next(r for r in replies if r.status == 409).json()["error"]["message"]
    joined = conn.execute("SELECT count(*) AS n FROM room_participants WHERE room_id = %s AND joined_at IS NOT NULL",
                          (invitation.room_id,)).fetchone()["n"]
    room = conn.execute("SELECT actual_participants FROM rooms WHERE id = %s", (invitation.room_id,)).fetchone()
    assert joined == room["actual_participants"] == 3
    # Those admitted can come back even though the room is full.
    admitted = [t for t, r in zip(tokens, replies, strict=True) if r.status == 200]
    assert api.post(JOIN.format(invitation.room_id), token=admitted[0]).status == 200


def test_join_refuses_closed_meetings_and_expired_links(api, conn, livekit):
    invitation = make_invitation(conn, guests=3)
    tokens = [join_token(api, g) for g in invitation.guests]
    conn.execute("UPDATE room_participants SET token_expires_at = now() - interval '1 second' WHERE id = %s",
                 (invitation.guests[0].room_participant_id,))
    assert error(api.post(JOIN.format(invitation.room_id), token=tokens[0])) == (410, "link_expired")
    conn.execute("""UPDATE rooms SET status = 'COMPLETED', scheduled_start = now() - interval '2 hours',
                                     scheduled_end = now() - interval '1 hour' WHERE id = %s""",
                 (invitation.room_id,))
    assert error(api.post(JOIN.format(invitation.room_id), token=tokens[1])) == (409, "room_finished")
    conn.execute("UPDATE rooms SET status = 'CANCELLED' WHERE id = %s", (invitation.room_id,))
    assert error(api.post(JOIN.format(invitation.room_id), token=tokens[2])) == (409, "room_cancelled")
    assert conn.execute("SELECT count(*) AS n FROM room_participants WHERE room_id = %s AND joined_at IS NOT NULL",
                        (invitation.room_id,)).fetchone()["n"] == 0


def test_a_meeting_livekit_closed_early_can_be_reentered_until_its_scheduled_end(api, conn, livekit):
    # Everyone dropped (or someone came early and left): LiveKit closed the empty room and its
    # webhook marked the meeting COMPLETED, but the meeting's time is not over.
    invitation = make_invitation(conn, guests=2, status="COMPLETED", starts_in="-10 minutes")
    first, second = invitation.guests
    assert preview(api, first.token).json()["room"]["status"] == "ACTIVE"
    assert api.post(JOIN.format(invitation.room_id), token=join_token(api, first)).status == 200
    conn.execute("""UPDATE rooms SET scheduled_start = now() - interval '2 hours',
                                     scheduled_end = now() - interval '1 minute' WHERE id = %s""",
                 (invitation.room_id,))
    assert preview(api, second.token).json()["room"]["status"] == "COMPLETED"
    assert error(validate(api, second)) == (409, "room_finished")


def test_an_active_meeting_admits_participants(api, conn, livekit):
    invitation = make_invitation(conn, status="ACTIVE", starts_in="-10 minutes")
    assert api.post(JOIN.format(invitation.room_id), token=join_token(api, invitation.guest)).status == 200


def test_join_and_access_tokens_are_not_interchangeable(api, conn, login, invitation, livekit):
    join = join_token(api, invitation.guest)
    access = login("admin@clinica.local")["access_token"]
    path = JOIN.format(invitation.room_id)
    assert error(api.post(path, token=access)) == (401, "invalid_token")
    assert error(api.get("/api/v1/auth/me", token=join)) == (401, "invalid_token")
    assert error(api.get(f"/api/v1/rooms/{invitation.room_id}", token=join)) == (401, "invalid_token")
    assert error(api.post(path)) == (401, "missing_token")
    # Bound to its room: not usable for another meeting.
    other = make_invitation(conn)
    assert error(api.post(JOIN.format(other.room_id), token=join)) == (401, "invalid_token")


def _forge(claims: dict, alg: str, key: bytes = b"") -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = f"{b64(json.dumps({'alg': alg, 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims).encode())}"
    if alg == "none":
        return signing_input + "."
    return f"{signing_input}.{b64(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())}"


def test_forged_and_expired_join_tokens_are_refused(api, invitation, livekit):
    from cryptography.hazmat.primitives import serialization

    from doctorlive.auth import tokens
    from doctorlive.joining.tokens import issue_join_token
    from doctorlive.settings import get_settings

    path = JOIN.format(invitation.room_id)
    join = join_token(api, invitation.guest)
    claims = jwt.decode(join, options={"verify_signature": False})
    public_pem = tokens.keys().public_key.public_bytes(serialization.Encoding.PEM,
                                                       serialization.PublicFormat.SubjectPublicKeyInfo)
    other_key = tokens.load_keys(tokens.generate_private_key_pem()).private_key
    head, payload, sig = join.split(".")
    forged = {
        "alg_none": _forge(claims, "none"),
        "hs256_with_public_key": _forge(claims, "HS256", public_pem),
        "foreign_key": jwt.encode(claims, other_key, algorithm="RS256"),
        "tampered_signature": f"{head}.{payload}.{sig[:-6]}AAAAAA",
        "access_type": jwt.encode({**claims, "type": "access"}, tokens.keys().private_key, algorithm="RS256"),
        "no_audience": jwt.encode({k: v for k, v in claims.items() if k != "aud"}, tokens.keys().private_key,
                                  algorithm="RS256"),
        "garbage": "not.a.jwt",
    }
    for attack, token in forged.items():
        assert error(api.post(path, token=token)) == (401, "invalid_token"), attack
    old = issue_join_token(invitation.room_id, invitation.guest.participant_id,
                           hashlib.sha256(invitation.guest.token.encode()).hexdigest(),
                           now=time.time() - get_settings().join_token_ttl_seconds - 5)
    assert error(api.post(path, token=old)) == (401, "token_expired")


def test_a_resent_invitation_retires_join_tokens_of_the_old_one(api, conn, invitation, livekit):
    join = join_token(api, invitation.guest)
    conn.execute("UPDATE room_participants SET magic_token_hash = %s WHERE id = %s",
                 (uuid.uuid4().hex * 2, invitation.guest.room_participant_id))
    assert error(api.post(JOIN.format(invitation.room_id), token=join)) == (401, "invalid_token")


def test_no_place_is_taken_when_livekit_cannot_be_reached(api, conn, invitation, livekit):
    join = join_token(api, invitation.guest)
    with patched_env({"LIVEKIT_URL": "http://127.0.0.1:9"}):
        assert error(api.post(JOIN.format(invitation.room_id), token=join)) == (503, "livekit_unavailable")
    assert link_state(conn, invitation.guest)["joined_at"] is None
    assert api.post(JOIN.format(invitation.room_id), token=join).status == 200


def test_browsers_get_the_public_livekit_url_when_one_is_set(api, invitation, livekit):
    join = join_token(api, invitation.guest)
    with patched_env({"LIVEKIT_PUBLIC_URL": "wss://meet.example.org"}):
        reply = api.post(JOIN.format(invitation.room_id), token=join)
    assert reply.status == 200 and reply.json()["livekit_url"] == "wss://meet.example.org"


# ---- the assistant's dispatch ---------------------------------------------------------------------

def _dispatches(livekit, room_id) -> list[dict]:
    return livekit.dispatches_of(f"room_{room_id}")


def test_the_first_join_creates_the_room_with_the_assistant_dispatched_once(api, conn, livekit):
    from doctorlive.livekit.client import RoomService
    from doctorlive.settings import get_settings

    invitation = make_invitation(conn, guests=2)
    first, second = invitation.guests
    for guest in (first, second, first):  # two people, one of them reloading
        assert api.post(JOIN.format(invitation.room_id), token=join_token(api, guest)).status == 200
    dispatches = _dispatches(livekit, invitation.room_id)
    assert [(d["agent_name"], json.loads(d["metadata"])) for d in dispatches] == \
        [(get_settings().agent_name, {"room_id": str(invitation.room_id)})]
    # What LiveKit was asked: the dispatch rides on CreateRoom (no webhook needed), every time the
    # same, and LiveKit dispatches only when it creates the room.
    creates = [c["request"] for c in livekit.calls
               if c["method"] == "CreateRoom" and c["request"]["name"] == f"room_{invitation.room_id}"]
    assert len(creates) == 3 and all(c["agents"] == [{"agent_name": get_settings().agent_name,
                                                      "metadata": json.dumps({"room_id": str(invitation.room_id)})}]
                                     for c in creates)
    # The AgentDispatchService the platform's client speaks sees the same.
    listed = RoomService().list_dispatches(f"room_{invitation.room_id}")
    assert [d.agent_name for d in listed] == [get_settings().agent_name]


@pytest.mark.parametrize("switch", ["entity", "meeting"])
def test_no_assistant_is_dispatched_when_the_entity_or_the_meeting_turned_it_off(api, conn, livekit, switch):
    invitation = make_invitation(conn)
    if switch == "entity":
        conn.execute("UPDATE entities SET assistant_enabled = false WHERE id = %s", (invitation.entity_id,))
    else:
        conn.execute("UPDATE rooms SET assistant_enabled = false WHERE id = %s", (invitation.room_id,))
    try:
        assert api.post(JOIN.format(invitation.room_id), token=join_token(api, invitation.guest)).status == 200
        assert _dispatches(livekit, invitation.room_id) == []
    finally:
        conn.execute("UPDATE entities SET assistant_enabled = true WHERE id = %s", (invitation.entity_id,))
