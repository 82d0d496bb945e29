"""The one wrapper over livekit-api's RoomService (Twirp over HTTP): create, delete and list.

livekit-api is asyncio + aiohttp; API and event Lambdas are synchronous, so each call runs on a
fresh event loop (its own aiohttp session, closed afterwards). Imported lazily: only the
functions that talk to LiveKit pay for livekit-api, aiohttp and protobuf.

Names: room `room_{room_id}`, participant identity `participant_{participant_id}`.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from doctorlive.livekit.dispatch import AgentDispatch
from doctorlive.livekit.egress import RecordingTarget
from doctorlive.observability import traced
from doctorlive.settings import get_settings

T = TypeVar("T")

ROOM_PREFIX = "room_"
IDENTITY_PREFIX = "participant_"


def room_name(room_id: UUID | str) -> str:
    return f"{ROOM_PREFIX}{room_id}"


def participant_identity(participant_id: UUID | str) -> str:
    return f"{IDENTITY_PREFIX}{participant_id}"


def _parse(value: str, prefix: str) -> UUID | None:
    if not value.startswith(prefix):
        return None
    try:
        return UUID(value[len(prefix):])
    except ValueError:
        return None


def room_id_of(name: str) -> UUID | None:
    return _parse(name, ROOM_PREFIX)


def participant_id_of(identity: str) -> UUID | None:
    return _parse(identity, IDENTITY_PREFIX)


class LiveKitError(Exception):
    """LiveKit answered with an error or could not be reached."""

    def __init__(self, message: str, code: str = "unknown"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class LiveRoom:
    name: str
    sid: str
    num_participants: int
    max_participants: int


@dataclass(frozen=True)
class LiveParticipant:
    identity: str
    name: str
    sid: str
    joined_at: int


class RoomService:
    def __init__(self, url: str | None = None, api_key: str | None = None,
                 api_secret: str | None = None, timeout: float = 10.0):
        s = get_settings()
        self.url = url if url is not None else s.livekit_url
        self.api_key = api_key if api_key is not None else s.livekit_api_key
        self.api_secret = api_secret if api_secret is not None else s.livekit_api_secret.get_secret_value()
        self.timeout = timeout

    @property
    def configured(self) -> bool:
        return bool(self.url and self.api_key and self.api_secret)

    @traced
    def create_room(self, name: str, *, max_participants: int = 0, empty_timeout: int | None = None,
                    metadata: str = "", agents: Sequence[AgentDispatch] = (),
                    recording: RecordingTarget | None = None) -> LiveRoom:
        """Create (or get: LiveKit returns the existing room of that name). `agents` are
        dispatched, and `recording` (a room-composite egress to S3) started, by LiveKit when it
        creates the room, not when the room already exists."""
        async def call(lk, proto):
            egress = _room_egress(proto, name, recording) if recording else None
            return await lk.room.create_room(proto.room.CreateRoomRequest(
                name=name, max_participants=max_participants, metadata=metadata,
                empty_timeout=empty_timeout if empty_timeout is not None
                else get_settings().livekit_empty_timeout_seconds,
                agents=[proto.agent_dispatch.RoomAgentDispatch(agent_name=a.agent_name, metadata=a.metadata)
                        for a in agents],
                egress=egress))
        room = self._run(call)
        return LiveRoom(room.name, room.sid, room.num_participants, room.max_participants)

    @traced
    def delete_room(self, name: str) -> bool:
        """Remove the room and disconnect everyone; False when there was no such room."""
        async def call(lk, proto):
            return await lk.room.delete_room(proto.room.DeleteRoomRequest(room=name))
        try:
            self._run(call)
        except LiveKitError as exc:
            if exc.code == "not_found":
                return False
            raise
        return True

    @traced
    def list_rooms(self, names: list[str] | None = None) -> list[LiveRoom]:
        async def call(lk, proto):
            return await lk.room.list_rooms(proto.room.ListRoomsRequest(names=names or []))
        return [LiveRoom(r.name, r.sid, r.num_participants, r.max_participants)
                for r in self._run(call).rooms]

    @traced
    def list_participants(self, name: str) -> list[LiveParticipant]:
        async def call(lk, proto):
            return await lk.room.list_participants(proto.room.ListParticipantsRequest(room=name))
        return [LiveParticipant(p.identity, p.name, p.sid, p.joined_at)
                for p in self._run(call).participants]

    @traced
    def create_dispatch(self, room: str, dispatch: AgentDispatch) -> str:
        """Dispatch an agent into an existing room (AgentDispatchService); the dispatch id."""
        async def call(lk, proto):
            return await lk.agent_dispatch.create_dispatch(proto.agent_dispatch.CreateAgentDispatchRequest(
                agent_name=dispatch.agent_name, room=room, metadata=dispatch.metadata))
        return self._run(call).id

    @traced
    def list_dispatches(self, room: str) -> list[AgentDispatch]:
        async def call(lk, proto):
            return await lk.agent_dispatch.list_dispatch(room_name=room)
        return [AgentDispatch(d.agent_name, d.metadata) for d in self._run(call)]

    @traced
    def list_egress(self, room: str, *, active: bool = False) -> list[tuple[str, str]]:
        """(egress id, status name) of the room's egresses."""
        async def call(lk, proto):
            return await lk.egress.list_egress(proto.egress.ListEgressRequest(room_name=room, active=active))
        from livekit.protocol.egress import EgressStatus

        return [(e.egress_id, EgressStatus.Name(e.status)) for e in self._run(call).items]

    @traced
    def stop_egress(self, egress_id: str) -> str:
        async def call(lk, proto):
            return await lk.egress.stop_egress(proto.egress.StopEgressRequest(egress_id=egress_id))
        from livekit.protocol.egress import EgressStatus

        return EgressStatus.Name(self._run(call).status)

    # ---- plumbing ------------------------------------------------------------------------------

    def _run(self, call: Callable[[Any, Any], Awaitable[T]]) -> T:
        if not self.configured:
            raise LiveKitError("LiveKit is not configured (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)",
                               code="not_configured")
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self._call(call))
        # Called from inside a running loop: run on a worker thread with its own loop.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self._call(call)).result()

    async def _call(self, call: Callable[[Any, Any], Awaitable[T]]) -> T:
        import aiohttp
        from livekit import api as lkapi
        from livekit import protocol

        try:
            async with lkapi.LiveKitAPI(self.url, self.api_key, self.api_secret,
                                        timeout=aiohttp.ClientTimeout(total=self.timeout)) as lk:
                return await call(lk, protocol)
        except lkapi.TwirpError as exc:
            raise LiveKitError(f"LiveKit {exc.code}: {exc.message}", code=exc.code) from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise LiveKitError(f"LiveKit unreachable: {type(exc).__name__}", code="unavailable") from exc


def _room_egress(proto, room: str, target: RecordingTarget):
    e = proto.egress
    s3 = e.S3Upload(bucket=target.bucket, region=target.region, access_key=target.access_key,
                    secret=target.secret, endpoint=target.endpoint,
                    force_path_style=bool(target.endpoint))
    output = e.EncodedFileOutput(file_type=e.EncodedFileType.Value(target.file_type),
                                 filepath=target.filepath, s3=s3)
    return proto.room.RoomEgress(room=e.RoomCompositeEgressRequest(
        room_name=room, layout="grid", file_outputs=[output]))
