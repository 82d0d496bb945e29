"""The admin and scheduling site in a real browser (Debian Chromium) against the dev stack of
tests/web/conftest.py, with the admin site's Vite build served as `make dev` serves it.

Journeys: log in and create a department; upload a PDF by drag-and-drop, watch its progress bar
and its ingestion (LocalStack S3 event → the event pump → kb_ingest) reach completed, then find a
passage of it by semantic search; a damaged PDF ends failed with the reason, and is deleted with
the keyboard alone through the confirmation dialog; schedule a meeting and see its invitation
arrive in the e-mail sink, then cancel it; an expired access token mid-session is refreshed
without a logout; an invited PROFESSIONAL sets a password from the e-mailed link and sees only
meetings and knowledge search; a meeting's record after it ended (transcript searched, summary,
a recording that plays, AI usage) and the usage page's chart and totals. With DOCS_SCREENSHOTS=1
the screenshots replace docs/admin-*.png (and docs/en/ for the English ones taken here).
"""
from __future__ import annotations

import base64
import json
import os
import re
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.integration.rooms_helpers import free_port, patched_env
from tests.support.pdfs import CARDIO_PAGES, padded_text_pdf

playwright = pytest.importorskip("playwright.sync_api", reason="the dev extra (playwright) is not installed")
expect = playwright.expect

DOCS = Path(__file__).resolve().parents[2] / "docs"
PASSWORD = "doctorlive-dev"
SET_PASSWORD_RE = re.compile(r"(https?://\S+/set-password#token=[A-Za-z0-9_%-]+)")


@pytest.fixture
def shots(tmp_path) -> Path:
    return DOCS if os.environ.get("DOCS_SCREENSHOTS") == "1" else tmp_path


@pytest.fixture(scope="session")
def admin_site(web_stack):
    from devstack import sites

    sites.build(sites.ADMIN_SITE)  # npm ci / npm run build when missing or stale
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    s3 = os.environ.get("AWS_ENDPOINT_URL") or os.environ.get("LOCALSTACK_URL", "")
    # As `make dev` serves it: uploads to LocalStack, recordings played from their bucket only.
    site = sites.StaticSite(sites.ADMIN_SITE / "dist", sites.admin_site_config(web_stack.api_url), port=port,
                            connect_to=(s3,),
                            media_from=(sites.bucket_source(s3, os.environ["RECORDINGS_BUCKET"]),)).start()
    # Set-password links in invitation e-mails point at this site.
    with patched_env({"ADMIN_SITE_URL": url}):
        yield url
    site.stop()


def mails_to(stack, address: str) -> list[dict]:
    with urllib.request.urlopen(f"{stack.sinks.smtp.url}/api/messages", timeout=5) as response:
        return [m for m in json.loads(response.read()) if address in m["to"]]


