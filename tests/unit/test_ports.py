"""Every default port of the dev stack, the tests and `make e2e` lies outside Linux's ephemeral
range, where an outgoing connection may already hold it; and each is defined once."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from devstack import ports

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("name", "port"), sorted(ports.DEFAULTS.items()))
def test_every_default_port_is_below_the_ephemeral_range(name, port):
    assert 1024 <= port < ports.EPHEMERAL.start, f"{name}={port} is inside {ports.EPHEMERAL}"


def test_no_two_defaults_share_a_port():
    assert len(set(ports.DEFAULTS.values())) == len(ports.DEFAULTS)


def test_no_default_lies_in_this_machines_ephemeral_range():
    """Linux's default is 32768-60999; a machine may widen it (sysctl ip_local_port_range)."""
    proc = Path("/proc/sys/net/ipv4/ip_local_port_range")
    if not proc.exists():
        pytest.skip("not Linux")
    low, high = map(int, proc.read_text().split())
    inside = {name: port for name, port in ports.DEFAULTS.items() if low <= port <= high}
    assert not inside, f"inside this machine's ephemeral range {low}-{high}: {inside}"


def test_the_lambda_layers_copies_match_devstack_ports(monkeypatch):
    """doctorlive (the Lambda layer) cannot import devstack: its local defaults are literals."""
    from doctorlive.settings import Settings

    for var in ("DATABASE_URL", "SMTP_PORT", "ROOM_SITE_URL", "ADMIN_SITE_URL"):
        monkeypatch.delenv(var, raising=False)
    s = Settings()
    assert urlsplit(s.database_url).port == ports.POSTGRES_DEV
    assert s.smtp_port == ports.SMTP_SINK
    assert urlsplit(s.room_site_url).port == ports.ROOM_SITE
    assert urlsplit(s.admin_site_url).port == ports.ADMIN_SITE


def test_every_user_reads_the_one_definition():
    from devstack import postgres, sites
    from infra.config import StageConfig

    assert postgres.DEFAULT_PORT == ports.POSTGRES_DEV
    assert StageConfig.__dataclass_fields__["local_db_port"].default == ports.POSTGRES_DEV
    assert (sites.ROOM_SITE_PORT, sites.ADMIN_SITE_PORT) == (ports.ROOM_SITE, ports.ADMIN_SITE)
    # localstack/ctl.sh is shell: its default is a copy, held equal here.
    ctl = (REPO / "localstack" / "ctl.sh").read_text()
    assert re.search(r"PORT=\$\{LOCALSTACK_PORT:-(\d+)\}", ctl).group(1) == str(ports.LOCALSTACK)


# A port written next to a host or a "port" word: `127.0.0.1:NNNNN`, `port=NNNNN`, `--port NNNNN`.
_PORT_LITERAL = re.compile(r"(?:(?:127\.0\.0\.1|localhost):|port\w*[\"']?\W{1,4})(\d{4,5})\b", re.IGNORECASE)
_SOURCES = ("devstack", "infra", "tests", "layers", "functions", "localstack", "agent-container", "bench")


def _source_files():
    for top in _SOURCES:
        for path in (REPO / top).rglob("*"):
            if path.suffix in (".py", ".sh", ".md", ".toml", ".json", ".ts", ".tsx", ".yml", ".yaml") \
                    and not any(part in ("node_modules", ".venv", ".venvs", "cdk.out", "dist", ".data")
                                for part in path.parts):
                yield path
    yield from (REPO / name for name in ("README.md", "Makefile", "pyproject.toml", "cdk.json"))


def test_no_fixed_port_in_the_ephemeral_range_is_written_anywhere():
    found = []
    for path in _source_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in _PORT_LITERAL.finditer(text):
            if int(m.group(1)) in ports.EPHEMERAL:
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{path.relative_to(REPO)}:{line}: {m.group(0)}")
    assert not found, "fixed ports inside 32768-60999:\n" + "\n".join(found)
