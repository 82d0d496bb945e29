"""The worker's side of dispatch: a job is accepted only for a room of ours whose meeting has the
assistant on, under the assistant's name; never two assistants in one room (a second job is
refused while the first holds its lease; a crashed worker's lease runs out)."""
from __future__ import annotations

import asyncio
import json
import uuid
from types import SimpleNamespace
from unittest.mock import AsyncMock

import pytest

from tests.integration.join_support import make_invitation


def job_request(room_id, job_id=None, room_name=None, metadata=None):
    job = SimpleNamespace(id=job_id or f"AJ_{uuid.uuid4().hex[:10]}",
                          metadata=metadata if metadata is not None else json.dumps({"room_id": str(room_id)}))
    return SimpleNamespace(job=job, room=SimpleNamespace(name=room_name or f"room_{room_id}"),
                           accept=AsyncMock(), reject=AsyncMock())


def ask(req):
    from meeting_agent.worker import on_request

    asyncio.run(on_request(req))
    return "accepted" if req.accept.await_count else "rejected" if req.reject.await_count else "nothing"


@pytest.fixture
def meeting(conn):
    return make_invitation(conn)


def test_a_job_for_our_meeting_is_accepted_under_the_assistants_name(conn, meeting):
    req = job_request(meeting.room_id)
    assert ask(req) == "accepted"
    kwargs = req.accept.await_args.kwargs
    assert kwargs["name"] == "Assistente doctor-live"  # the clinic's locale is pt-BR
    assert kwargs["identity"] == f"assistant_{meeting.room_id}"
    claim = conn.execute("SELECT job_id FROM agent_claims WHERE room_id = %s", (meeting.room_id,)).fetchone()
    assert claim["job_id"] == req.job.id


def test_never_two_assistants_in_one_room(conn, meeting):
    first = job_request(meeting.room_id)
    assert ask(first) == "accepted"
    assert ask(job_request(meeting.room_id)) == "rejected"          # a duplicate dispatch
    assert ask(job_request(meeting.room_id, job_id=first.job.id)) == "accepted"  # the same job retried
    # The first worker crashed: its lease runs out, and the next dispatch may take the room.
    conn.execute("UPDATE agent_claims SET lease_until = now() - interval '1 second' WHERE room_id = %s",
                 (meeting.room_id,))
    assert ask(job_request(meeting.room_id)) == "accepted"


def test_concurrent_duplicate_jobs_get_exactly_one_assistant(conn, meeting):
    from concurrent.futures import ThreadPoolExecutor

    requests = [job_request(meeting.room_id) for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(ask, requests))
    assert outcomes.count("accepted") == 1 and outcomes.count("rejected") == 7


@pytest.mark.parametrize("case", ["not ours", "assistant off", "cancelled", "other room"])
def test_jobs_it_must_not_take_are_refused(conn, meeting, case):
    req = job_request(meeting.room_id)
    if case == "not ours":
        req = job_request(meeting.room_id, metadata='{"hello": "world"}')
    elif case == "assistant off":
        conn.execute("UPDATE rooms SET assistant_enabled = false WHERE id = %s", (meeting.room_id,))
    elif case == "cancelled":
        conn.execute("UPDATE rooms SET status = 'CANCELLED' WHERE id = %s", (meeting.room_id,))
    else:  # metadata naming one room, the job in another: nobody steers the assistant elsewhere
        req = job_request(meeting.room_id, room_name=f"room_{uuid.uuid4()}")
    assert ask(req) == "rejected"
    assert conn.execute("SELECT 1 FROM agent_claims WHERE room_id = %s", (meeting.room_id,)).fetchone() is None
