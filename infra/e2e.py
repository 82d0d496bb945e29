"""`make e2e`: the CDK app's local stage on LocalStack, tested end to end through its REST API.

    python -m infra.e2e [pytest args...]

Starts what is not running (an embedded Postgres for e2e on its own port and data folder, so
`make dev` data is left alone; LocalStack via localstack/ctl.sh), deploys with
infra/deploy_local.py, runs tests/e2e, and stops only what it started.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from devstack import ports

REPO = Path(__file__).resolve().parents[1]
E2E_PG_PORT = int(os.environ.get("E2E_PG_PORT", ports.POSTGRES_E2E))
E2E_PG_DATA = REPO / ".data" / "postgres-e2e"
CTL = REPO / "localstack" / "ctl.sh"
OUTPUTS = REPO / ".data" / "e2e" / "outputs.json"


def _localstack_running() -> bool:
    status = subprocess.run([str(CTL), "status"], cwd=REPO, check=False,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return status.returncode == 0


def main(argv: list[str]) -> int:
    from devstack.postgres import Cluster

    began = time.perf_counter()
    postgres = Cluster.from_env(port=E2E_PG_PORT, data=E2E_PG_DATA)
    started_postgres = not postgres.running()
    started_localstack = False
    try:
        postgres.start()
        if not _localstack_running():
            subprocess.run([str(CTL), "start"], cwd=REPO, check=True)
            started_localstack = True
        subprocess.run([sys.executable, "-m", "infra.deploy_local", "--db-port", str(E2E_PG_PORT)],
                       cwd=REPO, check=True)
        tests = subprocess.run([sys.executable, "-m", "pytest", "tests/e2e", *argv], cwd=REPO,
                               check=False)
        return tests.returncode
    except subprocess.CalledProcessError as exc:
        print(f"e2e: {exc}", file=sys.stderr)
        return exc.returncode or 1
    finally:
        # tests/e2e run only inside this command: afterwards they skip, whatever becomes of
        # the LocalStack they ran against (`python -m infra.deploy_local` writes it again).
        OUTPUTS.unlink(missing_ok=True)
        if started_localstack:
            subprocess.run([str(CTL), "stop"], cwd=REPO, check=False)
        if started_postgres:
            postgres.stop()
        print(f"e2e: finished in {time.perf_counter() - began:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
