"""Issue 11 item 7: no secret on a command line. Anyone on the machine reads every process's
argv (`ps`, /proc/<pid>/cmdline); the environment (/proc/<pid>/environ) only its owner and root.
`make dev`'s spawned processes get their secrets by environment."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.integration.rooms_helpers import free_port


def argv_of(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


@pytest.fixture
def dev_sinks():
    """The sinks and the LiveKit stand-in as `make dev` spawns them (devstack.sinks.start_dev)."""
    from devstack.runner import Stack
    from devstack.sinks import dev_env, start_dev

    before = dict(os.environ)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEKIT_")}
    env.update(SINK_SMTP_PORT=str(free_port()), SINK_INBOX_PORT=str(free_port()),
               SINK_WHATSAPP_PORT=str(free_port()), LIVEKIT_STUB_PORT=str(free_port()))
    stack = Stack(env=env)
    try:
        started = start_dev(stack, env, free_port())
        # It says what it adds (make dev passes it on) and changes neither its caller's
        # environment nor this process's settings.
        assert dict(os.environ) == before and "LIVEKIT_URL" not in env
        assert {"LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", *dev_env(env)} <= set(started.env)
        env.update(started.env)
        yield stack, env
    finally:
        stack.stop()


def test_the_livekit_stand_in_gets_its_secret_by_environment_not_on_its_command_line(dev_sinks):
    from devstack.livekit_stub import DEV_API_SECRET
    from doctorlive.livekit.client import LiveKitError, RoomService

    stack, env = dev_sinks
    procs = dict(stack.procs)
    assert "livekit stand-in" in procs
    secret = env["LIVEKIT_API_SECRET"]
    assert secret == DEV_API_SECRET
    for name, proc in stack.procs:
        argv = argv_of(proc.pid)
        assert not [a for a in argv if secret in a], f"{name}: the secret is on its command line"
        for value in (env.get("WHATSAPP_TOKEN"), env.get("NOTIFICATION_KEY"), env.get("JWT_PRIVATE_KEY")):
            assert not value or not [a for a in argv if value in a], name
    # The stand-in really took the secret from its environment: it accepts calls signed with it...
    url = env["LIVEKIT_URL"]
    service = RoomService(url, env["LIVEKIT_API_KEY"], secret)
    service.create_room("room_argv_check")
    assert "room_argv_check" in {r.name for r in service.list_rooms()}
    # ... and refuses others.
    with pytest.raises(LiveKitError):
        RoomService(url, env["LIVEKIT_API_KEY"], "another-secret-" + "x" * 32).list_rooms()


def test_the_stand_in_refuses_a_secret_on_its_command_line():
    """Nobody can put it back on the command line by habit: the option is gone."""
    from devstack import livekit_stub

    with pytest.raises(SystemExit):
        livekit_stub.arguments().parse_args(["--port", "0", "--api-secret", "visible-to-everyone"])
