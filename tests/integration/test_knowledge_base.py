"""Knowledge base end to end on real components: presigned POST into LocalStack S3 → S3 event →
SQS → kb_ingest handler (via the event pump) → Postgres/pgvector → search through the API."""
from __future__ import annotations

import json
from urllib.parse import unquote_plus

import httpx
import pytest

from tests.support.pdfs import CARDIO_PAGES, drawing_only_pdf, encrypted_pdf, text_pdf
from tests.support.waiting import wait_for


@pytest.fixture(scope="module")
def tokens(database):
    from tests.conftest import Api

    api = Api()

    def login(email):
        return api.post("/api/v1/auth/login", {"email": email, "password": "doctorlive-dev"}).json()["access_token"]
    return {"clinic": login("admin@clinica.local"), "design": login("admin@design.local"),
            "manager": login("manager@conexa.local")}


def upload(api, aws, token, data: bytes, filename="protocolo.pdf", wait=True, **extra) -> str:
    reply = api.post("/api/v1/knowledge-base/uploads",
                     {"filename": filename, "size_bytes": len(data), **extra}, token=token)
    assert reply.status == 202, reply.body
    post = reply.json()["upload"]
    sent = httpx.post(post["url"], data=post["fields"], files={"file": (filename, data, "application/pdf")})
    assert sent.status_code in (200, 201, 204), sent.text
    doc_id = reply.json()["document_id"]
    if wait:
        aws.pump.run_until("kb-ingest", lambda: job(api, token, doc_id)["status"] in ("completed", "failed"),
                           timeout=120)
    return doc_id


def job(api, token, doc_id) -> dict:
    return api.get(f"/api/v1/knowledge-base/jobs/{doc_id}", token=token).json()


def test_upload_ingest_and_search_ranks_the_right_passage_first(api, aws, tokens):
    doc_id = upload(api, aws, tokens["clinic"], text_pdf(CARDIO_PAGES))
    status = job(api, tokens["clinic"], doc_id)
    assert status["status"] == "completed" and status["chunk_count"] >= 1 and status["page_count"] == 4
    result = api.get("/api/v1/knowledge-base?q=which anticoagulant after atrial fibrillation", token=tokens["clinic"]).json()
    top = result["hits"][0]
    assert "apixaban" in top["content"] and top["filename"] == "protocolo.pdf"
    assert top["page_start"] <= 3 <= top["page_end"]
    assert result["embedding_model"].startswith("local:all-MiniLM-L6-v2")


def test_each_page_is_findable_with_its_page_number(api, aws, tokens):
    long_pages = [(p + " ") * 12 for p in CARDIO_PAGES]  # about 600 tokens a page: several chunks
    upload(api, aws, tokens["clinic"], text_pdf(long_pages), filename="long.pdf")
    hits = api.get("/api/v1/knowledge-base?q=sodium intake and exercise for hypertension&limit=3",
                   token=tokens["clinic"]).json()["hits"]
    best = next(h for h in hits if h["filename"] == "long.pdf")
    assert best["page_start"] == 2 and "sodium" in best["content"]


def test_duplicate_s3_event_keeps_the_same_chunk_count(api, aws, tokens, conn, monkeypatch):
    """S3 delivers at least once: the identical record again (same key, ETag and sequencer, so the
    same idempotency key) is answered from the one idempotency record the first delivery wrote,
    reaching neither the ingestion nor the embedder; the chunks stay the ones first written."""
    from functions.events import kb_ingest

    ingested, embedded = [], []
    real_ingest = kb_ingest.ingest
    monkeypatch.setattr(kb_ingest, "ingest",
                        lambda ref, *a, **kw: ingested.append(ref.key) or real_ingest(ref, *a, **kw))
    provider = kb_ingest.get_provider()
    real_embed = provider.embed
    monkeypatch.setattr(provider, "embed", lambda texts: embedded.append(len(texts)) or real_embed(texts))
    records_sql = "SELECT id, status FROM idempotency_records WHERE id LIKE '%kb_ingest.ingest_object#%'"
    records_before = {r["id"] for r in conn.execute(records_sql)}
    sqs, queue = aws.pump.sqs, aws.resources.queues["kb-ingest"].url

    doc_id = upload(api, aws, tokens["clinic"], text_pdf(CARDIO_PAGES), filename="dup.pdf", wait=False)
    key = conn.execute("SELECT s3_key FROM knowledge_documents WHERE id = %s", (doc_id,)).fetchone()["s3_key"]
    s3_event = wait_for(lambda: peek_s3_event(sqs, queue, key), what="the S3 notification")  # left on the queue for the pump
    aws.pump.run_until("kb-ingest", lambda: job(api, tokens["clinic"], doc_id)["status"] == "completed",
                       timeout=120)
    chunks = conn.execute("SELECT id FROM knowledge_chunks WHERE document_id = %s ORDER BY id",
                          (doc_id,)).fetchall()
    assert chunks and ingested == [key] and len(embedded) == 1

    for _ in range(2):  # the very same event delivered twice more
        sqs.send_message(QueueUrl=queue, MessageBody=s3_event)
    aws.pump.run_until("kb-ingest", lambda: queue_is_empty(sqs, queue))

    assert ingested == [key] and len(embedded) == 1
    new_records = [r for r in conn.execute(records_sql) if r["id"] not in records_before]
    assert [r["status"] for r in new_records] == ["COMPLETED"]
    assert conn.execute("SELECT id FROM knowledge_chunks WHERE document_id = %s ORDER BY id",
                        (doc_id,)).fetchall() == chunks
    assert job(api, tokens["clinic"], doc_id)["status"] == "completed"


