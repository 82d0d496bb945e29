"""What every dev-stack server's `main()` does after starting: wait for Ctrl-C or SIGTERM, then
stop what it started."""
from __future__ import annotations

import signal
import threading
from collections.abc import Callable


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
