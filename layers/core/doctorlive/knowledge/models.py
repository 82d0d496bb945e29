from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints, field_validator

from doctorlive.validation import Input, Model

MAX_UPLOAD_BYTES = 25 * 1024 * 1024


class UploadRequest(Input):
    entity_id: UUID | None = Field(None, description="Defaults to the caller's entity")
    department_id: UUID | None = Field(None, description="None = the whole entity")
    filename: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=255)]
    size_bytes: int = Field(gt=0, le=MAX_UPLOAD_BYTES, description="Declared size; S3 enforces it")
    content_type: Literal["application/pdf"] = "application/pdf"

    @field_validator("filename")
    @classmethod
    def _pdf_name(cls, v: str) -> str:
        if not v.lower().endswith(".pdf"):
            raise ValueError("only .pdf files are accepted")
        if any(c in v for c in "/\\\x00"):
            raise ValueError("a file name, not a path")
        return v


class PresignedPost(Model):
    url: str
    fields: dict[str, str]
    expires_in: int
    max_bytes: int


class UploadAccepted(Model):
    document_id: UUID
    job_id: UUID = Field(description="Same as document_id: poll GET /knowledge-base/jobs/{job_id}")
    status: str
    upload: PresignedPost


class Document(Model):
    id: UUID
    entity_id: UUID
    department_id: UUID | None
    department_name: str | None = None
    filename: str
    size_bytes: int | None
    status: str
    status_reason: str | None
    page_count: int | None
    chunk_count: int
    embedding_model: str | None
    processing_started_at: datetime | None
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class Job(Model):
    id: UUID
    document_id: UUID
    status: Literal["pending", "processing", "completed", "failed"]
    reason: str | None
    chunk_count: int
    page_count: int | None
    attempts: int
    created_at: datetime
    processing_started_at: datetime | None
    completed_at: datetime | None


class SearchHit(Model):
    chunk_id: int
    document_id: UUID
    filename: str
    page_start: int
    page_end: int
    department_id: UUID | None
    department_name: str | None
    content: str
    similarity: float


class SearchResult(Model):
    query: str
    entity_id: UUID
    department_id: UUID | None
    embedding_model: str
    threshold: float
    hits: list[SearchHit]
