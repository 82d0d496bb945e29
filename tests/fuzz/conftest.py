import time

import pytest

# What the fuzzer did, printed at the end of the run (operations, cases, seconds).
STATS = {"operations": set(), "cases": 0, "started": None, "finished": None}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.parent.name == "fuzz":
            item.add_marker(pytest.mark.integration)


def record(operation: str) -> None:
    now = time.monotonic()
    STATS["started"] = STATS["started"] or now
    STATS["finished"] = now
    STATS["operations"].add(operation)
    STATS["cases"] += 1


def pytest_terminal_summary(terminalreporter):
    if STATS["cases"]:
        terminalreporter.write_line(
            f"fuzz: {len(STATS['operations'])} operations, {STATS['cases']} cases, "
            f"{STATS['finished'] - STATS['started']:.0f} s")
