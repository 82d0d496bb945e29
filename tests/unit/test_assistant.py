"""The assistant's rules without I/O: its prompt, when it looks things up, what it quotes when
offline, what its notes say, and what a session costs."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from doctorlive.assistant import extractive, pricing
from doctorlive.assistant.engine import Assistant
from doctorlive.assistant.models import MeetingContext, Passage, UsageTotals, Utterance
from doctorlive.assistant.prompting import BASE_INSTRUCTIONS, build_system_prompt
from doctorlive.assistant.triggers import detect, is_question

PRICES = {"gpt-4o-mini": {"input_per_1m": 0.15, "cached_input_per_1m": 0.075, "output_per_1m": 0.60},
          "gpt-4o-mini-transcribe": {"audio_per_minute": 0.003},
          "text-embedding-3-small": {"input_per_1m": 0.02}}


def ctx(locale="en", **kw) -> MeetingContext:
    return MeetingContext(**{
        "room_id": uuid4(), "entity_id": uuid4(), "department_id": None, "title": "Consulta",
        "locale": locale, "entity_name": "Clínica", "entity_instructions": None,
        "department_instructions": None, "meeting_instructions": None, "organizer_id": uuid4(),
        "status": "ACTIVE", "assistant_enabled": True, **kw})


def utt(text, speaker="Ana") -> Utterance:
    now = datetime.now(UTC)
    return Utterance(None, "participant_x", speaker, text, now, now, uuid4().hex)


# ---- the system prompt ---------------------------------------------------------------------------

def test_the_prompt_layers_base_entity_department_and_meeting_in_that_order():
    prompt = build_system_prompt("pt-BR", "ENTITY: speak formally", "DEPT: cardiology focus",
                                 "MEETING: patient is allergic to penicillin")
    assert prompt.startswith(BASE_INSTRUCTIONS["pt"])
    positions = [prompt.index(s) for s in ("ENTITY:", "DEPT:", "MEETING:")]
    assert positions == sorted(positions)
    assert "Instruções da organização" in prompt and "Instruções desta reunião" in prompt


def test_empty_layers_are_left_out_and_unknown_locales_fall_back_to_english():
    prompt = build_system_prompt("fr-FR", None, "   ", "Only this")
    assert prompt.startswith(BASE_INSTRUCTIONS["en"])
    assert "Department instructions" not in prompt and "Organisation instructions" not in prompt
    assert prompt.endswith("## Instructions for this meeting\nOnly this")


# ---- when to look things up ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "What is the recommended dose of amoxicillin for a child?",
    "qual é a dose de amoxicilina para criança",
    "O que o protocolo diz sobre hipertensão",
    "Should we repeat the blood test next week",
])
def test_questions_trigger_a_search(text):
    trigger = detect(text)
    assert trigger is not None and trigger.reason == "question" and trigger.query == text.strip()


@pytest.mark.parametrize("text", ["The patient reports fever and ear pain since Monday.",
                                  "Ela está com febre e dor de ouvido desde segunda."])
def test_clinical_terms_trigger_a_search(text):
    trigger = detect(text)
    assert trigger is not None and trigger.reason == "terms" and trigger.terms


@pytest.mark.parametrize("text", ["ok", "sim, claro", "Good morning everyone, nice to see you.",
                                  "Bom dia a todos, tudo bem com vocês."])
def test_small_talk_does_not(text):
    assert detect(text) is None


def test_a_statement_is_not_a_question():
    assert not is_question("I will send the prescription tomorrow.")
    assert is_question("Is there an interaction with warfarin")


# ---- offline: quoting the knowledge base ---------------------------------------------------------

def test_extractive_suggestions_quote_the_best_sentences_with_their_source():
    passage = Passage("otitis.pdf", 2, 0.71, "Otitis media is common. The recommended dose of amoxicillin "
                      "is 80 mg per kg per day. Follow up after ten days. " + "Filler sentence. " * 40)
    text = extractive.suggestion_text("recommended dose of amoxicillin", [passage], "en")
    assert "The recommended dose of amoxicillin is 80 mg per kg per day." in text
    assert text.endswith("— otitis.pdf, p. 2") and len(text) < 420


def test_extractive_notes_keep_the_key_points_and_the_commitments():
    notes = extractive.summarize([utt("Good morning."), utt("What dose of amoxicillin should she take?"),
                                  utt("I will send the prescription today.", "Dr. Bruno"),
                                  utt("Vamos agendar o retorno em dez dias.", "Dr. Bruno")], "en")
    assert notes.mode == "extractive"
    assert "- Ana: What dose of amoxicillin should she take?" in notes.summary
    assert "Good morning" not in notes.summary
    assert notes.action_items == ["Dr. Bruno: I will send the prescription today.",
                                  "Dr. Bruno: Vamos agendar o retorno em dez dias."]


# ---- cost ----------------------------------------------------------------------------------------

def test_cost_follows_the_price_table():
    usage = UsageTotals(llm_model="openai:gpt-4o-mini", stt_model="openai:gpt-4o-mini-transcribe",
                        embedding_model="openai:text-embedding-3-small@768", prompt_tokens=1_000_000,
                        completion_tokens=500_000, stt_seconds=600, embedding_tokens=2_000_000)
    total, breakdown = pricing.cost(usage, PRICES)
    # 0.15 + 0.30 (LLM) + 10 min × 0.003 + 2M × 0.02/1M
    assert total == Decimal("0.15") + Decimal("0.30") + Decimal("0.03") + Decimal("0.04")
    assert breakdown["total_usd"] == str(total.quantize(Decimal("0.000001")))
    parts = sum(Decimal(p["usd"]) for p in breakdown.values() if isinstance(p, dict))
    assert parts.quantize(Decimal("0.000001")) == total


def test_cached_prompt_tokens_cost_the_cached_rate_and_offline_models_nothing():
    usage = UsageTotals(llm_model="openai:gpt-4o-mini", prompt_tokens=2_000_000, cached_prompt_tokens=1_000_000,
                        stt_model="offline:whisper-base", stt_seconds=3600,
                        embedding_model="local:all-MiniLM-L6-v2@384", embedding_tokens=10_000)
    total, breakdown = pricing.cost(usage, PRICES)
    assert total == Decimal("0.15") + Decimal("0.075")
    assert Decimal(breakdown["stt"]["usd"]) == 0 and "unpriced_models" not in breakdown


def test_a_model_missing_from_the_table_is_named_not_hidden():
    _, breakdown = pricing.cost(UsageTotals(llm_model="openai:gpt-9", prompt_tokens=10), PRICES)
    assert breakdown["unpriced_models"] == ["openai:gpt-9"]


# ---- the engine's judgement ----------------------------------------------------------------------

class FakeSearch:
    def __init__(self, passages):
        self.passages, self.queries = passages, []

    def __call__(self, query):
        self.queries.append(query)
        return list(self.passages)


class Scripted:
    model = "scripted"

    def __init__(self, *replies):
        self.replies, self.calls = list(replies), []

    async def generate(self, system, messages):
        self.calls.append((system, messages))
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        if reply == "hang":
            await asyncio.sleep(60)
        return reply


PASSAGE = Passage("otitis.pdf", 2, 0.8, "The recommended dose of amoxicillin is 80 mg per kg per day.")


def test_a_question_gets_a_generated_suggestion_over_the_window_and_the_passages():
    gen = Scripted("Use 80 mg/kg/day (otitis.pdf, p. 2).")
    a = Assistant(ctx(meeting_instructions="Patient weighs 20 kg"), FakeSearch([PASSAGE]), gen, window=10)
    asyncio.run(a.hear(utt("Good morning.")))
    s = asyncio.run(a.hear(utt("What is the dose of amoxicillin?")))
    assert s.kind == "suggestion" and s.mode == "generative" and s.text == "Use 80 mg/kg/day (otitis.pdf, p. 2)."
    system, messages = gen.calls[0]
    assert "Patient weighs 20 kg" in system
    assert [m["content"] for m in messages[:2]] == ["Ana: Good morning.", "Ana: What is the dose of amoxicillin?"]
    assert "otitis.pdf, p. 2" in messages[-1]["content"] and s.message()["sources"][0]["filename"] == "otitis.pdf"


def test_a_failing_or_hanging_model_falls_back_to_quoting_and_reports_it():
    failures = []

    async def on_error(stage, exc):
        failures.append((stage, type(exc).__name__))

    a = Assistant(ctx(), FakeSearch([PASSAGE]), Scripted(RuntimeError("500"), "hang"), timeout=0.2, attempts=2,
                  on_error=on_error)
    s = asyncio.run(a.hear(utt("What is the dose of amoxicillin?")))
    assert s.mode == "extractive" and "80 mg per kg" in s.text
    assert failures == [("suggestion", "TimeoutError")]


def test_the_same_passages_are_not_suggested_again_and_nothing_relevant_means_silence():
    a = Assistant(ctx(), FakeSearch([PASSAGE]), None)
    assert asyncio.run(a.hear(utt("What is the dose of amoxicillin?"))) is not None
    assert asyncio.run(a.hear(utt("And what is the dose of amoxicillin again?"))) is None
    assert asyncio.run(Assistant(ctx(), FakeSearch([]), None).hear(utt("What is the dose?"))) is None


def test_tips_need_something_new_a_gap_and_unseen_passages():
    clock = [1000.0]
    a = Assistant(ctx(), FakeSearch([PASSAGE]), None, tip_min_gap=60, clock=lambda: clock[0])
    assert asyncio.run(a.tip()) is None  # nothing said yet
    a.window.append(utt("She has had a fever and ear pain.")); a._heard_since_tip = 1
    tip = asyncio.run(a.tip())
    assert tip is not None and tip.kind == "tip"
    a.window.append(utt("The fever is still there.")); a._heard_since_tip = 1
    clock[0] += 30
    assert asyncio.run(a.tip()) is None  # too soon
    clock[0] += 60
    assert asyncio.run(a.tip()) is None  # only passages already shown


def test_typed_questions_are_always_answered_and_linked_to_the_question():
    a = Assistant(ctx(locale="pt-BR"), FakeSearch([]), None)
    s = asyncio.run(a.answer("q1", "  Qual a dose   máxima? ", "Ana"))
    assert (s.kind, s.in_reply_to, s.question) == ("answer", "q1", "Qual a dose máxima?")
    assert s.text == "Nada na base de conhecimento corresponde a isso ainda." and s.sources == []
