"""The meeting assistant on demand: how many worker tasks the platform needs now, the service's
floor set to it, and meetings the assistant missed dispatched again.

With `-c agentOnDemand=true` (prod's default, infra/agent.py) the assistant's Fargate service
has no task while no meeting needs one. A scheduled job (functions/events/assistant_capacity.py,
every minute) counts the meetings that are **due**: assistant on (meeting and entity), not
cancelled or completed, from `lead` before the scheduled start until `grace` after the scheduled
end, or while LiveKit says the room is running (ACTIVE) up to `overrun` past its end. It then
sets the service's scaling floor (Application Auto Scaling's MinCapacity) to one task per
`per_task` due meetings, at most the ceiling, and MaxCapacity to the ceiling (CPU target tracking
scales within them); with nothing due, both to 0, so the tasks stop (each drains its sessions
for 120 s). The target is only written when it changes.

A worker takes a few minutes to start. LiveKit dispatches the assistant when it creates the
room (the first join) and drops the job when no worker is registered, so a meeting joined before
its worker was up (earlier than `lead` before its start, or one scheduled to start at once) would
stay without an assistant: every run dispatches the assistant again into each ACTIVE room that
has been running for `settle` and has no live claim (agent_claims: the worker claims a room when
its job starts and renews the lease while it is there). A second dispatch that arrives while
another job holds the room finds the claim taken and leaves, so a room never has two assistants.

The counts are across entities (a platform job): only a number and room ids leave the query,
never a meeting's content.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import psycopg

ECS_NAMESPACE = "ecs"
DESIRED_COUNT = "ecs:service:DesiredCount"

_DUE = """
    FROM rooms r
    JOIN entities e ON e.id = r.entity_id
   WHERE r.assistant_enabled AND e.assistant_enabled AND e.active
     AND r.status IN ('SCHEDULED', 'ACTIVE')
     AND r.scheduled_end > %(now)s - %(overrun)s         -- rooms_due_idx
     AND r.scheduled_start <= %(now)s + %(lead)s
     AND (%(now)s < r.scheduled_end + %(grace)s OR r.status = 'ACTIVE')
"""


@dataclass(frozen=True)
class Window:
    lead: timedelta = timedelta(minutes=15)
    grace: timedelta = timedelta(minutes=15)
    overrun: timedelta = timedelta(hours=2)
    settle: timedelta = timedelta(minutes=2)

    @classmethod
    def of(cls, settings) -> Window:
        """The window a doctorlive Settings names (ASSISTANT_LEAD/GRACE/OVERRUN_MINUTES)."""
        return cls(lead=timedelta(minutes=settings.assistant_lead_minutes),
                   grace=timedelta(minutes=settings.assistant_grace_minutes),
                   overrun=timedelta(minutes=settings.assistant_overrun_minutes))

    def params(self, now: datetime) -> dict:
        return {"now": now, "lead": self.lead, "grace": self.grace, "overrun": self.overrun,
                "settle": self.settle}


@dataclass(frozen=True)
class Capacity:
    min: int
    max: int


@dataclass(frozen=True)
class Unattended:
    room_id: UUID
    livekit_room_name: str


class CapacityRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def due_meetings(self, now: datetime, window: Window) -> int:
        return self.conn.execute("SELECT count(*) AS n" + _DUE, window.params(now)).fetchone()["n"]

    def unattended(self, now: datetime, window: Window) -> list[Unattended]:
        """Due rooms LiveKit has been running for `settle` that no assistant job holds."""
        rows = self.conn.execute(
            "SELECT r.id, r.livekit_room_name" + _DUE + """
               AND r.status = 'ACTIVE' AND r.livekit_room_name IS NOT NULL
               AND r.started_at <= %(now)s - %(settle)s
               AND NOT EXISTS (SELECT 1 FROM agent_claims c
                                WHERE c.room_id = r.id AND c.lease_until > %(now)s)
             ORDER BY r.started_at""", window.params(now)).fetchall()
        return [Unattended(r["id"], r["livekit_room_name"]) for r in rows]


def wanted(due: int, *, ceiling: int, per_task: int) -> Capacity:
    """The scaling bounds for `due` meetings: none when nothing is due."""
    if due <= 0 or ceiling <= 0:
        return Capacity(0, 0)
    return Capacity(min(ceiling, math.ceil(due / max(1, per_task))), ceiling)


class ServiceScaler:
    """The assistant service's scalable target, through Application Auto Scaling."""

    def __init__(self, client, resource_id: str):
        self.client = client  # a boto3 "application-autoscaling" client
        self.resource_id = resource_id  # service/<cluster>/<service>

    def current(self) -> Capacity | None:
        found = self.client.describe_scalable_targets(
            ServiceNamespace=ECS_NAMESPACE, ResourceIds=[self.resource_id],
            ScalableDimension=DESIRED_COUNT)["ScalableTargets"]
        return Capacity(found[0]["MinCapacity"], found[0]["MaxCapacity"]) if found else None

    def set(self, capacity: Capacity) -> None:
        self.client.register_scalable_target(
            ServiceNamespace=ECS_NAMESPACE, ResourceId=self.resource_id,
            ScalableDimension=DESIRED_COUNT,
            MinCapacity=capacity.min, MaxCapacity=capacity.max)


@dataclass(frozen=True)
class Adjustment:
    due: int
    wanted: Capacity
    before: Capacity | None   # None: no scaler (a stage without the on-demand service)
    changed: bool
    redispatched: tuple[UUID, ...]


def adjust(conn: psycopg.Connection, now: datetime, *, scaler: ServiceScaler | None,
           dispatch: Callable[[Unattended], None] | None, ceiling: int, per_task: int,
           window: Window = Window()) -> Adjustment:
    """One run: the floor set to what is due, missed meetings dispatched again. `dispatch`
    (None: LiveKit not configured) dispatches the assistant into one room; a failure there is
    logged by the caller's wrapper and the next run tries again."""
    repo = CapacityRepo(conn)
    due = repo.due_meetings(now, window)
    target = wanted(due, ceiling=ceiling, per_task=per_task)
    before = scaler.current() if scaler else None
    changed = scaler is not None and before != target
    if changed:
        scaler.set(target)
    missed = repo.unattended(now, window) if dispatch is not None and target.min > 0 else []
    for room in missed:
        dispatch(room)
    return Adjustment(due, target, before, changed, tuple(r.room_id for r in missed))
