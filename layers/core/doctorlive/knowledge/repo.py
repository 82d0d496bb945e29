"""SQL for knowledge-base documents and chunks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import psycopg

from doctorlive.pagination import PageParams
from doctorlive.sqlutil import fetch_page, many, one
from doctorlive.tenancy import Scope


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A knowledge_documents row (with its department's name where the query joins it)."""
    id: UUID
    entity_id: UUID
    department_id: UUID | None
    filename: str
    s3_key: str
    content_type: str
    size_bytes: int | None
    status: str
    status_reason: str | None
    page_count: int | None
    chunk_count: int
    embedding_model: str | None
    uploaded_by: UUID | None
    processing_started_at: datetime | None
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    attempts: int
    object_etag: str | None
    department_name: str | None = None


@dataclass(frozen=True, slots=True)
class ChunkHit:
    """A chunk found by a search, with its similarity to the query (1 = same direction)."""
    chunk_id: int
    document_id: UUID
    filename: str
    page_start: int
    page_end: int
    department_id: UUID | None
    department_name: str | None
    content: str
    similarity: float

_DOC = """
SELECT d.*, dep.name AS department_name
  FROM knowledge_documents d LEFT JOIN departments dep ON dep.id = d.department_id
"""


class KnowledgeRepo:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    # ---- documents ---------------------------------------------------------------------------
    def create_document(self, document_id: UUID, entity_id: UUID, department_id: UUID | None,
                        filename: str, s3_key: str, size_bytes: int, uploaded_by: UUID) -> DocumentRecord:
        return one(self.conn, DocumentRecord,
                   """INSERT INTO knowledge_documents (id, entity_id, department_id, filename, s3_key, size_bytes, uploaded_by)
                      VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING *""",
                   (document_id, entity_id, department_id, filename, s3_key, size_bytes, uploaded_by))

    def get_document(self, scope: Scope, document_id: UUID) -> DocumentRecord | None:
        where, params = scope.where("d.entity_id")
        return one(self.conn, DocumentRecord, f"{_DOC} WHERE d.id = %(id)s AND {where}",
                   {**params, "id": document_id})

    def list_documents(self, entity_id: UUID, department_id: UUID | None,
                       paging: PageParams) -> tuple[list[DocumentRecord], int]:
        cond = "d.entity_id = %(e)s AND (%(dep)s::uuid IS NULL OR d.department_id = %(dep)s)"
        params = {"e": entity_id, "dep": department_id}
        return fetch_page(self.conn, select=_DOC, table="knowledge_documents d", where=cond, params=params,
                          order_by="d.created_at DESC", limit=paging.limit, offset=paging.offset,
                          record=DocumentRecord)

    def expire_abandoned(self, entity_id: UUID, upload_ttl_seconds: int) -> None:
        """A pending document whose upload URL expired without the file arriving will never be
        processed: say so, instead of leaving it `pending` for ever."""
        self.conn.execute(
            """UPDATE knowledge_documents
                  SET status = 'failed', completed_at = now(),
                      status_reason = 'The file never arrived: the upload was interrupted or its link expired. Upload it again.'
                WHERE entity_id = %s AND status = 'pending'
                  AND created_at < now() - make_interval(secs => %s)""",
            (entity_id, upload_ttl_seconds + 300))

    def delete_document(self, document_id: UUID) -> None:
        self.conn.execute("DELETE FROM knowledge_documents WHERE id = %s", (document_id,))

    def department_entity(self, department_id: UUID) -> UUID | None:
        row = self.conn.execute("SELECT entity_id FROM departments WHERE id = %s", (department_id,)).fetchone()
        return row["entity_id"] if row else None  # one column: a value, not a record

    # ---- ingestion (no tenant scope: driven by S3 events for a known object key) --------------
    def document_by_key(self, s3_key: str) -> DocumentRecord | None:
        return one(self.conn, DocumentRecord, "SELECT * FROM knowledge_documents WHERE s3_key = %s FOR UPDATE",
                   (s3_key,))

    def start_processing(self, document_id: UUID, etag: str | None) -> None:
        self.conn.execute(
            """UPDATE knowledge_documents
                  SET status = 'processing', status_reason = NULL, processing_started_at = now(),
                      completed_at = NULL, attempts = attempts + 1, object_etag = %s
                WHERE id = %s""", (etag, document_id))

    def fail(self, document_id: UUID, reason: str) -> None:
        self.conn.execute(
            """UPDATE knowledge_documents SET status = 'failed', status_reason = %s, completed_at = now()
                WHERE id = %s""", (reason, document_id))

    def replace_chunks(self, document: DocumentRecord, chunks: list, vectors: list[list[float]], model_id: str,
                       page_count: int) -> None:
        """All chunks of a document in one go: earlier ones (a re-upload, a retry) are replaced."""
        self.conn.execute("DELETE FROM knowledge_chunks WHERE document_id = %s", (document.id,))
        with self.conn.cursor() as cur:
            cur.executemany(
                """INSERT INTO knowledge_chunks (document_id, entity_id, department_id, chunk_index,
                       page_start, page_end, content, token_count, embedding, embedding_model)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                [(document.id, document.entity_id, document.department_id, i, c.page_start,
                  c.page_end, c.content, c.token_count, _vector(v), model_id)
                 for i, (c, v) in enumerate(zip(chunks, vectors, strict=True))])
        self.conn.execute(
            """UPDATE knowledge_documents
                  SET status = 'completed', status_reason = NULL, chunk_count = %s, page_count = %s,
                      embedding_model = %s, completed_at = now()
                WHERE id = %s""", (len(chunks), page_count, model_id, document.id))

    # ---- search --------------------------------------------------------------------------------
    def search(self, entity_id: UUID, department_id: UUID | None, model_id: str, query_vector: list[float],
               limit: int, ef_search: int) -> list[ChunkHit]:
        """Nearest chunks of one entity (and one department plus entity-wide documents).

        The chunks are hash-partitioned by entity (migration 0009): the planner prunes to the one
        partition holding this entity, whose own HNSW index covers only the few tenants hashed
        there; pgvector 0.8's iterative index scan keeps scanning until enough rows pass the
        tenant filter, so filtered searches keep their recall. The embeddings are halfvec, in the
        row (0016). Left to itself the planner often prefers the exact path (every one of the
        tenant's rows by the scope index, then a sort); at 1M chunks the HNSW path is the faster
        one (p95 5.7 against 20 ms, bench/kb.py), so bitmap and sequential scans are off for this
        one query (a partition without an HNSW index still gets the exact path), the caller's
        settings restored after it. The chunks' top-k first, then their documents.
        """
        before = self.conn.execute(
            """SELECT current_setting('enable_bitmapscan') AS bitmap, current_setting('enable_seqscan') AS seq,
                      set_config('hnsw.iterative_scan', 'relaxed_order', true),
                      set_config('hnsw.ef_search', %s, true),
                      set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)""",
            (str(ef_search),)).fetchone()
        rows = many(
            self.conn, ChunkHit,
            """SELECT c.id AS chunk_id, c.document_id, d.filename, c.page_start, c.page_end,
                      c.department_id, dep.name AS department_name, c.content, 1 - c.distance AS similarity
                 FROM (SELECT id, document_id, page_start, page_end, department_id, content,
                              embedding <=> %(q)s::halfvec(768) AS distance
                         FROM knowledge_chunks
                        WHERE entity_id = %(e)s AND embedding_model = %(m)s
                          AND (%(dep)s::uuid IS NULL OR department_id IS NULL OR department_id = %(dep)s)
                        ORDER BY distance
                        LIMIT %(limit)s) c
                 JOIN knowledge_documents d ON d.id = c.document_id
                 LEFT JOIN departments dep ON dep.id = c.department_id""",
            {"q": _vector(query_vector), "e": entity_id, "m": model_id, "dep": department_id,
             "limit": limit})
        self.conn.execute("SELECT set_config('enable_bitmapscan', %s, true), set_config('enable_seqscan', %s, true)",
                          (before["bitmap"], before["seq"]))
        # relaxed_order may return neighbours slightly out of order
        return sorted(rows, key=lambda r: r.similarity, reverse=True)


def _vector(values: list[float]):
    """An embedding as stored: half precision (migration 0016)."""
    from pgvector import HalfVector

    return HalfVector(values)
