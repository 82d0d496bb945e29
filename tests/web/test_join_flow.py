"""A participant's way in, in a real browser: the invitation e-mail's link opens the staging area,
wrong passwords are refused and then locked, the right one leads to the meeting page, and the
page connects to LiveKit with the token the API issued for this participant.

Screenshots of the staging area and the meeting page are taken on every run; with
DOCS_SCREENSHOTS=1 they replace docs/staging-area.png and docs/meeting-page.png (README material).
"""
from __future__ import annotations

import json
import os
import re
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="the dev extra (playwright) is not installed")
expect = playwright.expect

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: docs/ when asked to refresh them, else the test's temporary folder."""
    return DOCS if os.environ.get("DOCS_SCREENSHOTS") == "1" else tmp_path
LINK_RE = re.compile(r"(https?://\S+/join#token=([A-Za-z0-9_-]+))")
PASSWORD_RE = re.compile(r"(?:Senha de acesso|Access password): (\d{8})")


def http_json(method: str, url: str, body=None, token: str | None = None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"content-type": "application/json",
                                              **({"authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def invitation_email(stack, address: str, timeout: float = 60.0) -> tuple[str, str, str]:
    """(link, token, password) from the newest e-mail to `address` in the SMTP sink's inbox,
    read over HTTP as a person or script would (GET /api/messages)."""
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(f"{stack.sinks.smtp.url}/api/messages", timeout=5) as response:
            mails = [m for m in json.loads(response.read()) if address in m["to"]]
        if mails:
            text = mails[-1]["text"]
            link, token = LINK_RE.search(text).groups()
            return link, token, PASSWORD_RE.search(text).group(1)
        assert time.monotonic() < deadline, f"no invitation e-mail for {address}"
        time.sleep(0.3)


@pytest.fixture
def meeting(web_stack):
    """A meeting scheduled through the API by the clinic's admin, with two invited participants;
    their invitations are e-mailed through SNS → SQS → the notifier → the SMTP sink."""
    login = http_json("POST", f"{web_stack.api_url}/api/v1/auth/login",
                      {"email": "admin@clinica.local", "password": "doctorlive-dev"})
    start = (datetime.now(UTC) + timedelta(minutes=30)).replace(second=0, microsecond=0)
    tag = uuid.uuid4().hex[:8]
    ana, bruno = f"ana.{tag}@example.org", f"bruno.{tag}@example.org"
    room = http_json("POST", f"{web_stack.api_url}/api/v1/rooms", {
        "title": "Retorno — cardiologia", "description": "Traga os exames de sangue recentes.",
        "scheduled_start": start.isoformat(), "scheduled_end": (start + timedelta(minutes=45)).isoformat(),
        "participants": [{"name": "Ana Souza", "email": ana}, {"name": "Bruno Lima", "email": bruno}],
    }, token=login["access_token"])
    return room, {"ana": ana, "bruno": bruno}


def test_from_the_invitation_email_into_the_meeting(page, web_stack, meeting, shots):
    room, emails = meeting
    link, magic_token, password = invitation_email(web_stack, emails["ana"])
    assert link.startswith(f"{web_stack.site_url}/join#token=")
    # The token is in the fragment: no request the browser makes carries it in its URL (site,
    # API, LiveKit), so no access log can hold it; the API gets it in POST bodies.
    urls, previews = [], []
    page.on("request", lambda r: urls.append(r.url))
    page.on("request", lambda r: previews.append(r) if r.url.endswith("/api/v1/magic-link/preview") else None)

    # The link from the e-mail opens the staging area with the meeting's preview.
    page.goto(link)
    staging = page.get_by_test_id("staging-area")
    staging.wait_for()
    assert "Retorno — cardiologia" in staging.inner_text()
    page.get_by_test_id("camera-preview").wait_for()
    page.wait_for_timeout(1500)  # the fake camera's first frames and the mic meter
    page.screenshot(path=str(shots / "staging-area.png"), full_page=True)

    # A wrong password is refused with a message, and costs one of five attempts.
    wrong = f"{(int(password) + 1) % 10 ** 8:08d}"
    page.get_by_test_id("password-input").fill(wrong)
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("password-error")).to_contain_text("Senha incorreta")

    # The right one leads into the meeting, which connects to LiveKit with the issued token.
    page.get_by_test_id("password-input").fill(password)
    with page.expect_response(lambda r: r.url.endswith(f"/api/v1/rooms/{room['id']}/join")) as join_reply:
        page.get_by_test_id("join-button").click()
    assert join_reply.value.status == 200
    issued = join_reply.value.json()
    page.wait_for_url(re.compile(r"/room#token="))
    page.get_by_test_id("meeting-room").wait_for()

    knocks = web_stack.recorder.wait_for(lambda k: k.path.startswith("/rtc") and k.websocket)
    assert knocks[0].access_token == issued["livekit_token"]
    assert knocks[0].origin == web_stack.site_url
    participant_id = next(p["id"] for p in room["participants"] if p["name"] == "Ana Souza")
    key, secret = web_stack.livekit.api_key, web_stack.livekit.api_secret
    claims = jwt.decode(knocks[0].access_token, secret, algorithms=["HS256"], issuer=key)
    assert claims["sub"] == f"participant_{participant_id}" and claims["name"] == "Ana Souza"
    assert claims["video"] == {"roomJoin": True, "room": f"room_{room['id']}", "canPublish": True,
                               "canSubscribe": True, "canPublishData": True}
    assert 6 * 3600 - 5 <= claims["exp"] - time.time() <= 6 * 3600 + 5
    assert json.loads(claims["metadata"])["type"] == "HUMAN"

    expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "connecting")
    assert urls and not [u for u in urls if magic_token in u], [u for u in urls if magic_token in u]
    assert previews and previews[0].method == "POST" and previews[0].post_data_json == {"token": magic_token}
    page.wait_for_timeout(1500)
    page.screenshot(path=str(shots / "meeting-page.png"))
    assert not [p for p in page.problems if "Content Security Policy" in p], page.problems


def test_five_wrong_passwords_lock_the_invitation(page, web_stack, meeting):
    _, emails = meeting
    link, _, password = invitation_email(web_stack, emails["bruno"])
    page.goto(link)
    page.get_by_test_id("staging-area").wait_for()
    wrong = f"{(int(password) + 7) % 10 ** 8:08d}"
    error, button = page.get_by_test_id("password-error"), page.get_by_test_id("join-button")
    for attempt in range(1, 6):
        page.get_by_test_id("password-input").fill(wrong)
        with page.expect_response(lambda r: r.url.endswith("/api/v1/magic-link/validate")) as reply:
            button.click()
        assert reply.value.status == 401, attempt
        expect(error).to_contain_text("Senha incorreta")
    # The sixth try, even with the right password, meets the 15-minute lock.
    page.get_by_test_id("password-input").fill(password)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/magic-link/validate")) as reply:
        button.click()
    assert reply.value.status == 429
    expect(error).to_contain_text("Muitas tentativas")
    expect(error).to_contain_text("15 minutos")
    expect(button).to_be_disabled()
    assert page.url == link  # still in the staging area


def test_a_link_sent_before_the_change_works_once_and_leaves_the_address_bar(page, web_stack, meeting):
    """Invitations already sent say /join?token=…: the page opens, and its address becomes
    /join#token=… at once, replacing the history entry (nothing to go back to with the token)."""
    _, emails = meeting
    _, magic_token, _ = invitation_email(web_stack, emails["ana"])
    old_link = f"{web_stack.site_url}/join?token={magic_token}"
    page.goto(old_link)
    page.get_by_test_id("staging-area").wait_for()
    page.wait_for_url(f"{web_stack.site_url}/join#token={magic_token}")
    assert "?token=" not in page.evaluate("location.href")
    page.reload()  # a reload sends no token: it is in the fragment now
    page.get_by_test_id("staging-area").wait_for()
    page.go_back()  # the old address was replaced, not pushed: going back leaves the site
    assert magic_token not in page.url and not page.url.startswith(web_stack.site_url)


def test_unknown_links_and_unknown_paths_get_their_pages(page, web_stack):
    page.goto(f"{web_stack.site_url}/join#token=this-invitation-does-not-exist")
    page.get_by_test_id("error-page").wait_for()
    assert page.get_by_test_id("error-page").get_attribute("data-kind") == "invalid_link"
    response = page.goto(f"{web_stack.site_url}/some/unknown/page")
    assert response.status == 200  # SPA routing: the app answers, with its own not-found page
    page.get_by_test_id("error-page").wait_for()
    assert page.get_by_test_id("error-page").get_attribute("data-kind") == "page_not_found"


def test_the_site_serves_a_generated_config_and_protective_headers(web_stack):
    with urllib.request.urlopen(f"{web_stack.site_url}/config.json", timeout=5) as response:
        assert json.loads(response.read()) == {"apiUrl": web_stack.api_url, "livekitUrl": web_stack.recorder.url}
        assert response.headers["Cache-Control"] == "no-store"
    with urllib.request.urlopen(f"{web_stack.site_url}/join", timeout=5) as response:
        headers = response.headers
        assert b'<div id="root">' in response.read()
    assert headers["Referrer-Policy"] == "no-referrer"  # old links carry the token in the query
    assert headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert f"connect-src 'self' {web_stack.api_url}" in headers["Content-Security-Policy"]
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{web_stack.site_url}/assets/missing-chunk.js", timeout=5)
    assert missing.value.code == 404
