"""Waiting for a condition in tests (never for a fixed time)."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(value: Callable[[], T | None], timeout: float = 30.0, what: str = "the condition",
             interval: float = 0.05) -> T:
    """Call `value()` until it returns something truthy and return that; `interval` apart (a
    `value` that long-polls, such as an SQS receive with WaitTimeSeconds, waits on its own)."""
    deadline = time.monotonic() + timeout
    while not (result := value()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} was not met within {timeout}s")
        time.sleep(interval)
    return result
