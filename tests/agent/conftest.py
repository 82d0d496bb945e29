"""The meeting assistant's tests: the worker's session driven by real speech through real LiveKit
audio objects (rtc.AudioSource → LocalAudioTrack → AudioStream), Silero VAD, the offline Whisper
model, and a real Postgres knowledge base. No LiveKit server runs here: the room is livekit-agents'
own mock room (publishing is asserted on it) and its events are called as LiveKit would."""
from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from tests.integration.join_support import make_invitation
from tests.support.mock_room import mock_room
from tests.support.pdfs import text_pdf


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def ears():
    """Silero VAD and the offline speech model, loaded once (as the worker's prewarm does)."""
    from livekit.plugins import silero

    from meeting_agent.speech import OfflineWhisperSTT

    engine = OfflineWhisperSTT(threads=2)
    engine.prewarm()
    return silero.VAD.load(force_cpu=True), engine


@pytest.fixture
def room():
    """livekit-agents' mock room, fresh for each test (tests/support/mock_room.py)."""
    return mock_room()


async def wait_for(condition, timeout: float = 60.0, what: str = "condition"):
    """Poll `condition` (sync or async) until it is truthy; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


# ---- a clinic's knowledge base and a meeting session over it ------------------------------------

OTITIS = [
    ("Hypertension follow-up. Measure the blood pressure at every visit. The target is below 130 over 80 "
     "for most adults."),
    ("Acute otitis media in children. The recommended dose of amoxicillin for a child with otitis is 80 to "
     "90 mg per kg per day, divided in two doses, for ten days. Review the child if the fever persists "
     "after 48 hours."),
]
DECOY = [("Design studio handbook. The recommended dose of amoxicillin for a child with otitis is 500 mg "
          "once a day, says this other organisation's document.")]
ANA_SAYS = "What is the recommended dose of amoxicillin for a child with otitis?"
BRUNO_SAYS = "My son has had a fever and ear pain for three days."


@pytest.fixture(scope="module")
def knowledge(database, aws):
    """The clinic (its locale set to English for English speech) holds the otitis protocol; the
    design studio holds a decoy that matches the same question."""
    import psycopg

    from tests.conftest import Api
    from tests.integration.test_knowledge_base import upload

    api = Api()
    token = {who: api.post("/api/v1/auth/login", {"email": f"admin@{who}.local", "password": "doctorlive-dev"})
             .json()["access_token"] for who in ("clinica", "design")}
    with psycopg.connect(database, autocommit=True) as c:
        c.execute("UPDATE entities SET locale = 'en' WHERE name = 'Clínica Cardio Saúde'")
    # Pages long enough (~500 tokens) to be chunks of their own, so sources name one page.
    upload(api, aws, token["clinica"], text_pdf([(page + " ") * 9 for page in OTITIS]),
           filename="otitis-protocol.pdf")
    upload(api, aws, token["design"], text_pdf(DECOY), filename="design-handbook.pdf")
    yield
    with psycopg.connect(database, autocommit=True) as c:
        c.execute("UPDATE entities SET locale = 'pt-BR' WHERE name = 'Clínica Cardio Saúde'")


def build_session(room, conn, ears, *, generator=None, job_id=None, guests=2):
    from doctorlive.assistant.engine import Assistant
    from doctorlive.assistant.repo import AssistantRepo
    from doctorlive.assistant.search import KnowledgeSearch
    from doctorlive.providers.embeddings import get_provider
    from doctorlive.settings import get_settings
    from meeting_agent.session import MeetingSession

    invitation = make_invitation(conn, guests=guests)
    ctx = AssistantRepo(conn).meeting(invitation.room_id)
    s = get_settings()
    vad, engine = ears
    search = KnowledgeSearch(ctx, get_provider(), threshold=s.assistant_similarity_threshold,
                             limit=s.assistant_passages)
    assistant = Assistant(ctx, search, generator, timeout=2.0, attempts=2)
    session = MeetingSession(room, ctx, job_id or f"job-{uuid.uuid4().hex[:8]}", engine=engine, detector=vad,
                             assistant=assistant, search=search, settings=s)
    return invitation, session
