"""EventBridge schedule (every minute) → SQS → here: the meeting assistant on demand
(doctorlive.assistant.capacity). Sets the assistant service's scaling floor to the meetings due
now (no task when none) and dispatches the assistant again into running meetings it missed.

One run per invocation whatever the batch holds. Without ASSISTANT_SCALABLE_TARGET (`make dev`,
where the worker runs on the host) it only dispatches. A room LiveKit no longer has (it closes
an empty one) is skipped; any other dispatch LiveKit refuses is logged and the run goes on to
the other rooms, then raises, so the tick comes back and, after
max_receive_count deliveries, lands in the dead-letter queue, whose alarm tells.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from doctorlive import db, needs
from doctorlive.assistant.capacity import Unattended, Window, adjust
from doctorlive.observability import count, instrument, logger
from doctorlive.settings import get_settings
from functions.events.wiring import route_for

needs.check(__name__, route_for(__name__).needs)  # cold start: fail now, naming what is missing

# Metric names (EMF, namespace DoctorLive).
DUE_MEETINGS = "AssistantDueMeetings"
REDISPATCHED = "AssistantRedispatched"


@instrument
def handler(event: dict, context: Any) -> dict:
    s = get_settings()
    scaler = None
    if s.assistant_scalable_target:
        from doctorlive.assistant.capacity import ServiceScaler
        from doctorlive.aws import client

        scaler = ServiceScaler(client("application-autoscaling"), s.assistant_scalable_target)
    from doctorlive.livekit.client import LiveKitError, RoomService
    from doctorlive.livekit.dispatch import AgentDispatch

    livekit = RoomService()
    failed: list[str] = []
    sent: list[str] = []

    def dispatch(room: Unattended) -> None:
        try:
            livekit.create_dispatch(room.livekit_room_name, AgentDispatch(
                s.agent_name, json.dumps({"room_id": str(room.room_id)})))
            sent.append(str(room.room_id))
        except LiveKitError as exc:
            if exc.code == "not_found":  # LiveKit closed the empty room: nobody to assist
                logger.info("assistant dispatch skipped: the room is gone", extra={"room_id": str(room.room_id)})
                return
            failed.append(str(room.room_id))
            logger.warning("assistant dispatch failed", extra={"room_id": str(room.room_id), "error": str(exc)})

    with db.transaction() as conn:
        done = adjust(conn, datetime.now(UTC), scaler=scaler,
                      dispatch=dispatch if livekit.configured else None,
                      ceiling=s.assistant_max_tasks, per_task=s.assistant_meetings_per_task,
                      window=Window.of(s))
    count(DUE_MEETINGS, done.due)
    count(REDISPATCHED, len(sent))
    if done.changed:
        logger.info("assistant capacity set", extra={
            "due": done.due, "min": done.wanted.min, "max": done.wanted.max,
            "before": None if done.before is None else [done.before.min, done.before.max]})
    if failed:
        raise RuntimeError(f"dispatching the assistant failed for {len(failed)} room(s): {', '.join(failed)}")
    return {"batchItemFailures": [], "due": done.due, "min": done.wanted.min, "max": done.wanted.max,
            "changed": done.changed, "redispatched": sent}
