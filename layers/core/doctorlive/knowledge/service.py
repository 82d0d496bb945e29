"""Rules for the knowledge base: who may upload, see, search and delete; presigned uploads."""
from __future__ import annotations

import re
import unicodedata
from uuid import UUID, uuid4

from doctorlive.errors import NotFound, invalid
from doctorlive.knowledge.models import (
    Document,
    Job,
    PresignedPost,
    SearchHit,
    SearchResult,
    UploadAccepted,
    UploadRequest,
)
from doctorlive.knowledge.repo import KnowledgeRepo
from doctorlive.observability import traced
from doctorlive.pagination import Page, PageParams
from doctorlive.settings import get_settings
from doctorlive.tenancy import Principal, Role

ADMINS = (Role.MANAGER, Role.ENTITY_ADMIN)
UPLOAD_PREFIX = "uploads/"


def _check_department(repo: KnowledgeRepo, entity_id: UUID, department_id: UUID | None) -> None:
    if department_id is not None and repo.department_entity(department_id) != entity_id:
        raise NotFound("Department not found in this entity")


def safe_filename(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-.")[:120] or "document.pdf"


def object_key(entity_id: UUID, document_id: UUID, filename: str) -> str:
    return f"{UPLOAD_PREFIX}{entity_id}/{document_id}/{safe_filename(filename)}"


def create_upload(repo: KnowledgeRepo, s3, who: Principal, req: UploadRequest) -> UploadAccepted:
    """A pending document and a presigned S3 POST bound to its key, type and size."""
    who.scope.require_role(*ADMINS)
    s = get_settings()
    entity_id = who.scope.target_entity(req.entity_id)
    _check_department(repo, entity_id, req.department_id)
    if req.size_bytes > s.kb_max_upload_bytes:
        raise invalid("size_bytes", f"at most {s.kb_max_upload_bytes} bytes", "too_large",
                      summary="The file is too large")
    document_id = uuid4()
    key = object_key(entity_id, document_id, req.filename)
    repo.create_document(document_id, entity_id, req.department_id, req.filename, key, req.size_bytes, who.user_id)
    post = s3.generate_presigned_post(
        Bucket=s.knowledge_bucket, Key=key,
        Fields={"Content-Type": req.content_type},
        Conditions=[{"Content-Type": req.content_type}, ["content-length-range", 1, req.size_bytes]],
        ExpiresIn=s.kb_upload_url_ttl_seconds)
    return UploadAccepted(document_id=document_id, job_id=document_id, status="pending",
                          upload=PresignedPost(url=post["url"], fields=post["fields"],
                                               expires_in=s.kb_upload_url_ttl_seconds, max_bytes=req.size_bytes))


def get_job(repo: KnowledgeRepo, who: Principal, job_id: UUID) -> Job:
    who.scope.require_role(*ADMINS)
    doc = repo.get_document(who.scope, job_id)
    if doc is None:
        raise NotFound("Job not found")
    if doc.status == "pending":
        repo.expire_abandoned(doc.entity_id, get_settings().kb_upload_url_ttl_seconds)
        doc = repo.get_document(who.scope, job_id)
    return Job(id=doc.id, document_id=doc.id, status=doc.status, reason=doc.status_reason,
               chunk_count=doc.chunk_count, page_count=doc.page_count, attempts=doc.attempts,
               created_at=doc.created_at, processing_started_at=doc.processing_started_at,
               completed_at=doc.completed_at)


def list_documents(repo: KnowledgeRepo, who: Principal, entity_id: UUID | None, department_id: UUID | None,
                   paging: PageParams) -> Page[Document]:
    who.scope.require_role(*ADMINS)
    entity_id = who.scope.target_entity(entity_id)
    repo.expire_abandoned(entity_id, get_settings().kb_upload_url_ttl_seconds)
    rows, total = repo.list_documents(entity_id, department_id, paging)
    return Page[Document](items=[Document.model_validate(r, from_attributes=True) for r in rows], total=total,
                          page=paging.page, limit=paging.limit)


def delete_document(repo: KnowledgeRepo, s3, who: Principal, document_id: UUID) -> None:
    """Chunks go with the row; the S3 object is deleted before the transaction commits, so a
    failure leaves both in place."""
    who.scope.require_role(*ADMINS)
    doc = repo.get_document(who.scope, document_id)
    if doc is None:
        raise NotFound("Document not found")
    repo.delete_document(document_id)
    s3.delete_object(Bucket=get_settings().knowledge_bucket, Key=doc.s3_key)


@traced
def search(repo: KnowledgeRepo, embedder, who: Principal, q: str, entity_id: UUID | None,
           department_id: UUID | None, limit: int, threshold: float | None = None) -> SearchResult:
    """Top chunks by cosine similarity above the threshold, within one tenant."""
    entity_id = who.scope.target_entity(entity_id)
    _check_department(repo, entity_id, department_id)
    s = get_settings()
    threshold = s.kb_search_threshold if threshold is None else threshold
    vector = embedder.embed([q])[0]
    rows = repo.search(entity_id, department_id, embedder.model_id, vector, limit, s.kb_hnsw_ef_search)
    hits = [SearchHit.model_validate(r, from_attributes=True) for r in rows if r.similarity >= threshold]
    return SearchResult(query=q, entity_id=entity_id, department_id=department_id,
                        embedding_model=embedder.model_id, threshold=threshold, hits=hits)
