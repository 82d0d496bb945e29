"""The assistant with a language model: OpenAI's wire protocol, spoken by a local stand-in
(tests/support/openai_stub.py — no OpenAI here), through livekit-plugins-openai, so the tokens
counted are those the API reported and the cost follows the price table. And when the model is
slow or failing, captions keep flowing and suggestions fall back to quoting."""
from __future__ import annotations

import asyncio
import json
import time
from decimal import Decimal

import pytest

from tests.agent.conftest import ANA_SAYS, BRUNO_SAYS, build_session, wait_for
from tests.agent.test_meeting_assistant import published
from tests.integration.rooms_helpers import patched_env
from tests.support.mock_room import human
from tests.support.openai_stub import OpenAIStub
from tests.support.speech import play, speech


@pytest.fixture
def openai_stub():
    with OpenAIStub("sk-assistant-test") as stub, patched_env({
            "OPENAI_API_KEY": stub.api_key, "OPENAI_BASE_URL": stub.url,
            "EMBEDDING_PROVIDER": "local", "ASSISTANT_STT_PROVIDER": "local"}):
        yield stub


def generator():
    from doctorlive.settings import get_settings
    from meeting_agent.generation import make_generator

    return make_generator(get_settings())


def meet(room, session, speakers, *, until, timeout=60):
    """Start the session, let each (participant, samples) speak at once, wait for `until`, close."""
    from livekit import rtc

    async def run():
        await session.start()
        sources = []
        for who, _ in speakers:
            room.emit_event("participant_connected", who)
            source = rtc.AudioSource(16000, 1)
            sources.append(source)
            room.emit_event("track_subscribed", rtc.LocalAudioTrack.create_audio_track("mic", source), None, who)
        await asyncio.gather(*(play(src, samples) for src, (_, samples) in zip(sources, speakers, strict=True)))
        await wait_for(until, timeout, "the meeting's outcome")
        await session.close()

    asyncio.run(run())


def test_generated_suggestions_use_the_layered_prompt_and_cost_what_the_api_reported(
        room, conn, ears, knowledge, openai_stub):
    from doctorlive.settings import get_settings

    openai_stub.replies = ["Give 80 to 90 mg/kg/day of amoxicillin in two doses (otitis-protocol.pdf, p. 2).",
                           "SUMMARY:\n- Dosing of amoxicillin for otitis discussed.\nACTIONS:\n- Dr. Ana: prescribe."]
    conn.execute("UPDATE entities SET default_instructions = 'ENTITY RULE: cite pages' "
                 "WHERE name = 'Clínica Cardio Saúde'")
    invitation, session = build_session(room, conn, ears, generator=generator(), guests=1)
    ana = human(f"participant_{invitation.guest.participant_id}", "Dra. Ana")
    meet(room, session, [(ana, speech(0.3, ANA_SAYS, 1.2))], until=lambda: published(room))

    [suggestion] = published(room)
    assert suggestion["mode"] == "generative" and suggestion["text"].startswith("Give 80 to 90 mg/kg/day")
    assert suggestion["sources"][0]["filename"] == "otitis-protocol.pdf"
    chat = [r["body"] for r in openai_stub.requests if r["path"] == "/v1/chat/completions"]
    s = get_settings()
    first = chat[0]
    assert (first["model"], first["temperature"], first["max_completion_tokens"]) == (
        s.assistant_llm_model, 0.3, 500)
    system = first["messages"][0]["content"]
    assert first["messages"][0]["role"] == "system"
    assert system.index("ENTITY RULE: cite pages") < system.index("secret instructions for the agent")
    assert "otitis-protocol.pdf, p. 2" in first["messages"][-1]["content"]  # the retrieved passage
    notes = conn.execute("SELECT summary, action_items, mode FROM meeting_summaries WHERE room_id = %s",
                         (invitation.room_id,)).fetchone()
    assert notes["mode"] == "generative" and notes["action_items"] == ["Dr. Ana: prescribe."]

    # The ledger holds exactly what the API reported for both calls, costed by the table.
    usage = conn.execute("SELECT * FROM agent_usage WHERE room_id = %s", (invitation.room_id,)).fetchone()
    prompt = sum(u["prompt_tokens"] for u in openai_stub.usage)
    completion = sum(u["completion_tokens"] for u in openai_stub.usage)
    assert (usage["prompt_tokens"], usage["completion_tokens"]) == (prompt, completion)
    assert usage["total_tokens"] == prompt + completion
    assert usage["llm_model"] == "openai:gpt-4o-mini"
    expected = (Decimal(prompt) * Decimal("0.15") + Decimal(completion) * Decimal("0.60")) / 1_000_000
    assert usage["cost_usd"] == expected.quantize(Decimal("0.000001"))
    assert Decimal(usage["cost_breakdown"]["total_usd"]) == usage["cost_usd"]


def test_a_slow_model_never_holds_up_anyone_elses_captions_and_its_failure_is_recorded(
        room, conn, ears, knowledge, openai_stub, monkeypatch):
    from doctorlive.assistant import engine, extractive

    openai_stub.delays = [10.0] * 4  # every attempt outlives the timeout
    invitation, session = build_session(room, conn, ears, generator=generator(), guests=2)
    # Ana's suggestion waits ≥ 2 × 3 s for the model; Bruno's caption is due ~3 s after hers.
    session.assistant.timeout, session.assistant.attempts = 3.0, 2
    async def notes_without_the_model(self, utterances):
        return extractive.summarize(utterances, self.ctx.locale)
    monkeypatch.setattr(engine.Assistant, "summarize", notes_without_the_model)
    ana_id, bruno_id = (g.participant_id for g in invitation.guests)
    ana, bruno = human(f"participant_{ana_id}", "Dra. Ana"), human(f"participant_{bruno_id}", "Bruno")
    moments = {}
    original = room.local_participant.publish_data.side_effect

    async def record_publish(*args, **kwargs):
        moments.setdefault("suggestion", time.monotonic())
    room.local_participant.publish_data.side_effect = record_publish
    meet(room, session, [(ana, speech(0.3, ANA_SAYS, 1.2)), (bruno, speech(2.0, BRUNO_SAYS, 1.2))],
         until=lambda: published(room) and len(room.captions) >= 2)
    room.local_participant.publish_data.side_effect = original

    bruno_caption = next(c for c in room.captions if c["sender_identity"] == bruno.identity)
    assert bruno_caption["at"] < moments["suggestion"]  # Bruno was captioned while Ana's model hung
    [suggestion] = published(room)
    assert suggestion["mode"] == "extractive" and "80 to 90 mg" in suggestion["text"]
    errors = conn.execute("SELECT interaction_type, metadata FROM agent_session_events WHERE room_id = %s"
                          " AND event_type = 'error'", (invitation.room_id,)).fetchall()
    assert [(e["interaction_type"], e["metadata"]["error"]) for e in errors] == [("suggestion", "TimeoutError")]
    assert ANA_SAYS not in json.dumps([e["metadata"] for e in errors])  # no transcript text in the record