def wait_for_mail(stack, address: str, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while not (mails := mails_to(stack, address)):
        assert time.monotonic() < deadline, f"no e-mail for {address}"
        time.sleep(0.3)
    return mails[-1]


def log_in(page, site: str, email: str, password: str = PASSWORD):
    page.goto(f"{site}/login")
    form = page.get_by_test_id("login-form")
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Senha").fill(password)
    form.get_by_role("button", name="Entrar").click()
    page.get_by_test_id("main-nav").wait_for()


def test_an_admin_logs_in_and_creates_a_department(page, admin_site, shots):
    log_in(page, admin_site, "admin@clinica.local")
    nav = page.get_by_test_id("main-nav")
    expect(nav).to_contain_text("Painel")
    expect(nav).to_contain_text("Minha entidade")
    page.get_by_test_id("stats").wait_for()

    nav.get_by_role("link", name="Minha entidade").click()
    section = page.get_by_test_id("departments-section")
    name = f"Cardiologia pediátrica {uuid.uuid4().hex[:6]}"
    form = section.get_by_test_id("department-form").last
    form.get_by_label("Nome do departamento").fill(name)
    form.get_by_label("Instruções de IA do departamento").fill("Responda com base nos protocolos pediátricos.")
    expect(form.get_by_test_id("char-counter")).to_contain_text("45 / 8.000")
    form.get_by_role("button", name="Adicionar departamento").click()
    expect(section.get_by_test_id("departments-list")).to_contain_text(name)

    # The session survives a reload.
    page.reload()
    expect(page.get_by_test_id("departments-list")).to_contain_text(name)
    page.screenshot(path=str(shots / "admin-entity.png"), full_page=True)
    assert not [p for p in page.problems if "Content Security Policy" in p], page.problems


# Every value the upload's progressbar takes, recorded in the page as it changes.
RECORD_PROGRESS = """
window.__progress = [];
new MutationObserver((records) => {
  for (const r of records) {
    if (r.target.getAttribute && r.target.getAttribute('role') === 'progressbar')
      window.__progress.push(Number(r.target.getAttribute('aria-valuenow')));
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
"""

INGEST_TIMEOUT_MS = 180_000  # the offline embedding model's first load, on a busy machine


def drop_file(page, target, name: str, data: bytes, mime: str = "application/pdf"):
    """Drag-and-drop of a file from the desktop: a drop event whose DataTransfer holds it."""
    transfer = page.evaluate_handle("""([name, b64, mime]) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, { type: mime }));
        return dt;
    }""", [name, base64.b64encode(data).decode(), mime])
    target.dispatch_event("dragover", {"dataTransfer": transfer})
    target.dispatch_event("drop", {"dataTransfer": transfer})


def test_an_admin_uploads_a_pdf_watches_it_ingested_and_finds_it_by_search(page, admin_site, shots):
    page.add_init_script(RECORD_PROGRESS)
    log_in(page, admin_site, "admin@clinica.local")
    page.get_by_test_id("main-nav").get_by_role("link", name="Base de conhecimento").click()
    name = f"protocolo-cardio-{uuid.uuid4().hex[:6]}.pdf"
    # 1.5 MB at 1 MB/s upstream: the bytes take long enough to leave for the bar to move.
    # Pages of about 600 tokens: several passages, each with its own pages.
    data = padded_text_pdf([(text + " ") * 12 for text in CARDIO_PAGES], 1_500_000)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": 1024 * 1024})
    drop_file(page, page.get_by_test_id("drop-zone"), name, data)

    item = page.get_by_test_id("upload-item").filter(has_text=name)
    bar = item.get_by_role("progressbar", name=f"Enviando {name}")
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=60_000)
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    seen = page.evaluate("window.__progress")
    assert seen and seen[-1] == 100 and seen == sorted(seen), seen
    assert any(0 < v < 100 for v in seen), f"the bar jumped straight to 100: {seen}"

    # The dev stack's event pump feeds LocalStack's S3 event to kb_ingest; the page polls the job.
    expect(item).to_have_attribute("data-status", "completed", timeout=INGEST_TIMEOUT_MS)
    expect(item.get_by_role("status")).to_contain_text(re.compile(r"Pronto: \d+ trechos? de 4 páginas"))
    row = page.get_by_test_id("document-row").filter(has_text=name)
    cells = row.get_by_role("cell")
    expect(cells.nth(2)).to_have_text("4")  # pages
    assert int(cells.nth(3).inner_text()) >= 1  # passages
    expect(cells.nth(4)).to_contain_text("all-MiniLM-L6-v2")  # the offline model
    expect(cells.nth(5)).to_contain_text("Pronto")

    search = page.get_by_test_id("search-form")
    search.get_by_label("Pergunte à base de conhecimento").fill("which anticoagulant after atrial fibrillation")
    search.get_by_role("button", name="Buscar").click()
    hits = page.get_by_test_id("search-hit").filter(has_text=name)
    expect(hits.first).to_be_visible(timeout=30_000)
    page.screenshot(path=str(shots / "admin-knowledge.png"), full_page=True)
    expand = hits.get_by_role("button", name="Ver o trecho inteiro")
    for _ in range(expand.count()):
        expand.first.click()  # it becomes "Ver menos"
    # The best passage of this document that states the answer, and where it is.
    hit = hits.filter(has_text="apixaban").first
    expect(hit.get_by_test_id("hit-document")).to_have_text(name)
    expect(hit.get_by_test_id("hit-pages")).to_have_text(re.compile(r"^(página 3|páginas [1-3]–[3-4])$"))
    expect(hit.get_by_test_id("hit-similarity")).to_have_text(re.compile(r"^\d{1,3}% de similaridade$"))
    assert hits.first.get_by_test_id("hit-pages").inner_text() != "página 4"  # billing is not an answer
    assert not [p for p in page.problems if "Content Security Policy" in p], page.problems


