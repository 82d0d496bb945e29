"""The admin and scheduling site in a real browser (Debian Chromium) against the dev stack of
tests/web/conftest.py, with the admin site's Vite build served as `make dev` serves it.

Journeys: log in and create a department; schedule a meeting and see its invitation arrive in
the e-mail sink, then cancel it; an expired access token mid-session is refreshed without a
logout; an invited PROFESSIONAL sets a password from the e-mailed link and sees only meetings
and knowledge search. With DOCS_SCREENSHOTS=1 the screenshots replace docs/admin-*.png.
"""
from __future__ import annotations

import json
import os
import re
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.integration.rooms_support import free_port, patched_env  # noqa: F401

playwright = pytest.importorskip("playwright.sync_api", reason="the dev extra (playwright) is not installed")
expect = playwright.expect

DOCS = Path(__file__).resolve().parents[2] / "docs"
PASSWORD = "doctorlive-dev"
SET_PASSWORD_RE = re.compile(r"(https?://\S+/set-password\?token=[A-Za-z0-9_%-]+)")


@pytest.fixture
def shots(tmp_path) -> Path:
    return DOCS if os.environ.get("DOCS_SCREENSHOTS") == "1" else tmp_path


@pytest.fixture(scope="session")
def admin_site(web_stack):
    from devstack import sites

    sites.build(sites.ADMIN_SITE)  # npm ci / npm run build when missing or stale
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    site = sites.StaticSite(sites.ADMIN_SITE / "dist", sites.admin_site_config(web_stack.api_url), port=port,
                            connect_to=(os.environ.get("LOCALSTACK_URL", ""),)).start()
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
    page.screenshot(path=str(shots / "admin-dashboard.png"), full_page=True)

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
