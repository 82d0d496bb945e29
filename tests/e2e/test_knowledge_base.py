"""The event path of the deployed stack: a PDF POSTed to the presigned S3 URL is ingested by
kb_ingest through the bucket's notification, its SQS queue and the event source mapping."""
from __future__ import annotations

import time

import httpx
import pytest


def test_an_uploaded_pdf_is_ingested_and_searchable(api, login):
    pytest.importorskip("fpdf")
    from tests.support.pdfs import CARDIO_PAGES, text_pdf

    auth = {"Authorization": f"Bearer {login()['access_token']}"}
    data = text_pdf(CARDIO_PAGES)
    reply = api.post("/api/v1/knowledge-base/uploads", headers=auth,
                     json={"filename": "e2e-protocol.pdf", "size_bytes": len(data)})
    assert reply.status_code == 202, reply.text
    post, document_id = reply.json()["upload"], reply.json()["document_id"]
    sent = httpx.post(post["url"], data=post["fields"], trust_env=False, timeout=30,
                      files={"file": ("e2e-protocol.pdf", data, "application/pdf")})
    assert sent.status_code in (200, 201, 204), sent.text

    deadline, job = time.monotonic() + 240, {}
    while time.monotonic() < deadline:
        job = api.get(f"/api/v1/knowledge-base/jobs/{document_id}", headers=auth).json()
        if job.get("status") in ("completed", "failed"):
            break
        time.sleep(2)
    assert job.get("status") == "completed", job
    assert job["chunk_count"] >= 1

    hits = api.get("/api/v1/knowledge-base", headers=auth,
                   params={"q": "which anticoagulant after atrial fibrillation"}).json()["hits"]
    assert any(h["filename"] == "e2e-protocol.pdf" for h in hits)