def peek_s3_event(sqs, queue: str, key: str) -> str | None:
    """The body of the queued S3 notification for `key`, left visible on the queue."""
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                              VisibilityTimeout=0).get("Messages", [])
    for message in got:
        records = json.loads(message["Body"]).get("Records", [])
        if any(unquote_plus(r["s3"]["object"]["key"]) == key for r in records):
            return message["Body"]
    return None


def queue_is_empty(sqs, queue: str) -> bool:
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return all(int(n) == 0 for n in attributes.values())


@pytest.mark.parametrize("name,data,reason", [
    ("corrupt.pdf", b"%PDF-1.4\n this is not really a pdf", "damaged"),
    ("locked.pdf", None, "password-protected"),
    ("scan.pdf", None, "no extractable text"),
])
def test_unreadable_pdfs_end_failed_with_a_reason(api, aws, tokens, name, data, reason):
    data = data or (encrypted_pdf() if name == "locked.pdf" else drawing_only_pdf())
    doc_id = upload(api, aws, tokens["clinic"], data, filename=name)
    status = job(api, tokens["clinic"], doc_id)
    assert status["status"] == "failed" and reason in status["reason"] and status["chunk_count"] == 0


def test_26_mb_is_rejected_before_anything_is_written(api, tokens, conn):
    before = conn.execute("SELECT count(*) AS n FROM knowledge_documents").fetchone()["n"]
    reply = api.post("/api/v1/knowledge-base/uploads",
                     {"filename": "huge.pdf", "size_bytes": 26 * 1024 * 1024}, token=tokens["clinic"])
    assert reply.status == 422 and reply.json()["error"]["details"]["fields"][0]["field"] == "size_bytes"
    assert conn.execute("SELECT count(*) AS n FROM knowledge_documents").fetchone()["n"] == before


def test_upload_rules(api, tokens, conn):
    design = conn.execute("SELECT id FROM entities WHERE name = 'Design Studio XYZ'").fetchone()["id"]
    not_pdf = api.post("/api/v1/knowledge-base/uploads", {"filename": "notes.docx", "size_bytes": 10}, token=tokens["clinic"])
    assert not_pdf.status == 422
    other = api.post("/api/v1/knowledge-base/uploads", {"filename": "a.pdf", "size_bytes": 10, "entity_id": str(design)},
                     token=tokens["clinic"])
    assert other.status == 404
    dept = conn.execute("SELECT id FROM departments WHERE entity_id = %s LIMIT 1", (design,)).fetchone()
    if dept:
        wrong_dept = api.post("/api/v1/knowledge-base/uploads",
                              {"filename": "a.pdf", "size_bytes": 10, "department_id": str(dept["id"])}, token=tokens["clinic"])
        assert wrong_dept.status == 404


def test_presigned_post_is_bound_to_type_and_size(api, tokens):
    reply = api.post("/api/v1/knowledge-base/uploads", {"filename": "small.pdf", "size_bytes": 100}, token=tokens["clinic"]).json()
    post = reply["upload"]
    assert post["fields"]["Content-Type"] == "application/pdf" and post["fields"]["key"].endswith("/small.pdf")
    policy = json.loads(__import__("base64").b64decode(post["fields"]["policy"]))
    assert ["content-length-range", 1, 100] in policy["conditions"]


