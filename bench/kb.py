"""Knowledge-base benchmark: ingestion throughput and filtered search latency/recall.

    python bench/kb.py [--chunks 100000] [--entities 50] [--queries 300] [--pages 30]

Uses its own database (doctorlive_bench) on the dev Postgres (started if needed) and the same
code paths as production: pdf.extract_pages, chunking.chunk_pages, the active embedding provider,
KnowledgeRepo.replace_chunks and KnowledgeRepo.search (HNSW + pgvector 0.8 iterative scan with
the tenant filter). Recall@5 is measured against exact search (sequential scan) per query.

Targets on the 2-core dev machine: search p95 <= 20 ms, filtered recall@5 >= 0.95.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def database_url() -> str:
    from bench.common import fresh_database

    return fresh_database("doctorlive_bench")


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("STAGE", "local")
    from doctorlive.migrate import migrate

    migrate(url)


def bench_ingestion(pages: int) -> None:
    from doctorlive import db
    from doctorlive.knowledge.chunking import chunk_pages
    from doctorlive.knowledge.pdf import extract_pages
    from doctorlive.knowledge.repo import DocumentRecord, KnowledgeRepo
    from doctorlive.providers.embeddings import get_provider
    from tests.support.pdfs import CARDIO_PAGES, text_pdf

    page_texts = [" ".join(CARDIO_PAGES[(i + j) % 4] for j in range(6)) for i in range(pages)]
    pdf = text_pdf(page_texts)
    t0 = time.perf_counter()
    extracted = extract_pages(pdf)
    t_extract = time.perf_counter() - t0
    chunk_pages(["warm up the tokenizer"])  # loading the BPE ranks is a one-off per container
    t1 = time.perf_counter()
    chunks = chunk_pages(extracted)
    t2 = time.perf_counter()
    provider = get_provider()
    t_load = time.perf_counter()
    vectors = provider.embed([c.content for c in chunks])
    t3 = time.perf_counter()
    with db.transaction() as conn:
        entity = conn.execute("INSERT INTO entities (name, type) VALUES ('Bench ingest', 'bench') RETURNING id").fetchone()["id"]
        doc = conn.execute("""INSERT INTO knowledge_documents (entity_id, filename, s3_key) VALUES (%s, 'bench.pdf', %s)
                              RETURNING *""", (entity, f"bench/{uuid.uuid4()}")).fetchone()
        KnowledgeRepo(conn).replace_chunks(DocumentRecord(**doc), chunks, vectors, provider.model_id, len(extracted))
    t4 = time.perf_counter()
    without_model = t_extract + (t2 - t1) + (t4 - t3)
    print(f"ingestion: {pages} pages, {len(pdf) / 1e6:.2f} MB, {len(chunks)} chunks, model {provider.model_id}")
    print(f"  extract      {t_extract:7.2f} s   {pages / t_extract:8.1f} pages/s")
    print(f"  chunk        {t2 - t1:7.2f} s   {len(chunks) / (t2 - t1):8.1f} chunks/s")
    print(f"  model load   {t_load - t2:7.2f} s   (once per container)")
    print(f"  embed        {t3 - t_load:7.2f} s   {len(chunks) / (t3 - t_load):8.1f} chunks/s  (the model)")
    print(f"  write        {t4 - t3:7.2f} s   {len(chunks) / (t4 - t3):8.1f} chunks/s")
    print(f"  pipeline without the model: {pages / without_model:.1f} pages/s, {len(chunks) / without_model:.1f} chunks/s")
    print(f"  end to end (model loaded):  {pages / (without_model + t3 - t_load):.1f} pages/s, "
          f"{len(chunks) / (without_model + t3 - t_load):.1f} chunks/s")


def bench_search(chunks: int, entities: int, queries: int, seed: int = 7) -> None:
    import numpy as np
    from pgvector.psycopg import register_vector

    from doctorlive import db
    from doctorlive.knowledge.repo import KnowledgeRepo

    rng = np.random.default_rng(seed)
    native, dims, topics = 384, 768, 20
    model = "bench:clustered@384"
    per_entity = chunks // entities
    print(f"\nsearch: {chunks} chunks over {entities} entities ({per_entity} each), {topics} topics/entity, "
          f"{native}-d padded to {dims}")
    t0 = time.perf_counter()
    centers = {}
    with db.pool().connection() as conn:
        register_vector(conn)
        ent_ids = [conn.execute("INSERT INTO entities (name, type) VALUES (%s, 'bench') RETURNING id",
                                (f"Bench {i}",)).fetchone()["id"] for i in range(entities)]
        conn.execute("DROP INDEX IF EXISTS knowledge_chunks_embedding_hnsw")
        conn.commit()
        for e in ent_ids:
            doc = conn.execute("""INSERT INTO knowledge_documents (entity_id, filename, s3_key, status)
                                  VALUES (%s, 'bench.pdf', %s, 'completed') RETURNING id""",
                               (e, f"bench/{uuid.uuid4()}")).fetchone()["id"]
            c = rng.normal(size=(topics, native)).astype(np.float32)
            centers[e] = c / np.linalg.norm(c, axis=1, keepdims=True)
            assign = rng.integers(0, topics, per_entity)
            vecs = centers[e][assign] + rng.normal(scale=0.045, size=(per_entity, native)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            padded = np.zeros((per_entity, dims), dtype=np.float32)
            padded[:, :native] = vecs
            with conn.cursor().copy(
                    "COPY knowledge_chunks (document_id, entity_id, chunk_index, page_start, page_end, content,"
                    " token_count, embedding, embedding_model) FROM STDIN WITH (FORMAT BINARY)") as copy:
                copy.set_types(["uuid", "uuid", "int4", "int4", "int4", "text", "int4", "vector", "text"])
                for i in range(per_entity):
                    copy.write_row((doc, e, i, 1, 1, f"chunk {i}", 100, padded[i], model))
        conn.commit()
        t1 = time.perf_counter()
        print(f"  load         {t1 - t0:7.1f} s")
        conn.execute("SET maintenance_work_mem = '2GB'")
        conn.execute("SET max_parallel_maintenance_workers = 2")
        conn.execute("CREATE INDEX knowledge_chunks_embedding_hnsw ON knowledge_chunks "
                     "USING hnsw (embedding vector_cosine_ops)")
        conn.execute("ANALYZE knowledge_chunks")
        conn.commit()
        t2 = time.perf_counter()
        print(f"  HNSW build   {t2 - t1:7.1f} s")

    latencies, recalls = [], []
    with db.pool().connection() as conn:
        repo = KnowledgeRepo(conn)
        # Warm the cache as a running service would be: one pass over every entity's index pages.
        for e in ent_ids:
            for t in range(0, topics, 4):
                warm = np.concatenate([centers[e][t], np.zeros(dims - native, dtype=np.float32)]).tolist()
                repo.search(e, None, model, warm, 5, ef_search=100)
        conn.commit()
        for _ in range(queries):
            e = ent_ids[rng.integers(0, entities)]
            q = centers[e][rng.integers(0, topics)] + rng.normal(scale=0.06, size=native).astype(np.float32)
            q = np.concatenate([q / np.linalg.norm(q), np.zeros(dims - native, dtype=np.float32)]).tolist()
            start = time.perf_counter()
            got = repo.search(e, None, model, q, 5, ef_search=100)
            latencies.append((time.perf_counter() - start) * 1000)
            conn.commit()
            with conn.transaction():
                conn.execute("SET LOCAL enable_indexscan = off")
                exact = conn.execute(
                    """SELECT id FROM knowledge_chunks WHERE entity_id = %s AND embedding_model = %s
                       ORDER BY embedding <=> %s::vector LIMIT 5""", (e, model, str(q))).fetchall()
            truth = {r["id"] for r in exact}
            recalls.append(len(truth & {r.chunk_id for r in got}) / len(truth))
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    print(f"  {queries} filtered top-5 queries (entity filter, iterative scan, ef_search=100):")
    print(f"  latency p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   (target p95 <= 20 ms)")
    print(f"  recall@5 vs exact: {statistics.mean(recalls):.3f}   (target >= 0.95)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--entities", type=int, default=50)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--skip-ingestion", action="store_true")
    args = parser.parse_args()
    setup(database_url())
    if not args.skip_ingestion:
        bench_ingestion(args.pages)
    bench_search(args.chunks, args.entities, args.queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
