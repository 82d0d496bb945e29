"""Retention enforced: the scheduled purge job against real S3 (LocalStack) and Postgres. Clocks
move by data (purge_at, ended_at into the past), never by sleeping. Ends with the whole path on
the dev stack's stand-ins: egress → webhook → recording row → object in S3 → purge removes both."""
from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from tests.integration.join_support import make_invitation
from tests.integration.rooms_helpers import free_port, patched_env

ROUTE = "retention-purge"


@pytest.fixture
def bucket(aws):
    return aws.resources.env["RECORDINGS_BUCKET"]


@pytest.fixture
def s3(aws):
    from doctorlive.aws import client

    return client("s3")


def run_job(**kw):
    from doctorlive import db
    from doctorlive.aws import client
    from doctorlive.retention.service import purge
    from doctorlive.settings import get_settings

    return purge(db.transaction, client("s3"), get_settings().recordings_bucket, **kw)


def ended_meeting(conn, *, days_ago: int, entity: str = "Clínica Cardio Saúde") -> uuid.UUID:
    room_id = make_invitation(conn, entity=entity).room_id
    conn.execute("""UPDATE rooms SET status = 'COMPLETED', started_at = now() - make_interval(days => %s) - interval '1 hour',
                                     ended_at = now() - make_interval(days => %s) WHERE id = %s""",
                 (days_ago, days_ago, room_id))
    return room_id


def recording(conn, s3, bucket, room_id, *, due: bool, with_object: bool = True) -> tuple[uuid.UUID, str]:
    key = f"recordings/test/{room_id}/{uuid.uuid4().hex}.mp4"
    if with_object:
        s3.put_object(Bucket=bucket, Key=key, Body=b"recording")
    rec_id = conn.execute(
        """INSERT INTO recordings (room_id, livekit_egress_id, s3_key, file_size_bytes, ended_at)
           VALUES (%s, %s, %s, 9, now()) RETURNING id""",
        (room_id, "EG_" + uuid.uuid4().hex[:12], key)).fetchone()["id"]
    if due:
        conn.execute("UPDATE recordings SET purge_at = now() - interval '1 minute' WHERE id = %s", (rec_id,))
    return rec_id, key


def object_exists(s3, bucket, key) -> bool:
    from botocore.exceptions import ClientError

    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return False
        raise


def row_exists(conn, rec_id) -> bool:
    return conn.execute("SELECT 1 FROM recordings WHERE id = %s", (rec_id,)).fetchone() is not None


def transcript(conn, room_id):
    conn.execute(
        """INSERT INTO transcript_segments (room_id, speaker_name, segment_id, started_at, ended_at, text)
           VALUES (%s, 'Ana', %s, now(), now(), 'pressão 12 por 8')""", (room_id, uuid.uuid4().hex))
    conn.execute("""INSERT INTO meeting_summaries (room_id, summary, mode) VALUES (%s, 'Resumo', 'extractive')
                    ON CONFLICT (room_id) DO NOTHING""", (room_id,))


def kept(conn, room_id) -> tuple[int, int]:
    return (conn.execute("SELECT count(*) AS n FROM transcript_segments WHERE room_id = %s", (room_id,)).fetchone()["n"],
            conn.execute("SELECT count(*) AS n FROM meeting_summaries WHERE room_id = %s", (room_id,)).fetchone()["n"])


# ---- recordings -----------------------------------------------------------------------------------

def test_a_due_recording_loses_its_object_and_row_and_one_not_due_stays(conn, s3, bucket):
    room_id = ended_meeting(conn, days_ago=1)
    due_id, due_key = recording(conn, s3, bucket, room_id, due=True)
    later_id, later_key = recording(conn, s3, bucket, room_id, due=False)
    done = run_job()
    assert done.recordings >= 1 and done.objects >= 1
    assert not object_exists(s3, bucket, due_key) and not row_exists(conn, due_id)
    assert object_exists(s3, bucket, later_key) and row_exists(conn, later_id)


def test_a_rerun_after_a_crash_between_object_and_row_completes(conn, s3, bucket):
    room_id = ended_meeting(conn, days_ago=1)
    rec_id, key = recording(conn, s3, bucket, room_id, due=True)
    s3.delete_object(Bucket=bucket, Key=key)  # the crashed run got this far: object gone, row kept
    run_job()
    assert not row_exists(conn, rec_id)
    assert run_job().recordings == 0  # and again: nothing left, nothing fails


