"""The meeting assistant on demand (doctorlive.assistant.capacity): which meetings are due,
the service's floor set through Application Auto Scaling's API (a stand-in speaking its JSON
1.1 protocol: LocalStack's free edition has none), and meetings the assistant missed dispatched
again through LiveKit's API (the dev stack's stand-in). Real Postgres. Clocks move by data: the
window tests read the rooms at a fixed instant years ahead, so no other test's meeting is due."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.join_support import make_invitation
from tests.integration.rooms_helpers import free_port, patched_env

T = datetime(2031, 3, 3, 10, 0, tzinfo=UTC)
JOB = "assistant-capacity"


def meeting(conn, *, start: timedelta, length: timedelta = timedelta(hours=1), status: str = "SCHEDULED",
            assistant: bool = True, entity_id: uuid.UUID | None = None, started: timedelta | None = None) -> uuid.UUID:
    """A meeting starting at T + start; `started`: LiveKit has run its room since T + started."""
    room_id = make_invitation(conn, entity_id=entity_id).room_id
    conn.execute("""UPDATE rooms SET scheduled_start = %s, scheduled_end = %s, status = %s,
                                     assistant_enabled = %s, started_at = %s WHERE id = %s""",
                 (T + start, T + start + length, status, assistant,
                  None if started is None else T + started, room_id))
    return room_id


def entity(conn, *, assistant: bool = True, active: bool = True) -> uuid.UUID:
    return conn.execute("""INSERT INTO entities (name, type, assistant_enabled, active)
                           VALUES (%s, 'clinic', %s, %s) RETURNING id""",
                        (f"Capacity {uuid.uuid4().hex[:6]}", assistant, active)).fetchone()["id"]


def test_a_meeting_is_due_from_its_lead_to_its_grace_or_while_it_runs(conn):
    from doctorlive.assistant.capacity import CapacityRepo, Window

    m = timedelta(minutes=1)
    due = [meeting(conn, start=10 * m),                                  # starts within the lead
           meeting(conn, start=-30 * m),                                 # in its scheduled time
           meeting(conn, start=-70 * m),                                 # ended 10 min ago: grace
           meeting(conn, start=-150 * m, status="ACTIVE", started=-150 * m)]  # 90 min past its end, running
    not_due = [meeting(conn, start=20 * m),                              # later than the lead
               meeting(conn, start=-80 * m),                             # ended 20 min ago
               meeting(conn, start=-4 * 60 * m, status="ACTIVE", started=-4 * 60 * m),  # 3 h past: overrun
               meeting(conn, start=0 * m, status="CANCELLED"),
               meeting(conn, start=-30 * m, status="COMPLETED"),
               meeting(conn, start=0 * m, assistant=False),
               meeting(conn, start=0 * m, entity_id=entity(conn, assistant=False)),
               meeting(conn, start=0 * m, entity_id=entity(conn, active=False))]
    repo = CapacityRepo(conn)
    assert len(due) == 4 and len(not_due) == 8
    assert repo.due_meetings(T, Window()) == 4
    # The window is the settings': a longer lead takes in the meeting 20 minutes ahead.
    assert repo.due_meetings(T, Window(lead=25 * m)) == 5


@pytest.fixture
def autoscaling():
    from tests.support.autoscaling_stub import AutoScalingStub

    stub = AutoScalingStub().start()
    yield stub
    stub.stop()


def scaler_for(stub, resource_id="service/doctorlive-agents/assistant"):
    import boto3

    from doctorlive.assistant.capacity import ServiceScaler

    client = boto3.client("application-autoscaling", endpoint_url=stub.url, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    return ServiceScaler(client, resource_id)


def test_the_floor_follows_what_is_due_and_is_written_only_when_it_changes(conn, autoscaling):
    from doctorlive.assistant.capacity import Capacity, adjust

    scaler = scaler_for(autoscaling)
    scaler.set(Capacity(0, 0))  # as the CDK app deploys it
    later = T + timedelta(days=30)  # nothing of this test's or another's is due then
    idle = adjust(conn, later, scaler=scaler, dispatch=None, ceiling=4, per_task=3)
    assert (idle.due, idle.wanted, idle.changed) == (0, Capacity(0, 0), False)
    for _ in range(4):
        meeting(conn, start=timedelta(days=30, minutes=5))
    busy = adjust(conn, later, scaler=scaler, dispatch=None, ceiling=4, per_task=3)
    assert (busy.due, busy.before, busy.wanted, busy.changed) == (4, Capacity(0, 0), Capacity(2, 4), True)
    assert scaler.current() == Capacity(2, 4)
    registers = [c for c, _ in autoscaling.calls if c == "RegisterScalableTarget"]
    again = adjust(conn, later, scaler=scaler, dispatch=None, ceiling=4, per_task=3)
    assert again.changed is False
    assert [c for c, _ in autoscaling.calls if c == "RegisterScalableTarget"] == registers
    # Two hours after those meetings ended, nothing is due: no task.
    after = adjust(conn, later + timedelta(hours=3), scaler=scaler, dispatch=None, ceiling=4, per_task=3)
    assert (after.wanted, after.changed) == (Capacity(0, 0), True) and scaler.current() == Capacity(0, 0)
    (_, body), = [(c, b) for c, b in autoscaling.calls if c == "RegisterScalableTarget"][-1:]
    assert body == {"ServiceNamespace": "ecs", "ResourceId": "service/doctorlive-agents/assistant",
                    "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 0, "MaxCapacity": 0}


def test_a_running_meeting_without_an_assistant_is_dispatched_again(conn):
    """Joined before any worker was up, its room's dispatch was dropped: no claim. It gets the
    assistant again once it has run for `settle`; a room with a live claim, or one that only
    just started, does not."""
    from doctorlive.assistant.capacity import adjust

    later = T + timedelta(days=60)
    m = timedelta(days=60, minutes=1) - timedelta(days=60)
    base = timedelta(days=60)
    missed = meeting(conn, start=base - 10 * m, status="ACTIVE", started=base - 5 * m)
    held = meeting(conn, start=base - 10 * m, status="ACTIVE", started=base - 5 * m)
    fresh = meeting(conn, start=base - 10 * m, status="ACTIVE", started=base - 1 * m)
    conn.execute("""INSERT INTO agent_claims (room_id, job_id, worker_id, lease_until)
                    VALUES (%s, 'AJ_held', 'AW_1', %s)""", (held, later + timedelta(seconds=60)))
    dispatched = []
    done = adjust(conn, later, scaler=None, dispatch=dispatched.append, ceiling=2, per_task=3)
    assert [r.room_id for r in dispatched] == [missed] == list(done.redispatched)
    assert dispatched[0].livekit_room_name == f"room_{missed}"
    assert fresh not in done.redispatched and held not in done.redispatched
    # A lapsed claim (the worker died) counts as none.
    conn.execute("UPDATE agent_claims SET lease_until = %s WHERE room_id = %s", (later - timedelta(seconds=1), held))
    dispatched.clear()
    adjust(conn, later, scaler=None, dispatch=dispatched.append, ceiling=2, per_task=3)
    assert {r.room_id for r in dispatched} == {missed, held}


def test_the_job_through_its_queue_scales_the_service_and_dispatches_into_livekit(aws, conn, autoscaling):
    """The scheduled job's handler, fed by the pump from its SQS queue as Lambda would be:
    Application Auto Scaling on the stand-in, CreateDispatch on the LiveKit stand-in."""
    from devstack.livekit_stub import LiveKitStub
    from doctorlive import aws as aws_clients
    from doctorlive.assistant.capacity import Capacity
    from doctorlive.livekit.client import RoomService

    key, secret = "cap-key", "cap-secret-" + uuid.uuid4().hex + uuid.uuid4().hex
    livekit = LiveKitStub(key, secret, port=free_port()).start()
    resource_id = f"service/cluster-{uuid.uuid4().hex[:6]}/assistant"
    scaler_for(autoscaling, resource_id).set(Capacity(0, 0))
    now = datetime.now(UTC)
    room_id = make_invitation(conn).room_id
    conn.execute("""UPDATE rooms SET status = 'ACTIVE', scheduled_start = %s, scheduled_end = %s,
                                     started_at = %s WHERE id = %s""",
                 (now - timedelta(minutes=10), now + timedelta(minutes=50), now - timedelta(minutes=5), room_id))
    env = {"LIVEKIT_URL": livekit.url, "LIVEKIT_API_KEY": key, "LIVEKIT_API_SECRET": secret,
           "ASSISTANT_SCALABLE_TARGET": resource_id, "ASSISTANT_MAX_TASKS": "3",
           "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING": autoscaling.url}
    try:
        with patched_env(env):
            aws_clients.client.cache_clear()
            RoomService().create_room(f"room_{room_id}")  # the first join created it; the job was dropped
            aws.pump.tick(JOB)
            aws.pump.run_until(JOB, lambda: bool(livekit.dispatches_of(f"room_{room_id}")), timeout=30)
            current = scaler_for(autoscaling, resource_id).current()
            assert current.min >= 1 and current.max == 3
            (dispatch,) = livekit.dispatches_of(f"room_{room_id}")
            assert dispatch["agent_name"] == "doctorlive-assistant"
            assert str(room_id) in dispatch["metadata"]
    finally:
        aws_clients.client.cache_clear()
        livekit.stop()
        conn.execute("UPDATE rooms SET status = 'COMPLETED', ended_at = now() WHERE id = %s", (room_id,))
