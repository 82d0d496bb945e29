"""The schema: one runner, idempotent, and the triggers the data model relies on."""
from __future__ import annotations

import psycopg
import pytest

from doctorlive.migrate import MigrationError, discover, migrate


def test_rerunning_migrations_is_a_noop(database, conn):
    before = conn.execute("SELECT count(*) AS n FROM schema_migrations").fetchone()["n"]
    assert migrate(database) == []
    after = conn.execute("SELECT count(*) AS n FROM schema_migrations").fetchone()["n"]
    assert before == after == len(discover())


def test_an_edited_applied_migration_is_refused(database, tmp_path):
    for m in discover():
        (tmp_path / m.path.name).write_text(m.sql)
    first = min(tmp_path.glob("*.sql"))
    first.write_text(first.read_text() + "\n-- edited\n")
    with pytest.raises(MigrationError, match="changed after it was applied"):
        migrate(database, tmp_path)


def test_a_failing_migration_leaves_nothing_behind(database, tmp_path, conn):
    for m in discover():
        (tmp_path / m.path.name).write_text(m.sql)
    (tmp_path / "9999_broken.sql").write_text(
        "CREATE TABLE half_written (id int);\nSELECT * FROM no_such_table;")
    with pytest.raises(psycopg.errors.UndefinedTable):
        migrate(database, tmp_path)
    assert conn.execute("SELECT to_regclass('half_written') AS t").fetchone()["t"] is None
    assert conn.execute("SELECT 1 FROM schema_migrations WHERE version = '9999_broken'").fetchone() is None


def test_knowledge_chunks_have_768d_vectors_with_model_and_hnsw_index(conn):
    col = conn.execute("""SELECT format_type(atttypid, atttypmod) AS t, attstorage FROM pg_attribute
                          WHERE attrelid = 'knowledge_chunks'::regclass AND attname = 'embedding'""").fetchone()
    # half precision keeps a 768-d vector at 1.5 kB, in the row (0016, measured in bench/kb.py)
    assert col["t"] == "halfvec(768)" and col["attstorage"] == "m"
    idx = conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'knowledge_chunks_embedding_hnsw'").fetchone()
    assert "hnsw" in idx["indexdef"] and "halfvec_cosine_ops" in idx["indexdef"]
    model = conn.execute("""SELECT attnotnull FROM pg_attribute WHERE attrelid = 'knowledge_chunks'::regclass
                            AND attname = 'embedding_model'""").fetchone()
    assert model["attnotnull"] is True


def test_a_full_chunks_embedding_stays_in_its_row(database):
    """A tenant's search reads the vector of each of its chunks: stored out of line (TOAST), each
    read is a detour through another table (at 1M chunks, 30-100 ms for a tenant's 2000 chunks).
    A 512-token chunk's text may go out of line; its embedding must not."""
    import random
    import uuid

    from doctorlive import db
    from doctorlive.knowledge.chunking import Chunk
    from doctorlive.knowledge.repo import KnowledgeRepo

    rng = random.Random(3)
    vector = [rng.gauss(0, 1) for _ in range(768)]  # dense, as a real model's: no compression helps
    text = " ".join(f"paciente{rng.randrange(10**6)} pressão arterial" for _ in range(220))  # ~512 tokens
    with db.pool().connection() as c, c.transaction(force_rollback=True):
        entity = c.execute("SELECT id FROM entities WHERE name = 'Clínica Cardio Saúde'").fetchone()["id"]
        key = f"t/{uuid.uuid4()}"
        c.execute("""INSERT INTO knowledge_documents (entity_id, filename, s3_key)
                     VALUES (%s, 'toast.pdf', %s)""", (entity, key))
        doc = KnowledgeRepo(c).document_by_key(key)
        KnowledgeRepo(c).replace_chunks(doc, [Chunk(text, 1, 1, 512)], [vector], "test:dense@768", 1)
        row = c.execute("""SELECT pg_column_toast_chunk_id(embedding) AS out_of_line, pg_column_size(embedding) AS size
                             FROM knowledge_chunks WHERE document_id = %s""", (doc.id,)).fetchone()
        hits = KnowledgeRepo(c).search(entity, None, "test:dense@768", vector, 5, ef_search=40)
    assert row["out_of_line"] is None and row["size"] < 1600
    assert len(hits) == 1 and hits[0].similarity > 0.999


def _room(conn) -> dict:
    entity = conn.execute("SELECT id FROM entities WHERE name = 'Clínica Cardio Saúde'").fetchone()["id"]
    organizer = conn.execute("SELECT id FROM users WHERE email = 'admin@clinica.local'").fetchone()["id"]
    conn.execute("UPDATE entities SET recording_retention_days = 90 WHERE id = %s", (entity,))
    return conn.execute(
        """INSERT INTO rooms (entity_id, organizer_id, title, scheduled_start, scheduled_end, max_participants)
           VALUES (%s, %s, 'Trigger check', now(), now() + interval '1 hour', 5) RETURNING id""",
        (entity, organizer)).fetchone()


def test_updated_at_moves_on_update(conn):
    row = conn.execute("SELECT id, updated_at FROM entities WHERE name = 'Design Studio XYZ'").fetchone()
    new = conn.execute("UPDATE entities SET default_instructions = default_instructions WHERE id = %s "
                       "RETURNING updated_at", (row["id"],)).fetchone()
    assert new["updated_at"] > row["updated_at"]


def test_agent_usage_duration_and_totals_are_derived(conn):
    room = _room(conn)
    usage = conn.execute(
        """INSERT INTO agent_usage (room_id, started_at, ended_at, prompt_tokens, completion_tokens)
           VALUES (%s, '2026-01-01T10:00:00Z', '2026-01-01T10:02:05Z', 1200, 300)
           RETURNING duration_seconds, total_tokens""", (room["id"],)).fetchone()
    assert usage == {"duration_seconds": 125, "total_tokens": 1500}


def test_recording_purge_date_follows_the_entity_retention(conn):
    room = _room(conn)
    rec = conn.execute(
        """INSERT INTO recordings (room_id, livekit_egress_id, ended_at)
           VALUES (%s, 'EG_trigger_check', '2026-03-01T00:00:00Z')
           RETURNING purge_at""", (room["id"],)).fetchone()
    assert rec["purge_at"].isoformat().startswith("2026-05-30")


def test_the_data_model_tables_exist(conn):
    expected = {"users", "entities", "departments", "professionals", "professional_entities",
                "knowledge_documents", "knowledge_chunks", "rooms", "participants",
                "room_participants", "room_events", "agent_session_events", "agent_usage",
                "recordings", "refresh_tokens", "rate_limit_hits", "schema_migrations"}
    rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert expected <= {r["tablename"] for r in rows}