def test_a_damaged_pdf_ends_failed_with_the_reason_and_is_deleted_by_keyboard(page, admin_site):
    log_in(page, admin_site, "admin@clinica.local")
    page.goto(f"{admin_site}/knowledge")
    # Not a PDF at all: refused in the page, nothing is uploaded.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="escolha arquivos").click()
    chooser.value.set_files(files=[{"name": "notas.txt", "mimeType": "text/plain", "buffer": b"just notes"}])
    expect(page.get_by_role("alert")).to_contain_text("notas.txt não é um PDF.")
    expect(page.get_by_test_id("upload-item")).to_have_count(0)

    # A PDF that is not one inside: uploaded, then failed with the ingestion's reason.
    name = f"danificado-{uuid.uuid4().hex[:6]}.pdf"
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="escolha arquivos").click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "application/pdf",
                                    "buffer": b"%PDF-1.4\n this is not really a pdf"}])
    item = page.get_by_test_id("upload-item").filter(has_text=name)
    expect(item.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100", timeout=60_000)
    expect(item).to_have_attribute("data-status", "failed", timeout=INGEST_TIMEOUT_MS)
    expect(item.get_by_role("status")).to_contain_text("Falhou: The PDF is damaged")
    row = page.get_by_test_id("document-row").filter(has_text=name)
    expect(row).to_contain_text("Falhou")
    expect(row).to_contain_text("damaged")

    # Delete it with the keyboard: the dialog takes focus, keeps it, and gives it back.
    delete = row.get_by_role("button", name=f"Excluir {name}")
    delete.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog", name=f"Excluir {name}?")
    expect(dialog).to_be_visible()
    cancel, confirm = dialog.get_by_role("button", name="Cancelar"), dialog.get_by_role("button", name="Excluir")
    expect(cancel).to_be_focused()
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    page.keyboard.press("Tab")  # past the last button: back to the first, not to the page behind
    expect(cancel).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(confirm).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(delete).to_be_focused()
    page.keyboard.press("Enter")
    expect(cancel).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(row).to_have_count(0)
    expect(page.locator("#main")).to_be_focused()  # the row that opened it is gone


def test_schedule_a_meeting_the_invitation_arrives_then_cancel_it(page, admin_site, web_stack, shots):
    log_in(page, admin_site, "admin@clinica.local")
    page.get_by_test_id("main-nav").get_by_role("link", name="Reuniões").click()
    page.get_by_test_id("new-meeting").click()
    form = page.get_by_test_id("meeting-form")
    form.get_by_label("Título").fill("Consulta de retorno")
    address = f"carla.{uuid.uuid4().hex[:8]}@example.org"
    row = form.get_by_test_id("participant-row").first
    row.get_by_label("Nome 1").fill("Carla Dias")
    row.get_by_label("E-mail").fill("carla@invalid")
    form.get_by_test_id("schedule-submit").click()
    expect(row.get_by_test_id("field-error")).to_contain_text("Não é um endereço de e-mail")
    row.get_by_label("E-mail").fill(address)
    page.screenshot(path=str(shots / "admin-schedule.png"), full_page=True)
    with page.expect_request(lambda r: r.url.endswith("/api/v1/rooms") and r.method == "POST") as sent:
        form.get_by_test_id("schedule-submit").click()
    assert re.fullmatch(r"[0-9a-f-]{36}", sent.value.headers.get("idempotency-key", ""))
    page.get_by_test_id("meeting-page").wait_for()

    mail = wait_for_mail(web_stack, address)
    assert "Consulta de retorno" in (mail.get("subject", "") + mail["text"])
    expect(page.get_by_test_id("email-status")).to_contain_text("enviado", timeout=20_000)
    page.screenshot(path=str(shots / "admin-meeting.png"), full_page=True)

    page.get_by_test_id("cancel-meeting").click()
    page.get_by_test_id("confirm-dialog").get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("Cancelada")
    deadline = time.monotonic() + 60
    while len(mails_to(web_stack, address)) < 2:  # the cancellation notice
        assert time.monotonic() < deadline, "no cancellation e-mail"
        time.sleep(0.3)


def test_an_expired_access_token_is_refreshed_without_logging_out(page, admin_site):
    with patched_env({"ACCESS_TOKEN_TTL_SECONDS": "2"}):
        log_in(page, admin_site, "admin@clinica.local")
        page.get_by_test_id("stats").wait_for()
        time.sleep(3)  # the token must really have expired: this is the behaviour under test
        refreshes = []
        page.on("request", lambda r: refreshes.append(r) if r.url.endswith("/api/v1/auth/refresh") else None)
        # The entity page fires several requests at once, each meeting the expired token.
        page.get_by_test_id("main-nav").get_by_role("link", name="Minha entidade").click()
        page.get_by_test_id("users-table").wait_for()
        page.get_by_test_id("departments-section").wait_for()
        assert len(refreshes) == 1
        assert "/login" not in page.url
        expect(page.get_by_test_id("who")).to_contain_text("Administrador da entidade")


def test_an_invited_professional_sets_a_password_and_sees_only_their_meetings(page, admin_site, web_stack, browser):
    log_in(page, admin_site, "admin@clinica.local")
    page.get_by_test_id("main-nav").get_by_role("link", name="Minha entidade").click()
    invite = page.get_by_test_id("invite-form")
    address = f"dra.elisa.{uuid.uuid4().hex[:8]}@example.org"
    invite.get_by_label("Nome").fill("Dra. Elisa Prado")
    invite.get_by_label("E-mail").fill(address)
    invite.get_by_role("button", name="Convidar usuário").click()
    expect(invite.get_by_test_id("notice")).to_contain_text(address)
    link = SET_PASSWORD_RE.search(wait_for_mail(web_stack, address)["text"]).group(1)
    assert link.startswith(admin_site)

    professional = browser.new_context(locale="pt-BR").new_page()
    professional.goto(link)
    form = professional.get_by_test_id("set-password-form")
    form.get_by_label("Nova senha", exact=True).fill("senha-da-elisa-1")
    form.get_by_label("Repita a nova senha").fill("senha-da-elisa-1")
    form.get_by_role("button", name="Salvar senha").click()
    professional.get_by_role("link", name="Ir para o login").click()
    log_in(professional, admin_site, address, "senha-da-elisa-1")
    nav = professional.get_by_test_id("main-nav")
    assert nav.get_by_role("link").all_inner_texts() == ["Reuniões", "Busca na base"]
    expect(professional).to_have_url(re.compile(r"/meetings$"))
    expect(professional.get_by_test_id("empty")).to_be_visible()  # the admin's meetings are not theirs
    professional.goto(f"{admin_site}/entities")  # not theirs: sent home, no 403 page
    expect(professional).to_have_url(re.compile(r"/meetings$"))
    professional.context.close()


def api_call(stack, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(f"{stack.api_url}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"content-type": "application/json",
                                              **({"authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_the_dashboard_lists_the_next_meetings_soonest_first(page, admin_site, web_stack, shots):
    token = api_call(web_stack, "POST", "/api/v1/auth/login",
                     {"email": "admin@clinica.local", "password": PASSWORD})["access_token"]
    # Sooner than any other test's meetings (an hour away), and scheduled latest first: the
    # dashboard shows the next ones, soonest first, whatever order they were made in.
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)
    tag = uuid.uuid4().hex[:4]
    for minutes, title in ((20, f"Revisão anual {tag}"), (10, f"Retorno {tag}"), (0, f"Primeira consulta {tag}")):
        start = soon + timedelta(minutes=minutes)
        api_call(web_stack, "POST", "/api/v1/rooms", {
            "title": title, "scheduled_start": start.isoformat(), "scheduled_end": (start + timedelta(minutes=30)).isoformat(),
            "participants": [{"name": "Carla Dias", "email": f"carla.{tag}@example.org"}]}, token)
    log_in(page, admin_site, "admin@clinica.local")
    upcoming = page.get_by_test_id("upcoming")
    expect(upcoming).to_contain_text(f"Revisão anual {tag}")
    titles = [t for t in upcoming.get_by_role("link").all_inner_texts() if t.endswith(tag)]
    assert titles == [f"Primeira consulta {tag}", f"Retorno {tag}", f"Revisão anual {tag}"], titles
    page.get_by_test_id("recent-activity").or_(page.get_by_test_id("empty")).first.wait_for()
    # This month's AI usage and cost: the API's totals for the month (UTC).
    today = datetime.now(UTC).date()
    month = api_call(web_stack, "GET", f"/api/v1/agent-usage?from_date={today:%Y-%m}-01&to_date={today.isoformat()}", token=token)
    expect(page.get_by_test_id("stat-ai-cost")).to_have_text(pt_usd(month["totals"]["cost_usd"]))
    page.screenshot(path=str(shots / "admin-dashboard.png"), full_page=True)


# ---- after the meeting: its record, and AI usage -------------------------------------------------

SAID = [
    ("Carla Dias", "Bom dia, doutor. A pressão continua alta de manhã, perto de 15 por 9."),
    ("Dr. Rafael Lima", "Vamos ajustar a dose da losartana para 100 mg e medir a pressão duas vezes ao dia."),
    ("Carla Dias", "Combinado. Posso continuar a caminhada de 30 minutos?"),
    ("Dr. Rafael Lima", "Pode, e traga o diário da pressão no retorno, em duas semanas."),
]


def pt_usd(amount: str) -> str:
    """An exact decimal string as the admin site writes US dollars in pt-BR: cents at least,
    up to six digits, decimal comma (amounts under a thousand)."""
    units, _, cents = amount.partition(".")
    cents = cents.rstrip("0").ljust(2, "0")
    return f"US$\u00a0{units},{cents}"


@pytest.fixture
def recorded_meeting(conn, web_stack):
    """A meeting of the clinic, scheduled through the API with recording on, that took place:
    the agent's transcript, summary and costed usage rows, and a real MP4 recorded by LiveKit
    (its egress_ended webhook, signed, through the gateway, as LiveKit sends it)."""
    admin = api_call(web_stack, "POST", "/api/v1/auth/login", {"email": "admin@clinica.local", "password": PASSWORD})
    token, entity_id = admin["access_token"], admin["user"]["entity_id"]
    # Recording on for the clinic while the test runs (a meeting records only while both are on).
    api_call(web_stack, "PUT", f"/api/v1/entities/{entity_id}", {"record_meetings": True}, token)
    try:
        yield _took_place(conn, web_stack, token, entity_id)
    finally:
        api_call(web_stack, "PUT", f"/api/v1/entities/{entity_id}", {"record_meetings": False}, token)


def _took_place(conn, web_stack, token: str, entity_id: str) -> SimpleNamespace:
    from devstack.livekit_stub import signed_webhook
    from doctorlive.aws import client
    from tests.integration.test_meeting_record import add_usage
    from tests.support.media import tiny_mp4

    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)  # the API schedules ahead
    room = api_call(web_stack, "POST", "/api/v1/rooms", {
        "title": f"Retorno da Carla {uuid.uuid4().hex[:4]}", "scheduled_start": soon.isoformat(),
        "scheduled_end": (soon + timedelta(minutes=30)).isoformat(),
        "participants": [{"name": "Carla Dias", "email": f"carla.{uuid.uuid4().hex[:6]}@example.org"}]}, token)
    assert room["record"] is True
    # ...and it took place two hours ago (the clock moved by data).
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    began, ended = start + timedelta(minutes=1), start + timedelta(minutes=29)
    conn.execute("""UPDATE rooms SET status = 'COMPLETED', scheduled_start = %s, scheduled_end = %s,
                                     started_at = %s, ended_at = %s WHERE id = %s""",
                 (start, start + timedelta(minutes=30), began, ended, room["id"]))
    for i, (speaker, text) in enumerate(SAID):
        conn.execute(
            """INSERT INTO transcript_segments (room_id, speaker_name, segment_id, started_at, ended_at, text, language)
               VALUES (%s, %s, %s, %s, %s, %s, 'pt')""",
            (room["id"], speaker, f"seg-{i}", began + timedelta(seconds=40 * i + 5), began + timedelta(seconds=40 * i + 30), text))
    conn.execute(
        """INSERT INTO meeting_summaries (room_id, summary, action_items, mode, model) VALUES (%s, %s, %s, 'generative', 'gpt-4o-mini')""",
        (room["id"], "Pressão ainda alta pela manhã; losartana ajustada para 100 mg.",
         json.dumps(["Medir a pressão duas vezes ao dia", "Retorno em duas semanas com o diário"])))
    conn.execute("UPDATE meeting_summaries SET created_at = %s, updated_at = %s WHERE room_id = %s",
                 (ended + timedelta(minutes=1), ended + timedelta(minutes=1), room["id"]))  # written as it ended
    add_usage(conn, room["id"], began, prompt=42_000, completion=3_100, stt_seconds=1_560.5, embedding_tokens=12_000)

    key = f"recordings/{entity_id}/{room['id']}/{began:%Y-%m-%dT%H%M%S}.mp4"
    data = tiny_mp4()
    client("s3").put_object(Bucket=os.environ["RECORDINGS_BUCKET"], Key=key, Body=data, ContentType="video/mp4")
    egress = "EG_" + uuid.uuid4().hex[:10]
    event = {"id": "EV_" + uuid.uuid4().hex[:12], "createdAt": str(int(ended.timestamp())), "event": "egress_ended",
             "egressInfo": {"egressId": egress, "roomName": room["livekit_room_name"], "status": "EGRESS_COMPLETE",
                            "startedAt": str(int(began.timestamp()) * 10**9), "endedAt": str(int(ended.timestamp()) * 10**9),
                            "fileResults": [{"filename": key, "size": str(len(data)), "duration": str(1680 * 10**9),
                                             "location": f"{os.environ['AWS_ENDPOINT_URL']}/{os.environ['RECORDINGS_BUCKET']}/{key}"}]}}
    body, auth = signed_webhook(event, web_stack.livekit.api_key, web_stack.livekit.api_secret)
    request = urllib.request.Request(f"{web_stack.api_url}/webhooks/livekit", data=body.encode(), method="POST",
                                     headers={"authorization": auth, "content-type": "application/webhook+json"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert json.loads(reply.read()) == {"status": "applied"}
    return SimpleNamespace(id=room["id"], title=room["title"], token=token, data=data)


def usage_range() -> tuple[str, str]:
    """The usage page's default range: the first day of the month five months back, to today (UTC)."""
    today = datetime.now(UTC).date()
    y, m = divmod(today.year * 12 + today.month - 1 - 5, 12)
    return f"{y:04d}-{m + 1:02d}-01", today.isoformat()


def test_a_meetings_record_and_the_usage_page(page, admin_site, web_stack, recorded_meeting, shots, browser):
    meeting = recorded_meeting
    usage = api_call(web_stack, "GET", f"/api/v1/rooms/{meeting.id}/agent-usage", token=meeting.token)
    log_in(page, admin_site, "admin@clinica.local")
    page.goto(f"{admin_site}/meetings/{meeting.id}")
    record = page.get_by_test_id("meeting-record")
    expect(page.get_by_test_id("meeting-recorded")).to_contain_text("Sim")

    expect(page.get_by_test_id("summary-text")).to_have_text("Pressão ainda alta pela manhã; losartana ajustada para 100 mg.")
    expect(page.get_by_test_id("action-items").get_by_role("listitem")).to_have_text(
        ["Medir a pressão duas vezes ao dia", "Retorno em duas semanas com o diário"])

    transcript = page.get_by_test_id("transcript")
    segments = transcript.get_by_test_id("segment")
    expect(segments).to_have_count(4)
    expect(segments.first).to_contain_text("00:05")  # since LiveKit started the meeting
    expect(segments.first.get_by_test_id("speaker")).to_have_text("Carla Dias")
    expect(segments.nth(1).get_by_test_id("speaker")).to_have_text("Dr. Rafael Lima")
    transcript.get_by_label("Buscar na transcrição").fill("PRESSÃO")
    expect(transcript.get_by_test_id("transcript-count")).to_have_text("3 trechos encontrados")
    expect(segments).to_have_count(3)
    expect(transcript.locator("mark")).to_have_text(["pressão", "pressão", "pressão"])

    recording = page.get_by_test_id("recording")
    expect(recording.get_by_test_id("recording-duration")).to_have_text("28 min")
    player = recording.get_by_test_id("recording-player")
    # The real MP4 loads from its presigned URL (the CSP admits the recordings bucket) and plays.
    page.wait_for_function("(v) => v.readyState >= 1 && v.duration > 1.5", arg=player.element_handle(), timeout=30_000)
    player.evaluate("(v) => { v.muted = true; return v.play(); }")
    page.wait_for_function("(v) => v.currentTime > 0", arg=player.element_handle(), timeout=30_000)
    player.evaluate("(v) => { v.pause(); v.currentTime = 0; }")
    href = recording.get_by_role("link", name="Baixar").get_attribute("href")
    assert href.startswith(f"{os.environ['AWS_ENDPOINT_URL']}/{os.environ['RECORDINGS_BUCKET']}/recordings/")
    with urllib.request.urlopen(href, timeout=30) as download:
        assert download.read() == meeting.data

    figures = page.get_by_test_id("meeting-usage")
    expect(figures.get_by_test_id("usage-cost-value")).to_have_text(pt_usd(usage["totals"]["cost_usd"]))
    expect(figures.get_by_test_id("usage-speech-value")).to_have_text("26 min 01 s")
    expect(figures.get_by_test_id("usage-breakdown")).to_contain_text("Fala para texto")
    transcript.get_by_label("Buscar na transcrição").fill("")
    expect(segments).to_have_count(4)
    transcript.get_by_label("Buscar na transcrição").fill("pressão")  # the screenshot shows a search
    expect(segments).to_have_count(3)
    page.evaluate("document.activeElement.blur()")
    record.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "admin-meeting-record.png"), full_page=True)
    assert not [p for p in page.problems if "Content Security Policy" in p], page.problems

    frm, to = usage_range()
    report = api_call(web_stack, "GET", f"/api/v1/agent-usage?from_date={frm}&to_date={to}", token=meeting.token)
    assert report["total"] >= 1
    page.get_by_test_id("main-nav").get_by_role("link", name="Uso de IA").click()
    totals = page.get_by_test_id("usage-totals")
    expect(totals.get_by_test_id("total-cost-value")).to_have_text(pt_usd(report["totals"]["cost_usd"]))
    expect(totals.get_by_test_id("total-meetings-value")).to_have_text(str(report["total"]))
    chart = page.get_by_test_id("usage-chart")
    expect(chart.locator(".recharts-bar-rectangle").first).to_be_visible()
    expect(chart.locator(".recharts-xAxis .recharts-cartesian-axis-tick")).to_have_count(6)  # six months
    expect(page.get_by_test_id("usage-meeting").filter(has_text=meeting.title)).to_contain_text(pt_usd(usage["totals"]["cost_usd"]))
    page.screenshot(path=str(shots / "admin-usage.png"), full_page=True)
    assert not [p for p in page.problems if "Content Security Policy" in p], page.problems

    if os.environ.get("DOCS_SCREENSHOTS") == "1":  # the same pages in English, for docs/en/
        context = browser.new_context(locale="en-US", timezone_id="America/Sao_Paulo", viewport={"width": 1280, "height": 820})
        context.add_init_script("localStorage.setItem('doctorlive.admin.language', 'en')")
        english = context.new_page()
        english.goto(f"{admin_site}/login")
        form = english.get_by_test_id("login-form")
        form.get_by_label("E-mail").fill("admin@clinica.local")
        form.get_by_label("Password").fill(PASSWORD)
        form.get_by_role("button", name="Log in").click()
        english.get_by_test_id("main-nav").wait_for()
        english.goto(f"{admin_site}/meetings/{meeting.id}")
        expect(english.get_by_test_id("segment")).to_have_count(4)
        english.get_by_label("Search the transcript").fill("pressão")
        expect(english.get_by_test_id("segment")).to_have_count(3)
        english.evaluate("document.activeElement.blur()")
        english.wait_for_function("(v) => v.readyState >= 2", arg=english.get_by_test_id("recording-player").element_handle())
        expect(english.get_by_test_id("usage-breakdown")).to_contain_text("Speech to text")
        english.screenshot(path=str(shots / "en" / "admin-meeting-record.png"), full_page=True)
        english.get_by_test_id("main-nav").get_by_role("link", name="AI usage").click()
        expect(english.get_by_test_id("usage-chart").locator(".recharts-bar-rectangle").first).to_be_visible()
        english.screenshot(path=str(shots / "en" / "admin-usage.png"), full_page=True)
        context.close()
