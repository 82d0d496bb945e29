"""From an S3 `ObjectCreated` record to searchable chunks.

pending → processing → completed | failed. A document that cannot be read ends `failed` with a
reason for a person; a transient failure (embedding API, database) raises so SQS redelivers,
and the last allowed delivery marks the document failed before the message goes to the DLQ.
All chunks of a document are written in one transaction that first removes earlier ones, so a
duplicated or redelivered event never leaves duplicate chunks.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote_plus

from doctorlive import db
from doctorlive.knowledge.chunking import chunk_pages
from doctorlive.knowledge.pdf import UnreadableDocument, extract_pages
from doctorlive.knowledge.repo import KnowledgeRepo
from doctorlive.observability import log_unexpected, logger, metrics, span
from doctorlive.settings import get_settings


@dataclass(frozen=True)
class ObjectRef:
    bucket: str
    key: str
    size: int
    etag: str | None

    @classmethod
    def from_s3_record(cls, record: dict) -> ObjectRef:
        s3 = record["s3"]
        return cls(bucket=s3["bucket"]["name"], key=unquote_plus(s3["object"]["key"]),
                   size=int(s3["object"].get("size") or 0), etag=s3["object"].get("eTag"))


def ingest(ref: ObjectRef, s3, embedder, final_attempt: bool = False) -> str:
    """Process one uploaded object; returns the document's resulting status."""
    s = get_settings()
    with db.transaction() as conn:
        repo = KnowledgeRepo(conn)
        doc = repo.document_by_key(ref.key)
        if doc is None:
            logger.warning("object has no document (deleted, or not an upload)", extra={"key": ref.key})
            return "ignored"
        if doc.status == "completed" and doc.object_etag == ref.etag:
            return "completed"  # the same object again: nothing to do
        repo.start_processing(doc.id, ref.etag)
    try:
        if ref.size > s.kb_max_upload_bytes:
            raise UnreadableDocument(f"The file is larger than {s.kb_max_upload_bytes // (1024 * 1024)} MB.")
        with span("ingest.download"):
            data = s3.get_object(Bucket=ref.bucket, Key=ref.key)["Body"].read()
        with span("ingest.extract"):
            pages = extract_pages(data)
        with span("ingest.chunk"):
            chunks = chunk_pages(pages, s.kb_chunk_tokens, s.kb_chunk_overlap_tokens)
        if not chunks:
            raise UnreadableDocument("The PDF has no extractable text.")
        with span("ingest.embed"):
            vectors = embedder.embed([c.content for c in chunks])
    except UnreadableDocument as exc:
        _fail(doc.id, str(exc))
        return "failed"
    except Exception as exc:
        if final_attempt:
            _fail(doc.id, "The document could not be processed after several attempts; "
                             "try uploading it again later.")
        log_unexpected(exc, "ingestion failed; the message will be retried", document_id=str(doc.id))
        raise
    with span("ingest.store"), db.transaction() as conn:
        KnowledgeRepo(conn).replace_chunks(doc, chunks, vectors, embedder.model_id, len(pages))
    metrics.add_metric(name="KnowledgeChunksIngested", unit="Count", value=len(chunks))
    logger.info("document ingested", extra={"document_id": str(doc.id), "pages": len(pages),
                                            "chunks": len(chunks), "model": embedder.model_id})
    return "completed"


def _fail(document_id, reason: str) -> None:
    with db.transaction() as conn:
        KnowledgeRepo(conn).fail(document_id, reason)
    logger.info("document failed", extra={"document_id": str(document_id), "reason": reason})
