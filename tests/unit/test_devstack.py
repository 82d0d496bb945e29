"""The dev stack's pieces: no import circles, and nothing of it runs in a cloud stage."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

DEVSTACK = Path(__file__).resolve().parents[2] / "devstack"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_no_piece_of_the_dev_stack_imports_the_command_that_starts_it():
    """dev.py starts the pieces; what they share is in devstack/runner.py."""
    importers = sorted(p.name for p in DEVSTACK.glob("*.py")
                       if p.name != "dev.py" and "devstack.dev" in _imports(p))
    assert importers == []


def test_the_dev_stack_refuses_a_cloud_stage(tmp_path):
    from devstack.dev import dev_env
    from devstack.postgres import Cluster
    from doctorlive.stages import CloudStageRefusal

    cluster = Cluster.from_env(port=1, data=tmp_path / "pg")
    base = {"JWT_PRIVATE_KEY": "unused", "PYTHONPATH": "."}
    assert dev_env(cluster, base)["STAGE"] == "local"
    for stage in ("dev", "prod"):
        with pytest.raises(CloudStageRefusal, match="the dev stack"):
            dev_env(cluster, {**base, "STAGE": stage})
