"""livekit-agents' own mock room (`create_mock_room`), ready for the assistant's tests and
benchmark: its text streams recorded (`captions`), `publish_data` awaitable and recorded, the
event handlers the session registers callable as LiveKit would call them (`emit_event`)."""
from __future__ import annotations

import time
from types import SimpleNamespace


class Writer:
    """What the mock room's stream_text hands back: records the text written to it."""

    def __init__(self, log, kwargs):
        self.log, self.kwargs, self.parts = log, kwargs, []

    async def write(self, text):
        self.parts.append(text)

    async def aclose(self):
        self.log.append({**self.kwargs, "text": "".join(self.parts), "at": time.monotonic()})


def mock_room(on_publish=None):
    """A fresh mock room. `on_publish(data, **kwargs)`, if given, sees every publish_data call."""
    from livekit.agents.ipc.mock_room import create_mock_room

    mock = create_mock_room()
    mock.reset_mock()  # the mock is shared by every caller in the process
    mock.remote_participants = {}
    captions: list[dict] = []

    async def stream_text(**kwargs):
        return Writer(captions, kwargs)

    async def publish_data(data, **kwargs):
        if on_publish is not None:
            on_publish(data, **kwargs)

    mock.local_participant.stream_text.side_effect = stream_text
    mock.local_participant.publish_data.side_effect = publish_data
    mock.captions = captions

    def emit(event, *args):
        for call in mock.on.call_args_list:
            if call.args[0] == event:
                call.args[1](*args)
    mock.emit_event = emit
    return mock


def human(identity: str, name: str):
    """A remote participant as the session sees one (a person, not an agent)."""
    from livekit import rtc

    return SimpleNamespace(identity=identity, name=name, kind=rtc.ParticipantKind.PARTICIPANT_KIND_STANDARD,
                           track_publications={}, sid="PA_" + identity[-6:])