def test_batches_are_bounded_and_the_next_run_goes_on(conn, s3, bucket):
    run_job()  # whatever earlier tests left due
    room_id = ended_meeting(conn, days_ago=1)
    ids = [recording(conn, s3, bucket, room_id, due=True)[0] for _ in range(3)]
    first = run_job(batch_size=2, max_batches=1)
    assert (first.recordings, first.more) == (2, True)
    assert sum(row_exists(conn, i) for i in ids) == 1
    second = run_job(batch_size=2, max_batches=1)
    assert second.recordings == 1 and not any(row_exists(conn, i) for i in ids)


def test_a_failing_store_fails_the_run_and_keeps_the_row(conn, s3, bucket):
    from doctorlive import db
    from doctorlive.retention.service import purge

    room_id = ended_meeting(conn, days_ago=1)
    rec_id, key = recording(conn, s3, bucket, room_id, due=True)
    with pytest.raises(Exception, match="NoSuchBucket|does not exist"):
        purge(db.transaction, s3, f"no-such-bucket-{uuid.uuid4().hex[:8]}")
    assert row_exists(conn, rec_id) and object_exists(s3, bucket, key)
    run_job()
    assert not row_exists(conn, rec_id)


# ---- transcripts and summaries ---------------------------------------------------------------------

def test_transcripts_and_summaries_go_after_each_entitys_own_retention(conn, aws):
    clinic = conn.execute("SELECT id, recording_retention_days AS d FROM entities WHERE name = 'Clínica Cardio Saúde'").fetchone()
    design = conn.execute("SELECT id, recording_retention_days AS d FROM entities WHERE name = 'Design Studio XYZ'").fetchone()
    conn.execute("UPDATE entities SET recording_retention_days = 7 WHERE id = %s", (clinic["id"],))
    conn.execute("UPDATE entities SET recording_retention_days = 30 WHERE id = %s", (design["id"],))
    try:
        old_clinic = ended_meeting(conn, days_ago=8)
        recent_clinic = ended_meeting(conn, days_ago=6)
        old_for_clinic_recent_for_design = ended_meeting(conn, days_ago=8, entity="Design Studio XYZ")
        old_design = ended_meeting(conn, days_ago=31, entity="Design Studio XYZ")
        for room_id in (old_clinic, recent_clinic, old_for_clinic_recent_for_design, old_design):
            transcript(conn, room_id)
        done = run_job()
        assert done.transcript_segments >= 2 and done.summaries >= 2
        assert kept(conn, old_clinic) == (0, 0) and kept(conn, old_design) == (0, 0)
        assert kept(conn, recent_clinic) == (1, 1)
        assert kept(conn, old_for_clinic_recent_for_design) == (1, 1)  # the design studio keeps 30 days
        # A meeting still on is never purged, whatever its schedule said.
        live = ended_meeting(conn, days_ago=40)
        conn.execute("UPDATE rooms SET status = 'ACTIVE', ended_at = NULL, scheduled_start = now() - interval '41 days', "
                     "scheduled_end = now() - interval '40 days' WHERE id = %s", (live,))
        transcript(conn, live)
        run_job()
        assert kept(conn, live) == (1, 1)
    finally:
        conn.execute("UPDATE entities SET recording_retention_days = %s WHERE id = %s", (clinic["d"], clinic["id"]))
        conn.execute("UPDATE entities SET recording_retention_days = %s WHERE id = %s", (design["d"], design["id"]))


# ---- the scheduled function --------------------------------------------------------------------

