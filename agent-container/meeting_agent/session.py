"""One meeting's assistant: the room's events in, captions and suggestions out, everything
recorded. Created by the worker's entrypoint once the room is connected (tests create it with a
mock room). Database work runs in threads, model work in its own tasks: the event loop only
routes."""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from livekit import rtc
from livekit.agents import metrics as lk_metrics

from doctorlive.assistant import pricing
from doctorlive.assistant.engine import Assistant
from doctorlive.assistant.models import MeetingContext, Suggestion, UsageTotals, Utterance
from doctorlive.assistant.repo import AssistantRepo
from doctorlive.livekit.client import participant_id_of
from meeting_agent.speech import OFFLINE_LANGUAGES, stt_label
from meeting_agent.transcriber import Segment, Transcriber

log = logging.getLogger("meeting_agent.session")

SUGGESTIONS_TOPIC = "agent.suggestions"
QUESTIONS_TOPIC = "agent.questions"
TRANSCRIPTION_TOPIC = "lk.transcription"


def open_session(room: rtc.Room, meeting: MeetingContext, job_id: str, *, settings, detector, engine,
                 embedder, generator) -> MeetingSession:
    """One meeting's assistant wired from settings: the worker's job and the benchmark use this."""
    from doctorlive.assistant.search import KnowledgeSearch

    s = settings
    search = KnowledgeSearch(meeting, embedder, threshold=s.assistant_similarity_threshold,
                             limit=s.assistant_passages)
    assistant = Assistant(meeting, search, generator, window=s.assistant_window_utterances,
                          passages=s.assistant_passages, timeout=s.assistant_model_timeout_seconds,
                          attempts=s.assistant_model_attempts, tip_min_gap=s.assistant_tip_min_gap_seconds)
    return MeetingSession(room, meeting, job_id, engine=engine, detector=detector, assistant=assistant,
                          search=search, settings=s)


def run_in_db(fn: Callable[[AssistantRepo], object]):
    from doctorlive import db

    with db.transaction() as conn:
        return fn(AssistantRepo(conn))


@dataclass
class Speaker:
    identity: str
    name: str
    participant_id: UUID | None
    transcribers: dict[str, Transcriber] = field(default_factory=dict)  # track sid -> transcriber


