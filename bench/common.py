"""What the benchmarks share: a fresh database of their own on the dev PostgreSQL."""
from __future__ import annotations


def fresh_database(name: str) -> str:
    """`name` dropped and created again on the dev PostgreSQL (started if needed); its URL."""
    from devstack.postgres import Cluster

    cluster = Cluster.from_env()
    if not cluster.running():
        cluster.start()
    return cluster.fresh_database(name)
