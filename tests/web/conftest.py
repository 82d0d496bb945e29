"""Browser tests: Debian Chromium (headless, fake camera and microphone) driven by Python
Playwright against a dev stack the fixtures start on free ports, as `make dev` runs it:

- PostgreSQL (tests/conftest.py `database`), LocalStack with the queues and the event pump (`aws`),
- the SMTP and WhatsApp sinks and the LiveKit stand-in (tests/conftest.py),
- the local API gateway (devstack/gateway.py) and the room site's build (devstack/sites.py),
- an RTC recorder where a LiveKit server would be (no LiveKit server can run here): it records
  the token the page connects with.

Never downloads a browser (`playwright install` is not used): Chromium comes from apt, and is
installed when missing if we are root.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
from types import SimpleNamespace

import pytest

from tests.integration.rooms_helpers import free_port, patched_env
from tests.web.rtc_recorder import RtcRecorder

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--use-fake-device-for-media-stream",
                  "--use-fake-ui-for-media-stream"]


def _find_chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _find_chromium()
    if path is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        path = _find_chromium()
    if path is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the dev extra (playwright) is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, web_stack):
    """A fresh browser profile (Brazilian Portuguese, like the clinic's participants) whose console
    errors and CSP violations are kept in `page.problems`."""
    context = browser.new_context(locale="pt-BR", timezone_id="America/Sao_Paulo",
                                  viewport={"width": 1280, "height": 820})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: page.problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
    yield page
    context.close()


@pytest.fixture(scope="session")
def room_site_dist():
    from devstack import sites

    sites.build()  # npm ci / npm run build when missing or older than the sources
    return sites.ROOM_SITE / "dist"


@pytest.fixture(scope="session")
def web_stack(database, aws, sinks, livekit, room_site_dist):
    from devstack.gateway import serve
    from devstack.sites import StaticSite, room_site_config

    recorder = RtcRecorder().start()
    gateway_port, site_port = free_port(), free_port()
    site_url = f"http://127.0.0.1:{site_port}"
    api_url = f"http://127.0.0.1:{gateway_port}"
    # Invitation links point at this site; browsers are sent to the recorder for LiveKit, while
    # the API keeps creating rooms on the LiveKit stand-in (LIVEKIT_URL).
    with patched_env({"ROOM_SITE_URL": site_url, "LIVEKIT_PUBLIC_URL": recorder.url,
                      "GATEWAY_ACCESS_LOG": "0"}):
        gateway = serve("127.0.0.1", gateway_port)
        threading.Thread(target=gateway.serve_forever, name="gateway", daemon=True).start()
        site = StaticSite(room_site_dist, room_site_config(api_url, recorder.url), port=site_port).start()
        aws.pump.start()
        try:
            yield SimpleNamespace(api_url=api_url, site_url=site_url, sinks=sinks, livekit=livekit,
                                  recorder=recorder, site=site)
        finally:
            aws.pump.stop()
            site.stop()
            gateway.shutdown()
            gateway.server_close()
            recorder.stop()