def test_the_schedule_runs_the_handler_through_its_queue_and_counts_what_it_purged(conn, s3, bucket, aws, capsys):
    import json

    from functions.events.wiring import EVENTS

    route = next(r for r in EVENTS if r.name == ROUTE)
    assert route.kind == "schedule" and route.needs == ("db", "bucket:recordings:delete")
    room_id = ended_meeting(conn, days_ago=1)
    rec_id, key = recording(conn, s3, bucket, room_id, due=True)
    aws.pump.tick(ROUTE)
    aws.pump.run_until(ROUTE, lambda: not row_exists(conn, rec_id))
    assert not object_exists(s3, bucket, key)
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    metrics = {m["Name"] for doc in emf for d in doc["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
    assert {"PurgedRecordings", "PurgedTranscriptSegments", "PurgedSummaries"} <= metrics
    purged = [v for doc in emf for v in (doc.get("PurgedRecordings", []) if isinstance(
        doc.get("PurgedRecordings"), list) else [doc.get("PurgedRecordings", 0)])]
    assert sum(purged) >= 1


# ---- end to end on the dev stack's stand-ins ------------------------------------------------------

@pytest.fixture
def stack(aws, database):
    """The local gateway over HTTP and a LiveKit stand-in sending its webhooks to it."""
    from devstack.gateway import serve
    from devstack.livekit_stub import LiveKitStub

    server = serve("127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gateway = f"http://127.0.0.1:{server.server_address[1]}"
    key, secret = "e2e-key", "e2e-secret-" + uuid.uuid4().hex + uuid.uuid4().hex
    stub = LiveKitStub(key, secret, port=free_port(), webhook_url=f"{gateway}/webhooks/livekit").start()
    with patched_env({"LIVEKIT_URL": stub.url, "LIVEKIT_API_KEY": key, "LIVEKIT_API_SECRET": secret}):
        yield gateway, stub
    stub.stop()
    server.shutdown()
    server.server_close()


def wait_for(condition, timeout: float = 20.0):
    import time

    deadline = time.monotonic() + timeout
    while (value := condition()) in (None, False, []):
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.05)
    return value


def test_egress_to_recording_to_download_to_purge_end_to_end(conn, s3, bucket, stack, aws):
    """The issue's whole path over HTTP on the dev stack's stand-ins: a recorded meeting is joined,
    ends, LiveKit's egress uploads and says so, the organiser downloads the object through the
    gateway's presigned URL while another entity's admin cannot see it, and at its purge date the
    scheduled job removes the row and the object."""
    import httpx

    from tests.integration.fixtures import PASSWORD

    gateway, stub = stack
    invitation = make_invitation(conn)
    conn.execute("UPDATE entities SET record_meetings = true WHERE id = %s", (invitation.entity_id,))
    conn.execute("UPDATE rooms SET record = true WHERE id = %s", (invitation.room_id,))
    with httpx.Client(base_url=gateway, timeout=20) as http:
        try:
            validated = http.post("/api/v1/magic-link/validate",
                                  json={"token": invitation.guest.token, "password": invitation.guest.password})
            assert validated.status_code == 200 and validated.json()["room"]["recorded"] is True
            joined = http.post(f"/api/v1/rooms/{invitation.room_id}/join",
                               headers={"authorization": f"Bearer {validated.json()['join_token']}"})
            assert joined.status_code == 200 and joined.json()["recorded"] is True
        finally:
            conn.execute("UPDATE entities SET record_meetings = false WHERE id = %s", (invitation.entity_id,))
        name = f"room_{invitation.room_id}"
        [egress] = stub.egress_of(name)
        stub.delete_room(name)  # everyone left: LiveKit ends the egress, uploads, says egress_ended
        rec = wait_for(lambda: conn.execute("SELECT * FROM recordings WHERE livekit_egress_id = %s",
                                            (egress.egress_id,)).fetchone())
        assert rec["s3_key"].startswith(f"recordings/{invitation.entity_id}/{invitation.room_id}/")
        stored = s3.get_object(Bucket=bucket, Key=rec["s3_key"])["Body"].read()
        assert rec["file_size_bytes"] == len(stored) > 0
        assert {w["event"] for w in stub.webhooks if w["status"] == 200} >= {"egress_started", "egress_ended"}
        retention = conn.execute("SELECT recording_retention_days FROM entities WHERE id = %s",
                                 (invitation.entity_id,)).fetchone()["recording_retention_days"]
        assert rec["purge_at"] - rec["ended_at"] == timedelta(days=retention)

        def bearer(email: str) -> dict:
            reply = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
            assert reply.status_code == 200, reply.text
            return {"authorization": f"Bearer {reply.json()['access_token']}"}

        organiser, outsider = bearer("admin@clinica.local"), bearer("admin@design.local")
        listed = http.get(f"/api/v1/rooms/{invitation.room_id}/recordings", headers=organiser)
        assert listed.status_code == 200, listed.text
        [mine] = [r for r in listed.json() if r["id"] == str(rec["id"])]
        download = httpx.get(mine["download_url"], timeout=20)
        assert download.status_code == 200 and download.content == stored

        refused = http.get(f"/api/v1/rooms/{invitation.room_id}/recordings", headers=outsider)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
        assert "download_url" not in refused.text

        conn.execute("UPDATE recordings SET purge_at = now() - interval '1 second' WHERE id = %s", (rec["id"],))
        aws.pump.tick(ROUTE)
        aws.pump.run_until(ROUTE, lambda: not row_exists(conn, rec["id"]))
        assert not object_exists(s3, bucket, rec["s3_key"])
        assert httpx.get(mine["download_url"], timeout=20).status_code in (403, 404)
        after = http.get(f"/api/v1/rooms/{invitation.room_id}/recordings", headers=organiser)
        assert after.status_code == 200 and str(rec["id"]) not in after.text
