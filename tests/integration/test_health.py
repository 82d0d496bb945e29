"""GET /health answers 200 with the database up and 503 when the database is down."""
from __future__ import annotations

import os

import pytest

from doctorlive import db, settings


def test_health_is_ok_with_the_database_up(api):
    reply = api.get("/health")
    assert reply.status == 200
    assert reply.json() == {"status": "ok", "database": "ok"}


@pytest.fixture
def throwaway_cluster(monkeypatch, database):
    """A second, real PostgreSQL that this test may stop without disturbing the others."""
    import shutil

    from devstack.postgres import Cluster
    from tests.conftest import REPO
    from tests.integration.rooms_helpers import free_port

    data = REPO / ".data" / f"postgres-throwaway-{os.getpid()}"
    cluster = Cluster(data=data, port=free_port())
    cluster.start()
    monkeypatch.setenv("DATABASE_URL", cluster.url)
    settings.get_settings.cache_clear()
    db.reset_pool()
    yield cluster
    cluster.stop()
    shutil.rmtree(data, ignore_errors=True)
    monkeypatch.undo()
    settings.get_settings.cache_clear()
    db.reset_pool()


def test_health_is_503_with_the_database_stopped(api, throwaway_cluster):
    assert api.get("/health").status == 200
    throwaway_cluster.stop()
    reply = api.get("/health")
    assert reply.status == 503
    assert reply.json()["error"]["code"] == "database_unavailable"
