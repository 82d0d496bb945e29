"""The dev stack's shared pieces, imported by dev.py and by each piece it starts (sinks.py,
sites.py), which import nothing of dev.py:

- `Stack`: the processes `make dev` started and how to stop them, last started first;
- `Started`: what a piece adds to the stack: the lines `make dev` prints and the settings
  (environment variables) the processes started after it get;
- `wait_http`: wait until a server answers;
- `run_until_stopped`: what every dev-stack server's `main()` does after starting: wait for
  Ctrl-C or SIGTERM, then stop what it started.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Started:
    lines: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Stack:
    """`env` is what every spawned process gets: the caller merges each piece's Started.env in."""
    env: dict[str, str]
    procs: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    _stops: list[tuple[str, Callable[[], object]]] = field(default_factory=list)

    def spawn(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        """`python -m <args>` with the stack's environment plus `env`. Secrets go in `env`,
        never in `args`: any user of the machine can read a command line (`ps`)."""
        proc = subprocess.Popen([sys.executable, "-m", *args], cwd=REPO, env={**self.env, **(env or {})})
        self.procs.append((name, proc))
        self._stops.append((name, lambda: _terminate(proc)))
        return proc

    def on_stop(self, name: str, stop: Callable[[], object]) -> None:
        """Something started in another way (a server, this process's event pump)."""
        self._stops.append((name, stop))

    def running(self) -> bool:
        return all(p.poll() is None for _, p in self.procs)

    def stop(self) -> None:
        for name, stop in reversed(self._stops):
            stop()
            print(f"stopped {name}")
        self._stops.clear()


def _terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_http(url: str, timeout: float = 30.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def run_until_stopped(*stops: Callable[[], object]) -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for fn in stops:
            fn()
