"""The assistant's judgement, with its pipeline pieces injected (search, generator, clock), so
tests swap them: what it says after an utterance, to a typed question, every 30 s, and at the
end. Async; the blocking search runs in a thread. A slow or failing model never stops it: the
generation is bounded by a timeout, retried with backoff, and on failure the assistant falls
back to quoting the passages (extractive) and reports the failure through `on_error`."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol
from uuid import uuid4

from doctorlive.assistant import extractive
from doctorlive.assistant.models import MeetingContext, Passage, Suggestion, Summary, Utterance
from doctorlive.assistant.prompting import build_system_prompt, language_of, passages_block
from doctorlive.assistant.triggers import detect, knowledge_terms

log = logging.getLogger("doctorlive.assistant")


class Generator(Protocol):
    """A chat model: system prompt + messages → text. Raises on failure."""
    model: str

    async def generate(self, system: str, messages: list[dict]) -> str: ...


ErrorSink = Callable[[str, Exception], Awaitable[None]]

_SUMMARY_ASK = {
    "en": ("Summarise this meeting for its organiser in at most 8 bullet points, then list the "
           "action items (who does what). Answer as:\nSUMMARY:\n- ...\nACTIONS:\n- ...\n"
           "Write '- none' when there are no action items."),
    "pt": ("Resuma esta reunião para quem a organizou em no máximo 8 tópicos e depois liste os "
           "itens de ação (quem faz o quê). Responda assim:\nSUMMARY:\n- ...\nACTIONS:\n- ...\n"
           "Escreva '- none' quando não houver itens de ação."),
}


def _now() -> datetime:
    return datetime.now(UTC)


class Assistant:
    def __init__(self, ctx: MeetingContext, search: Callable[[str], list[Passage]],
                 generator: Generator | None, *, window: int = 10, passages: int = 3,
                 timeout: float = 20.0, attempts: int = 3, tip_min_gap: float = 60.0,
                 on_error: ErrorSink | None = None, clock: Callable[[], float] = time.monotonic):
        self.ctx = ctx
        self.search = search
        self.generator = generator
        self.window: deque[Utterance] = deque(maxlen=window)
        self.passages = passages
        self.timeout = timeout
        self.attempts = attempts
        self.tip_min_gap = tip_min_gap
        self.on_error = on_error
        self.clock = clock
        self.system_prompt = build_system_prompt(ctx.locale, ctx.entity_instructions,
                                                 ctx.department_instructions, ctx.meeting_instructions)
        self._quoted: dict[str, float] = {}   # passage fingerprint -> when it was last shown
        self._heard_since_tip = 0
        self._last_tip = float("-inf")

    @property
    def mode(self) -> str:
        return "generative" if self.generator is not None else "extractive"

    # ---- what it does --------------------------------------------------------------------------

    async def hear(self, u: Utterance) -> Suggestion | None:
        """A finished utterance: remembered; a suggestion when it asks or names something the
        knowledge base has fresh passages for."""
        self.window.append(u)
        self._heard_since_tip += 1
        trigger = detect(u.text)
        if trigger is None:
            return None
        found = self._fresh(await self._search(trigger.query))
        if not found:
            return None
        return await self._suggest("suggestion", trigger.query, found, trigger=trigger.reason)

    async def answer(self, question_id: str, text: str, asker: str) -> Suggestion:
        """A question typed in the agent panel: always answered, with sources when there are any."""
        question = " ".join(text.split())
        self.window.append(Utterance(None, "", asker, question, _now(), _now(), f"q-{question_id}"))
        found = (await self._search(question))[: self.passages]
        suggestion = await self._suggest("answer", question, found, trigger="question")
        suggestion.in_reply_to, suggestion.question = question_id, question
        return suggestion

    async def tip(self) -> Suggestion | None:
        """The periodic look at the conversation: a tip only when something new was said since
        the last one, the gap has passed, and the knowledge base has passages not shown yet."""
        if self._heard_since_tip == 0 or self.clock() - self._last_tip < self.tip_min_gap:
            return None
        recent = list(self.window)[-4:]
        terms: list[str] = []
        for u in recent:
            terms.extend(t for t in knowledge_terms(u.text) if t not in terms)
        self._heard_since_tip = 0
        if not terms:
            return None
        query = " ".join(u.text for u in recent)
        found = self._fresh(await self._search(query))
        if not found:
            return None
        self._last_tip = self.clock()
        return await self._suggest("tip", query, found, trigger="proactive")

    async def summarize(self, utterances: list[Utterance]) -> Summary:
        if self.generator is None or not utterances:
            return extractive.summarize(utterances, self.ctx.locale)
        lang = language_of(self.ctx.locale)
        transcript = "\n".join(f"{u.speaker}: {u.text}" for u in utterances)[-24000:]
        try:
            text = await self._generate([{"role": "user", "content": f"{transcript}\n\n{_SUMMARY_ASK[lang]}"}])
        except Exception as exc:  # noqa: BLE001 - the meeting still gets its extractive notes
            await self._report("summary", exc)
            return extractive.summarize(utterances, self.ctx.locale)
        summary, actions = _split_summary(text)
        return Summary(summary=summary, action_items=actions, mode="generative", model=self.generator.model)

    # ---- pieces ---------------------------------------------------------------------------------

    async def _search(self, query: str) -> list[Passage]:
        try:
            return await asyncio.to_thread(self.search, query)
        except Exception as exc:  # noqa: BLE001 - a failed look-up is reported, not fatal
            await self._report("search", exc)
            return []

    def _fresh(self, passages: list[Passage]) -> list[Passage]:
        """Passages not shown in the last few minutes (a repeated topic does not repeat them)."""
        now = self.clock()
        fresh = [p for p in passages if now - self._quoted.get(_fingerprint(p), float("-inf")) > 300]
        return fresh[: self.passages]

    async def _suggest(self, kind: str, query: str, passages: list[Passage], *, trigger: str) -> Suggestion:
        now = self.clock()
        for p in passages:
            self._quoted[_fingerprint(p)] = now
        text, mode = None, "extractive"
        if self.generator is not None and passages:
            history = [{"role": "user", "content": f"{u.speaker}: {u.text}"} for u in self.window]
            ask = (passages_block(passages, self.ctx.locale) + "\n\n" +
                   ("Question" if language_of(self.ctx.locale) == "en" else "Pergunta") + f": {query}")
            try:
                text, mode = await self._generate([*history, {"role": "user", "content": ask}]), "generative"
            except Exception as exc:  # noqa: BLE001
                await self._report(kind, exc)
                text = None
        if not text:
            text, mode = extractive.suggestion_text(query, passages, self.ctx.locale), "extractive"
        return Suggestion(kind=kind, text=text.strip(), sources=passages, mode=mode,
                          id=uuid4().hex, ts=_now(), trigger=trigger)

    async def _generate(self, messages: list[dict]) -> str:
        last: Exception | None = None
        for attempt in range(1, self.attempts + 1):
            try:
                return await asyncio.wait_for(self.generator.generate(self.system_prompt, messages), self.timeout)
            except Exception as exc:  # noqa: BLE001 - timeouts, API errors: retried, then raised
                last = exc
                if attempt < self.attempts:
                    await asyncio.sleep(min(4.0, 0.25 * 2 ** (attempt - 1)) * (1 + random.random()))
        raise last  # type: ignore[misc]

    async def _report(self, stage: str, exc: Exception) -> None:
        log.warning("assistant %s failed: %s", stage, type(exc).__name__)
        if self.on_error is not None:
            await self.on_error(stage, exc)


def _fingerprint(p: Passage) -> str:
    return hashlib.sha256(f"{p.filename}|{p.page}|{p.content[:200]}".encode()).hexdigest()[:16]


def _split_summary(text: str) -> tuple[str, list[str]]:
    head, _, tail = text.partition("ACTIONS:")
    summary = head.replace("SUMMARY:", "").strip()
    actions = [line.strip()[1:].strip() for line in tail.splitlines() if line.strip().startswith("-")]
    return summary or text.strip(), [a for a in actions if a and a.lower() != "none"]
