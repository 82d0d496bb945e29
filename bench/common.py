"""What the benchmarks share: a fresh database of their own on the dev PostgreSQL."""
from __future__ import annotations


def fresh_database(name: str) -> str:
    """`name` dropped and created again on the dev PostgreSQL (started if needed); its URL."""
    import psycopg

    from devstack.postgres import Cluster

    cluster = Cluster.from_env()
    if not cluster.running():
        cluster.start()
    server = cluster.url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"
