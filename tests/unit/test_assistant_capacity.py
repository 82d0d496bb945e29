"""How many assistant tasks a number of due meetings asks for (doctorlive.assistant.capacity)."""
from __future__ import annotations

import pytest

from doctorlive.assistant.capacity import Capacity, wanted


@pytest.mark.parametrize(("due", "expected"), [
    (0, Capacity(0, 0)),    # nothing due: no task, and target tracking may not start one
    (1, Capacity(1, 4)),
    (3, Capacity(1, 4)),    # three meetings share a task
    (4, Capacity(2, 4)),
    (7, Capacity(3, 4)),
    (40, Capacity(4, 4)),   # never above the ceiling
])
def test_one_task_per_three_due_meetings_up_to_the_ceiling(due, expected):
    assert wanted(due, ceiling=4, per_task=3) == expected


def test_no_ceiling_means_no_task_and_a_bad_per_task_is_one():
    assert wanted(5, ceiling=0, per_task=3) == Capacity(0, 0)
    assert wanted(2, ceiling=4, per_task=0) == Capacity(2, 4)
