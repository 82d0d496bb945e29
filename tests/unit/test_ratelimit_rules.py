"""The waiting rules of the Postgres rate limiter, without the database."""
from __future__ import annotations

import pytest

from doctorlive.ratelimit import Limit


def test_a_sliding_limit_waits_for_the_oldest_hit_to_leave_the_window():
    limit = Limit(max_hits=5, window_seconds=900)
    assert limit.wait_seconds(4, oldest_age=10, newest_age=1) <= 0
    assert limit.wait_seconds(5, oldest_age=100, newest_age=1) == 800


@pytest.mark.parametrize("hits,newest_age,wait", [
    (9, 0, 0),          # below the limit: go
    (10, 0, 60),        # the limit reached: one minute after the last failure
    (10, 61, -1),       # ... which has passed: one more try
    (11, 0, 120),       # each failure after a lock doubles it
    (12, 0, 240),
    (14, 0, 900),       # capped
    (500, 0, 900),
    (500, 900, 0),
])
def test_a_progressive_limit_locks_longer_with_each_failure_up_to_its_cap(hits, newest_age, wait):
    limit = Limit(max_hits=10, window_seconds=3600, lock_seconds=60, max_lock_seconds=900)
    got = limit.wait_seconds(hits, oldest_age=1000, newest_age=newest_age)
    assert got == wait if wait > 0 else got <= 0
