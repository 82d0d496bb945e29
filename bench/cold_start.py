"""Cold-start cost of every Lambda module: import time in a fresh interpreter (median of 5)
and the size of what the import pulls in (modules and bytes of their files).

    python bench/cold_start.py [--runs 5]

Target: <= 300 ms per API handler on the 2-core dev machine.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PROBE = r"""
import json, os, sys, time
t0 = time.perf_counter()
import importlib
mod = importlib.import_module(sys.argv[1])
elapsed = time.perf_counter() - t0
files = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
size = sum(os.path.getsize(f) for f in files if f and os.path.exists(f))
print(json.dumps({"seconds": elapsed, "modules": len(sys.modules), "bytes": size}))
"""


def lambda_modules() -> list[tuple[str, str]]:
    from functions.api.routes import ROUTES
    from functions.events.wiring import EVENTS

    mods = [("api", f"functions.api.{r.module}") for r in ROUTES]
    mods += [("event", f"functions.events.{e.module}") for e in EVENTS]
    mods.append(("deploy", "functions.events.migrate"))
    return mods


def measure(module: str, runs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "STAGE": "local"}
    samples = []
    for _ in range(runs + 1):  # the first run warms the bytecode cache and is discarded
        out = subprocess.run([sys.executable, "-c", PROBE, module], env=env, cwd=REPO,
                             capture_output=True, text=True, check=True)
        samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    samples = samples[1:]
    return {"ms": statistics.median(s["seconds"] for s in samples) * 1000,
            "modules": samples[-1]["modules"], "mb": samples[-1]["bytes"] / 1e6}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'kind':<7} {'module':<40} {'import ms':>10} {'modules':>8} {'MB':>7}")
    worst = 0.0
    for kind, module in lambda_modules():
        m = measure(module, args.runs)
        if kind == "api":
            worst = max(worst, m["ms"])
        flag = "  over target" if kind == "api" and m["ms"] > 300 else ""
        print(f"{kind:<7} {module:<40} {m['ms']:>10.0f} {m['modules']:>8} {m['mb']:>7.1f}{flag}")
    print(f"\nslowest API handler import: {worst:.0f} ms (target <= 300 ms, median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
