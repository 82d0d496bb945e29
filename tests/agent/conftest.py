"""The meeting assistant's tests: the worker's session driven by real speech through real LiveKit
audio objects (rtc.AudioSource → LocalAudioTrack → AudioStream), Silero VAD, the offline Whisper
model, and a real Postgres knowledge base. No LiveKit server runs here: the room is livekit-agents'
own mock room (publishing is asserted on it) and its events are called as LiveKit would."""
from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def ears():
    """Silero VAD and the offline speech model, loaded once (as the worker's prewarm does)."""
    from livekit.plugins import silero
    from meeting_agent.speech import OfflineWhisperSTT

    engine = OfflineWhisperSTT(threads=2)
    engine.prewarm()
    return silero.VAD.load(force_cpu=True), engine


class Writer:
    """What the mock room's stream_text hands back: records the text written to it."""

    def __init__(self, log, kwargs):
        self.log, self.kwargs, self.parts = log, kwargs, []

    async def write(self, text):
        self.parts.append(text)

    async def aclose(self):
        self.log.append({**self.kwargs, "text": "".join(self.parts), "at": time.monotonic()})


@pytest.fixture
def room():
    """livekit-agents' mock room (shared by every test: reset here), with its event handlers
    reachable as LiveKit would call them and its text streams recorded."""
    from livekit.agents.ipc.mock_room import create_mock_room

    mock = create_mock_room()
    mock.reset_mock()
    mock.remote_participants = {}
    captions: list[dict] = []

    async def stream_text(**kwargs):
        return Writer(captions, kwargs)

    mock.local_participant.stream_text.side_effect = stream_text
    mock.local_participant.publish_data.side_effect = None
    mock.captions = captions

    def emit(event, *args):
        for call in mock.on.call_args_list:
            if call.args[0] == event:
                call.args[1](*args)
    mock.emit_event = emit
    return mock


def human(identity: str, name: str):
    from livekit import rtc

    return SimpleNamespace(identity=identity, name=name, kind=rtc.ParticipantKind.PARTICIPANT_KIND_STANDARD,
                           track_publications={}, sid="PA_" + identity[-6:])


async def wait_for(condition, timeout: float = 60.0, what: str = "condition"):
    """Poll `condition` (sync or async) until it is truthy; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)
