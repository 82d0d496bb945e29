"""The worker: registers with LiveKit under the assistant's name (explicit dispatch only),
accepts a job only for a room of ours whose meeting has the assistant on and no other assistant
in it, and runs one MeetingSession per job until the room ends or the worker drains.

Both the dispatch callback and the job go through doctorlive.observability.instrument: the
`meeting_agent` loggers write the platform's JSON lines (correlation id: the job id) and each
error they log adds to the AgentErrors metric (EMF, service doctor-live-agent), which alarms."""
from __future__ import annotations

import asyncio
import logging
import os
import socket

from livekit.agents import AgentServer, AutoSubscribe, JobContext, JobProcess, JobRequest

from doctorlive.livekit.dispatch import room_id_from_metadata
from doctorlive.observability import instrument
from doctorlive.settings import get_settings
from meeting_agent.session import open_session, run_in_db

log = logging.getLogger("meeting_agent")
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
DISPLAY_NAMES = {"pt": "Assistente doctor-live", "en": "doctor-live assistant"}


def _prewarm(proc: JobProcess) -> None:
    """Once per job process: the VAD and the offline speech model are loaded before any job."""
    from livekit.plugins import silero

    from meeting_agent.speech import make_stt

    proc.userdata["vad"] = silero.VAD.load(force_cpu=True)
    engine = make_stt(get_settings(), "pt")
    engine.prewarm()


@instrument
async def on_request(req: JobRequest) -> None:
    """Accept or refuse. Refused: metadata that names no room of ours, a meeting without the
    assistant, a closed meeting, or a room another job already holds (never two assistants)."""
    s = get_settings()
    room_id = room_id_from_metadata(req.job.metadata)
    if room_id is None:
        log.warning("dispatch without a room id; refused")
        await req.reject()
        return

    def claim(repo):
        ctx = repo.meeting(room_id)
        if ctx is None or not ctx.assistant_enabled or ctx.status == "CANCELLED":
            return None, "off"
        if req.room.name and req.room.name != f"room_{room_id}":
            return None, "mismatch"
        if not repo.claim(room_id, req.job.id, WORKER_ID, s.agent_lease_seconds):
            return None, "taken"
        return ctx, "ok"

    ctx, why = await asyncio.to_thread(run_in_db, claim)
    if ctx is None:
        log.info("job refused", extra={"room_id": str(room_id), "reason": why})
        await req.reject()
        return
    await req.accept(name=DISPLAY_NAMES.get(ctx.language, DISPLAY_NAMES["en"]),
                     identity=f"assistant_{room_id}", attributes={"doctorlive.role": "assistant"})


# drain_timeout below the Fargate stop timeout (120 s): a draining task still writes notes and usage.
server = AgentServer(setup_fnc=_prewarm, drain_timeout=90)


def configure_from_settings(srv: AgentServer) -> None:
    """LiveKit credentials from settings (Secrets Manager in the cloud) when not in the env."""
    s = get_settings()
    srv._ws_url = srv._ws_url or s.livekit_url
    srv._api_key = srv._api_key or s.livekit_api_key
    srv._api_secret = srv._api_secret or s.livekit_api_secret.get_secret_value()


@server.rtc_session(agent_name=get_settings().agent_name, on_request=on_request)
@instrument
async def entrypoint(ctx: JobContext) -> None:
    from doctorlive.providers.embeddings import get_provider
    from meeting_agent.generation import make_generator
    from meeting_agent.speech import make_stt

    s = get_settings()
    room_id = room_id_from_metadata(ctx.job.metadata)
    meeting = await asyncio.to_thread(run_in_db, lambda r: r.meeting(room_id))
    await ctx.connect(auto_subscribe=AutoSubscribe.AUDIO_ONLY)
    session = open_session(ctx.room, meeting, ctx.job.id, settings=s, detector=ctx.proc.userdata["vad"],
                           engine=make_stt(s, meeting.language), embedder=await asyncio.to_thread(get_provider),
                           generator=make_generator(s))
    ctx.add_shutdown_callback(session.close)  # room closed, job ended or worker draining
    session.on_empty = lambda: ctx.shutdown(reason="everyone left")
    await session.start()