class MeetingSession:
    def __init__(self, room: rtc.Room, ctx: MeetingContext, job_id: str, *, engine, detector,
                 assistant: Assistant, search, settings, db: Callable = run_in_db):
        self.room = room
        self.ctx = ctx
        self.job_id = job_id
        self.engine = engine          # speech-to-text (livekit STT)
        self.detector = detector      # VAD
        self.assistant = assistant
        self.search = search          # KnowledgeSearch (embedding tokens)
        self.settings = settings
        self._db = db
        self.speakers: dict[str, Speaker] = {}
        self.usage = lk_metrics.ModelUsageCollector()
        self._tasks: set[asyncio.Task] = set()
        self._tips: asyncio.Task | None = None
        self._lease: asyncio.Task | None = None
        self._closed = False
        self._empty_timer: asyncio.TimerHandle | None = None
        self.on_empty: Callable[[], object] | None = None  # the worker ends the job
        self.started = time.monotonic()
        engine.on("metrics_collected", self.usage.collect)
        generator = assistant.generator
        if generator is not None and hasattr(generator, "llm"):
            generator.llm.on("metrics_collected", self.usage.collect)
        assistant.on_error = self._model_failed

    # ---- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        await self.db(lambda r: r.start_usage(self.ctx.room_id, self.job_id, {
            "llm": self.assistant.generator.model if self.assistant.generator else None,
            "stt": stt_label(self.engine), "embedding": self.search.model_id if self.search else None}))
        await self.record("agent_joined", interaction_type="session",
                          metadata={"job_id": self.job_id, "mode": self.assistant.mode,
                                    "stt": stt_label(self.engine)})
        self.room.on("participant_connected", self._on_participant_connected)
        self.room.on("participant_disconnected", self._on_participant_disconnected)
        self.room.on("track_subscribed", self._on_track_subscribed)
        self.room.on("track_unsubscribed", self._on_track_unsubscribed)
        self.room.on("data_received", self._on_data)
        try:
            await self.room.local_participant.set_attributes({
                "doctorlive.mode": self.assistant.mode, "doctorlive.stt": stt_label(self.engine),
                "doctorlive.stt_languages": OFFLINE_LANGUAGES if self.engine.provider == "offline"
                else self.ctx.language})
        except Exception:  # noqa: BLE001 - cosmetic; the room site falls back to defaults
            log.warning("could not set the assistant's attributes")
        for participant in list(self.room.remote_participants.values()):
            self._on_participant_connected(participant)
            for pub in participant.track_publications.values():
                if pub.track is not None and pub.subscribed:
                    self._on_track_subscribed(pub.track, pub, participant)
        self._tips = asyncio.create_task(self._tip_loop(), name="tips")
        self._lease = asyncio.create_task(self._lease_loop(), name="lease")

    async def close(self) -> None:
        """Graceful end: every transcriber drained, then the summary, the usage row, the claim
        released. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for task in (self._tips, self._lease):
            if task is not None:
                task.cancel()
        for speaker in list(self.speakers.values()):
            for tr in list(speaker.transcribers.values()):
                await tr.stop(drain=True)
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        try:
            segments = await self.db(lambda r: r.segments(self.ctx.room_id))
            summary = await self.assistant.summarize(segments)
            await self.db(lambda r: r.save_summary(self.ctx.room_id, summary))
            await self.record("summary", interaction_type="summary", content=summary.summary,
                              metadata={"mode": summary.mode, "action_items": len(summary.action_items)})
        except Exception as exc:
            log.exception("summary failed")
            await self.record("error", interaction_type="summary", metadata={"error": type(exc).__name__})
        else:
            await self._send_notes()
        totals = self.totals()
        total, breakdown = pricing.cost(totals, self.settings.model_prices)
        await self.db(lambda r: r.finish_usage(self.job_id, totals, total, breakdown))
        await self.record("agent_left", interaction_type="session",
                          metadata={"cost_usd": str(total), "seconds": round(time.monotonic() - self.started, 1)})
        await self.db(lambda r: r.release(self.ctx.room_id, self.job_id))

    async def _send_notes(self) -> None:
        """The organiser gets the notes by e-mail (once per meeting: a second close or session
        finds them sent). A failure is recorded; it never stops the usage row being written."""
        from doctorlive.records.notes import send_notes

        try:
            await asyncio.to_thread(send_notes, self.ctx.room_id)
        except Exception as exc:
            log.exception("meeting notes not sent")
            await self.record("error", interaction_type="notes", metadata={"error": type(exc).__name__})

    def totals(self) -> UsageTotals:
        t = UsageTotals(embedding_model=self.search.model_id if self.search else None,
                        embedding_tokens=self.search.tokens if self.search else 0)
        for u in self.usage.flatten():
            t.detail.append(u.model_dump())
            # Labelled by the plugin we run, not by the endpoint's host (an OpenAI-compatible
            # base URL reports its host as the provider): prices are looked up by model name.
            if u.type == "llm_usage":
                t.llm_model = f"openai:{u.model}"
                t.prompt_tokens += u.input_tokens
                t.cached_prompt_tokens += u.input_cached_tokens
                t.completion_tokens += u.output_tokens
            elif u.type == "stt_usage":
                t.stt_seconds += u.audio_duration
        t.stt_model = stt_label(self.engine)
        return t

    # ---- helpers ----------------------------------------------------------------------------------

    async def db(self, fn):
        return await asyncio.to_thread(self._db, fn)

    async def record(self, event_type: str, *, participant_id: UUID | None = None,
                     interaction_type: str | None = None, content: str | None = None,
                     metadata: dict | None = None) -> None:
        try:
            await self.db(lambda r: r.add_event(self.ctx.room_id, event_type, participant_id=participant_id,
                                                interaction_type=interaction_type, content=content,
                                                metadata=metadata))
        except Exception:
            log.exception("could not record %s", event_type)

    def _spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _model_failed(self, stage: str, exc: Exception) -> None:
        await self.record("error", interaction_type=stage,
                          metadata={"stage": stage, "error": type(exc).__name__})

    # ---- the room's events --------------------------------------------------------------------------

    @staticmethod
    def _is_agent(participant) -> bool:
        return participant.kind == rtc.ParticipantKind.PARTICIPANT_KIND_AGENT

    def _on_participant_connected(self, participant) -> None:
        if self._is_agent(participant):
            return
        if self._empty_timer is not None:
            self._empty_timer.cancel()
            self._empty_timer = None
        if participant.identity in self.speakers:
            return
        pid = participant_id_of(participant.identity)
        self.speakers[participant.identity] = Speaker(participant.identity, participant.name or participant.identity, pid)
        self._spawn(self.record("participant_joined", participant_id=pid, interaction_type="presence",
                                metadata={"identity": participant.identity}))

    def _on_participant_disconnected(self, participant) -> None:
        speaker = self.speakers.get(participant.identity)
        if speaker is None:
            return
        for sid, tr in list(speaker.transcribers.items()):
            speaker.transcribers.pop(sid, None)
            self._spawn(tr.stop(drain=True))
        self._spawn(self.record("participant_left", participant_id=speaker.participant_id,
                                interaction_type="presence", metadata={"identity": participant.identity}))
        humans = [p for p in self.room.remote_participants.values()
                  if not self._is_agent(p) and p.identity != participant.identity]
        if not humans and self.on_empty is not None and self._empty_timer is None:
            # Everyone left: the assistant leaves too after LiveKit's own empty timeout, unless
            # someone comes back first.
            self._empty_timer = asyncio.get_running_loop().call_later(
                self.settings.livekit_empty_timeout_seconds, self.on_empty)

    def _on_track_subscribed(self, track, publication, participant) -> None:
        if track.kind != rtc.TrackKind.KIND_AUDIO or self._is_agent(participant) or self._closed:
            return
        self._on_participant_connected(participant)
        speaker = self.speakers[participant.identity]
        if track.sid in speaker.transcribers:
            return

        async def on_segment(seg: Segment) -> None:
            await self._heard(speaker, track.sid, seg)

        async def on_error(exc: Exception) -> None:
            await self.record("error", participant_id=speaker.participant_id, interaction_type="transcript",
                              metadata={"stage": "stt", "error": type(exc).__name__})

        speaker.transcribers[track.sid] = Transcriber(
            track, engine=self.engine, detector=self.detector, language=self.ctx.language,
            on_segment=on_segment, on_error=on_error,
            timeout=self.settings.assistant_model_timeout_seconds).start()

    def _on_track_unsubscribed(self, track, publication, participant) -> None:
        speaker = self.speakers.get(participant.identity)
        tr = speaker.transcribers.pop(track.sid, None) if speaker else None
        if tr is not None:
            self._spawn(tr.stop(drain=True))

    def _on_data(self, packet) -> None:
        if packet.topic != QUESTIONS_TOPIC or packet.participant is None or self._is_agent(packet.participant):
            return
        try:
            message = json.loads(bytes(packet.data).decode())
            text = str(message.get("text", "")).strip()
            qid = str(message.get("id", ""))[:64]
        except (ValueError, AttributeError, UnicodeDecodeError):
            return
        if message.get("type") != "question" or not text or not qid:
            return
        text = text[: self.settings.assistant_question_max_chars]
        asker = packet.participant
        self._spawn(self._answer(qid, text, asker.name or asker.identity, participant_id_of(asker.identity)))

    # ---- what the assistant does with it ------------------------------------------------------------

    async def _heard(self, speaker: Speaker, track_sid: str, seg: Segment) -> None:
        u = Utterance(participant_id=speaker.participant_id, identity=speaker.identity, speaker=speaker.name,
                      text=seg.text, started_at=seg.started_at, ended_at=seg.ended_at,
                      segment_id=f"{speaker.identity}:{track_sid}:{seg.index}", language=seg.language or None)
        await self._caption(speaker.identity, track_sid, u)
        model = stt_label(self.engine)

        def store(repo: AssistantRepo) -> None:  # the segment and its event, one transaction
            repo.add_segment(self.ctx.room_id, u, model)
            repo.add_event(self.ctx.room_id, "transcript", participant_id=u.participant_id,
                           interaction_type="transcript", metadata={"segment_id": u.segment_id, "chars": len(u.text)})
        await self.db(store)
        suggestion = await self.assistant.hear(u)
        if suggestion is not None:
            await self._publish(suggestion, participant_id=u.participant_id)

    async def _answer(self, qid: str, text: str, asker: str, participant_id: UUID | None) -> None:
        await self.record("question", participant_id=participant_id, interaction_type="direct_question",
                          content=text, metadata={"question_id": qid})
        await self._publish(await self.assistant.answer(qid, text, asker), participant_id=participant_id)

    async def _caption(self, identity: str, track_sid: str, u: Utterance) -> None:
        try:
            writer = await self.room.local_participant.stream_text(
                topic=TRANSCRIPTION_TOPIC, sender_identity=identity,
                attributes={"lk.transcribed_track_id": track_sid, "lk.segment_id": u.segment_id,
                            "lk.transcription_final": "true"})
            await writer.write(u.text)
            await writer.aclose()
        except Exception:  # noqa: BLE001 - captions are best effort; the transcript is stored
            log.warning("could not publish a caption")

    async def _publish(self, s: Suggestion, *, participant_id: UUID | None = None) -> None:
        await self.room.local_participant.publish_data(json.dumps(s.message()).encode(), reliable=True,
                                                       topic=SUGGESTIONS_TOPIC)
        interaction = {"suggestion": "suggestion", "tip": "proactive_tip", "answer": "answer_to_question"}[s.kind]
        await self.record(s.kind, participant_id=participant_id, interaction_type=interaction, content=s.text,
                          metadata={"id": s.id, "mode": s.mode, "trigger": s.trigger, "in_reply_to": s.in_reply_to,
                                    "sources": [{"filename": p.filename, "page": p.page,
                                                 "similarity": round(p.similarity, 3)} for p in s.sources]})

    async def _tip_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.assistant_tip_interval_seconds)
            try:
                tip = await self.assistant.tip()
                if tip is not None:
                    await self._publish(tip)
            except Exception:
                log.exception("tip round failed")

    async def _lease_loop(self) -> None:
        lease = self.settings.agent_lease_seconds
        while True:
            await asyncio.sleep(max(1.0, lease / 3))
            try:
                await self.db(lambda r: r.renew(self.ctx.room_id, self.job_id, lease))
            except Exception:  # noqa: BLE001
                log.warning("could not renew the room claim")