def test_another_tenants_documents_never_appear(api, aws, tokens):
    brand = "Brand guidelines: the studio logo uses Pantone 286 blue. Never stretch the logo."
    upload(api, aws, tokens["design"], text_pdf([brand]), filename="brand.pdf")
    clinic_hits = api.get("/api/v1/knowledge-base?q=logo Pantone blue brand guidelines", token=tokens["clinic"]).json()["hits"]
    assert all(h["filename"] != "brand.pdf" for h in clinic_hits)
    design_hits = api.get("/api/v1/knowledge-base?q=logo Pantone blue brand guidelines", token=tokens["design"]).json()["hits"]
    assert design_hits and design_hits[0]["filename"] == "brand.pdf"
    clinic_docs = api.get("/api/v1/knowledge-base/documents?limit=100", token=tokens["clinic"]).json()["items"]
    assert all(d["filename"] != "brand.pdf" for d in clinic_docs)


def test_department_search_includes_entity_wide_documents(api, aws, tokens, conn):
    clinic = conn.execute("SELECT id FROM entities WHERE name = 'Clínica Cardio Saúde'").fetchone()["id"]
    depts = {}
    for name in ("Arritmia KB", "Pediatria KB"):
        depts[name] = conn.execute(
            """INSERT INTO departments (entity_id, name) VALUES (%s, %s)
               ON CONFLICT (entity_id, lower(name)) DO UPDATE SET active = true RETURNING id""", (clinic, name)).fetchone()["id"]
    upload(api, aws, tokens["clinic"], text_pdf(["Pediatric vaccination calendar: measles vaccine at twelve months."]),
           filename="peds.pdf", department_id=str(depts["Pediatria KB"]))
    upload(api, aws, tokens["clinic"], text_pdf(["Holter monitoring records the heart rhythm for twenty four hours."]),
           filename="holter.pdf", department_id=str(depts["Arritmia KB"]))
    result = api.get(f"/api/v1/knowledge-base?q=heart rhythm monitoring and anticoagulants&limit=10"
                     f"&department_id={depts['Arritmia KB']}", token=tokens["clinic"]).json()
    files = {h["filename"] for h in result["hits"]}
    assert "holter.pdf" in files and "peds.pdf" not in files
    assert "protocolo.pdf" in files  # entity-wide document


def test_delete_removes_object_and_chunks(api, aws, tokens, conn):
    doc_id = upload(api, aws, tokens["clinic"], text_pdf(["Temporary document about parking rules."]), filename="tmp.pdf")
    key = conn.execute("SELECT s3_key FROM knowledge_documents WHERE id = %s", (doc_id,)).fetchone()["s3_key"]
    assert api.delete(f"/api/v1/knowledge-base/documents/{doc_id}", token=tokens["design"]).status == 404
    assert api.delete(f"/api/v1/knowledge-base/documents/{doc_id}", token=tokens["clinic"]).status == 204
    assert conn.execute("SELECT count(*) AS n FROM knowledge_chunks WHERE document_id = %s", (doc_id,)).fetchone()["n"] == 0
    import boto3
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        boto3.client("s3").head_object(Bucket=aws.resources.env["KNOWLEDGE_BUCKET"], Key=key)


def test_documents_list_with_chunk_counts(api, tokens):
    page = api.get("/api/v1/knowledge-base/documents?limit=2", token=tokens["clinic"]).json()
    assert page["total"] >= 2 and len(page["items"]) == 2
    completed = [d for d in page["items"] if d["status"] == "completed"]
    assert all(d["chunk_count"] > 0 for d in completed)
    assert api.get("/api/v1/knowledge-base/documents", token=tokens["manager"]).status == 422


def test_an_upload_that_never_arrives_ends_failed_with_a_reason(api, tokens, conn):
    reply = api.post("/api/v1/knowledge-base/uploads", {"filename": "lost.pdf", "size_bytes": 1000},
                     token=tokens["clinic"]).json()
    assert job(api, tokens["clinic"], reply["job_id"])["status"] == "pending"
    # The presigned POST expired long ago and no file came.
    conn.execute("UPDATE knowledge_documents SET created_at = now() - interval '2 hours' WHERE id = %s",
                 (reply["document_id"],))
    status = job(api, tokens["clinic"], reply["job_id"])
    assert status["status"] == "failed" and "never arrived" in status["reason"]
