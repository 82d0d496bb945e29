"""The one migration runner, used the same way in dev, tests and the cloud.

Applies `migrations/NNNN_name.sql` in order, each file in its own transaction, recording it in
`schema_migrations` with a checksum. Re-running is a no-op; an applied file that was edited
afterwards is an error (write a new migration instead). A session advisory lock makes
concurrent runners (two deploys, parallel test workers) take turns.

    python -m doctorlive.migrate [DATABASE_URL]
"""
from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_LOCK_ID = 0x646C6D67  # "dlmg"


@dataclass(frozen=True)
class Migration:
    version: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


class MigrationError(RuntimeError):
    pass


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = sorted(directory.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    versions = [p.name.split("_", 1)[0] for p in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a number in {directory}")
    return [Migration(p.stem, p) for p in found]


def migrate(conninfo: str, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations; return the versions applied by this call."""
    applied_now: list[str] = []
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_ID,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version text PRIMARY KEY, checksum text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = dict(conn.execute("SELECT version, checksum FROM schema_migrations").fetchall())
            for m in discover(directory):
                if m.version in done:
                    if done[m.version] != m.checksum:
                        raise MigrationError(f"{m.path.name} changed after it was applied")
                    continue
                with conn.transaction():
                    conn.execute(m.sql)
                    conn.execute("INSERT INTO schema_migrations (version, checksum) VALUES (%s, %s)",
                                 (m.version, m.checksum))
                applied_now.append(m.version)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_ID,))
    return applied_now


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        url = argv[1]
    else:
        from doctorlive.settings import get_settings

        url = get_settings().database_url
    applied = migrate(url)
    print(f"migrations applied: {', '.join(applied) if applied else 'none (up to date)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
