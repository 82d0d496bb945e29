"""Meeting-assistant benchmark: from the end of an utterance to the suggestion on the room's data
channel, per stage and end to end; and what a meeting-hour of a two-person consultation costs.

    python bench/agent.py [--rounds 2] [--profile bench/openai_latency.json] [--offline-only]

A scripted consultation (two people taking turns, each on their own audio track; speech made
with hibari-tts and pushed in real time through rtc.AudioSource → AudioStream → Silero VAD) is
held `--rounds` times, each a fresh meeting, through the worker's own session wiring
(`meeting_agent.session.open_session`) on livekit-agents' mock room and a real Postgres
knowledge base. Two passes:

- offline — measured here end to end: Whisper base on the CPU, MiniLM embeddings, pgvector,
  extractive suggestions (no model call);
- openai — the same pipeline with OpenAI speech-to-text, embeddings and gpt-4o-mini through the
  real clients (livekit-plugins-openai, openai) against a local STAND-IN speaking OpenAI's wire
  protocol (tests/support/openai_stub.py; OpenAI is unreachable here). The stand-in REPLAYS the
  latency profile in bench/openai_latency.json (assumed figures, see its "about") before each
  answer: those stages show the profile plus our own overhead, not a measurement of OpenAI.

Stages of each suggestion (times on this machine's clock):
  vad      end of speech (the last voiced sample reaching the track) → the utterance handed to
           speech-to-text: the silence Silero VAD waits for to decide the speaker stopped
  stt      speech-to-text, including waiting for the model if another speaker is being decoded
  store    caption published + segment and event written (one transaction)
  search   knowledge search: query embedding + the tenant-filtered pgvector query
  generate the language model (openai pass only)
  publish  message built and handed to the room (mock room: no network hop to LiveKit/browser)
Cost per meeting-hour: read from the agent_usage rows the sessions wrote (speech seconds,
embedding tokens, tokens the API reported — the stand-in reports a word-count estimate of the
real prompts — priced by the settings' table), scaled from the consultation's length to an
hour; the end-of-meeting summary is counted once per meeting, not scaled.
"""
from __future__ import annotations

import argparse
import asyncio
import contextvars
import difflib
import json
import os
import statistics
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "agent-container")]

# The clinic's knowledge base: four protocols, one PDF each.
KB = {
    "otitis-protocol.pdf": ("Acute otitis media in children. The recommended dose of amoxicillin for a child with "
                            "otitis is 80 to 90 mg per kg per day, divided in two doses, for ten days."),
    "fever-in-children.pdf": ("Fever in children. Paracetamol can be given at 15 mg per kg every six hours, at "
                              "most four doses a day. Review the child if the fever persists after 48 hours."),
    "hypertension-follow-up.pdf": ("Hypertension follow-up. Measure the blood pressure at every visit. The target "
                                   "is below 130 over 80 for most adults."),
    "ear-examination.pdf": ("Ear examination. Look at the eardrum with an otoscope: a red and bulging eardrum "
                            "confirms acute otitis media."),
}
# (speaker, words): the consultation, in turns.
SCRIPT = [
    ("bruno", "Good morning, doctor. This is my son Pedro, he is six."),
    ("ana", "Good morning. What brings you here today?"),
    ("bruno", "He has had a fever for two days and he cries at night."),
    ("ana", "Let me look at his ear. The eardrum is red and bulging."),
    ("bruno", "What does a bulging eardrum mean?"),
    ("ana", "What is the recommended dose of amoxicillin for a child with otitis?"),
    ("bruno", "He weighs twenty kilograms."),
    ("ana", "Please come back if he still has a fever on Friday."),
    ("bruno", "And what should my blood pressure be? I have hypertension."),
    ("ana", "We will measure it before you leave."),
]
NAMES = {"ana": "Dra. Ana", "bruno": "Bruno"}
GAP = 1.0          # seconds between turns
RATE = 16000
FRAME = RATE // 100
REPLY = ("For a child with acute otitis media the protocol recommends amoxicillin at 80 to 90 mg per kg per "
         "day, divided in two doses, for ten days; for a child of 20 kg that is 800 to 900 mg twice a day. "
         "Review the child if the fever persists after 48 hours, and confirm the diagnosis by the red, "
         "bulging eardrum on otoscopy (otitis-protocol.pdf, pages 1, 2 and 4).")
STAGES = ["vad", "stt", "store", "search", "generate", "publish"]

current = contextvars.ContextVar("segment", default=None)  # the utterance a task works for


class Spoken:
    """The utterances whose voiced part has reached the room, as they do. The OpenAI stand-in
    "hears" from it: an upload gets the earliest utterance that has ended and was not
    transcribed yet (turns do not overlap; uploads come in the order utterances end), a piece cut from the middle of one gets nothing."""

    def __init__(self):
        self.ended: list[list] = []  # [time, words, transcribed]
        self.lock = threading.Lock()

    def end(self, words: str) -> None:
        with self.lock:
            self.ended.append([time.monotonic(), words, False])

    def transcribe(self, _upload: bytes) -> str:
        with self.lock:
            waiting = [e for e in self.ended if not e[2]]
            if not waiting:
                return ""
            waiting[0][2] = True
            return waiting[0][1]


spoken = Spoken()


# ---- setup ----------------------------------------------------------------------------------------

def database() -> str:
    """Its own database on the dev PostgreSQL (started if needed), migrated and seeded."""
    import psycopg

    from bench.common import fresh_database

    url = fresh_database("doctorlive_bench_agent")
    os.environ.update({"DATABASE_URL": url, "STAGE": "local", "OPENAI_API_KEY": "",
                       "EMBEDDING_PROVIDER": "local", "ASSISTANT_STT_PROVIDER": "local"})
    from doctorlive import settings
    from doctorlive.migrate import migrate
    from doctorlive.seed import seed

    settings.get_settings.cache_clear()
    migrate(url)
    seed(url, settings.get_settings().dev_password.get_secret_value())
    with psycopg.connect(url, autocommit=True) as conn:  # English speech: an English-speaking clinic
        conn.execute("UPDATE entities SET locale = 'en' WHERE name = 'Clínica Cardio Saúde'")
    return url


def ingest(embedder) -> None:
    """The clinic's protocols, embedded by `embedder` through the ingest pipeline's own
    extract → chunk → embed → store."""
    from doctorlive import db
    from doctorlive.knowledge.chunking import chunk_pages
    from doctorlive.knowledge.pdf import extract_pages
    from doctorlive.knowledge.repo import DocumentRecord, KnowledgeRepo
    from tests.support.pdfs import text_pdf

    with db.transaction() as conn:
        entity = conn.execute("SELECT id FROM entities WHERE name = 'Clínica Cardio Saúde'").fetchone()["id"]
        for filename, text in KB.items():
            pages = extract_pages(text_pdf([text]))
            chunks = chunk_pages(pages)
            doc = conn.execute("""INSERT INTO knowledge_documents (entity_id, filename, s3_key)
                                  VALUES (%s, %s, %s) RETURNING *""",
                               (entity, filename, f"bench/{uuid.uuid4()}")).fetchone()
            KnowledgeRepo(conn).replace_chunks(DocumentRecord(**doc), chunks, embedder.embed([c.content for c in chunks]),
                                               embedder.model_id, len(pages))


def timeline():
    """Each speaker's track for the whole consultation (speech in their turns, silence between),
    and when each utterance's voiced part ends, in samples from the start."""
    import numpy as np

    from tests.support.speech import speak

    tracks = {who: [] for who in NAMES}
    ends, at = [], int(0.5 * RATE)
    for who, words in SCRIPT:
        pcm = speak(words)
        loud = np.nonzero(np.abs(pcm.astype(np.int32)) > 0.02 * 32767)[0]
        for other, parts in tracks.items():
            parts.append(pcm if other == who else np.zeros(len(pcm), dtype=np.int16))
            parts.append(np.zeros(int(GAP * RATE), dtype=np.int16))
        ends.append((who, words, at + int(loud[-1]) + 1))
        at += len(pcm) + int(GAP * RATE)
    pad = int(1.5 * RATE)
    out = {}
    for who, parts in tracks.items():
        pcm = np.concatenate([np.zeros(int(0.5 * RATE), dtype=np.int16), *parts, np.zeros(pad, dtype=np.int16)])
        out[who] = np.concatenate([pcm, np.zeros((-len(pcm)) % FRAME, dtype=np.int16)])
    return out, ends


# ---- one meeting, instrumented ----------------------------------------------------------------------

class Probe:
    """Stage times of one meeting: wraps the session's speech-to-text, hearing, search, generator
    and the room's publish, without changing what they do."""

    def __init__(self):
        self.stt: list[tuple[float, float, str]] = []     # (start, end, text) per recognition
        self.heard: dict[str, dict] = {}                  # segment id -> times
        self.tips = 0
        self.inflight = 0

    def attach(self, session) -> None:
        engine, assistant = session.engine, session.assistant
        recognize, hear, search = engine.recognize, assistant.hear, assistant.search

        async def timed_recognize(*args, **kwargs):
            self.inflight += 1
            t0 = time.monotonic()
            event = await recognize(*args, **kwargs)
            text = event.alternatives[0].text.strip() if event.alternatives else ""
            self.stt.append((t0, time.monotonic(), text))
            if not text:
                self.inflight -= 1
            return event

        async def timed_hear(u):
            current.set(u.segment_id)
            self.heard[u.segment_id] = {"identity": u.identity, "text": u.text, "hear": time.monotonic()}
            try:
                return await hear(u)
            finally:
                self.heard[u.segment_id]["heard"] = time.monotonic()
                self.inflight -= 1

        def timed_search(query):
            t0 = time.monotonic()
            try:
                return search(query)
            finally:
                self._mark("search", t0)

        engine.recognize, assistant.hear, assistant.search = timed_recognize, timed_hear, timed_search
        if assistant.generator is not None:
            generate = assistant.generator.generate

            async def timed_generate(system, messages):
                t0 = time.monotonic()
                try:
                    return await generate(system, messages)
                finally:
                    self._mark("generate", t0)
            assistant.generator.generate = timed_generate

    def _mark(self, stage: str, t0: float) -> None:
        seg = current.get()
        if seg in self.heard:
            self.heard[seg].setdefault(stage, (t0, time.monotonic()))

    def published(self, data: bytes, **kwargs) -> None:
        if kwargs.get("topic") != "agent.suggestions":
            return
        message, seg = json.loads(data), current.get()
        if message["kind"] == "suggestion" and seg in self.heard:
            self.heard[seg]["published"] = time.monotonic()
            self.heard[seg]["mode"] = message["mode"]
        elif message["kind"] == "tip":
            self.tips += 1


async def meeting(engine, detector, embedder, generator, tracks, ends):
    """One consultation: returns its per-suggestion stage times, the usage row and its length."""
    from livekit import rtc

    from doctorlive import db
    from doctorlive.assistant import pricing
    from doctorlive.assistant.repo import AssistantRepo
    from doctorlive.settings import get_settings
    from meeting_agent.session import open_session
    from tests.integration.join_support import make_invitation
    from tests.support.mock_room import human, mock_room

    s = get_settings()
    probe = Probe()
    room = mock_room(on_publish=probe.published)
    with db.transaction() as conn:
        invitation = make_invitation(conn, guests=2, title="Bench consultation")
        ctx = AssistantRepo(conn).meeting(invitation.room_id)
    people = {who: human(f"participant_{g.participant_id}", NAMES[who])
              for who, g in zip(NAMES, invitation.guests, strict=True)}
    session = open_session(room, ctx, f"bench-{uuid.uuid4().hex[:8]}", settings=s, detector=detector,
                           engine=engine, embedder=embedder, generator=generator)
    probe.attach(session)
    await session.start()
    sources, pushed = {}, {}
    for who, person in people.items():
        room.emit_event("participant_connected", person)
        sources[who] = rtc.AudioSource(RATE, 1, queue_size_ms=50)  # a mic: ~real-time, 50 ms queue
        room.emit_event("track_subscribed", rtc.LocalAudioTrack.create_audio_track("mic", sources[who]),
                        None, person)

    spoken.ended.clear()

    async def talk(who):
        samples, times = tracks[who], []
        mine = {end_sample // FRAME: words for w, words, end_sample in ends if w == who}
        for i in range(0, len(samples), FRAME):
            await sources[who].capture_frame(rtc.AudioFrame(samples[i:i + FRAME].tobytes(), RATE, 1, FRAME))
            times.append(time.monotonic())
            if i // FRAME in mine:
                spoken.end(mine[i // FRAME])
        await sources[who].wait_for_playout()
        pushed[who] = times
    t0 = time.monotonic()
    await asyncio.gather(*(talk(who) for who in people))
    length = time.monotonic() - t0
    deadline = time.monotonic() + 60
    while (probe.inflight or len(probe.heard) < len(SCRIPT)) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)  # waiting for the last utterances to be heard, not for time
    before_close = pricing.cost(session.totals(), s.model_prices)[0]
    await session.close()
    with db.transaction() as conn:
        usage = conn.execute("SELECT * FROM agent_usage WHERE room_id = %s", (invitation.room_id,)).fetchone()

    # Each utterance of the script is matched with the segment of its speaker, recognised after
    # its voiced end, whose text is most like its words (VAD may cut one utterance in two).
    by_identity = {p.identity: who for who, p in people.items()}
    stt_of = {}
    for t0, t1, text in probe.stt:
        stt_of.setdefault(text, []).append((t0, t1))
    heard = [{**h, "who": by_identity[h["identity"]], "stt": stt_of[h["text"]].pop(0)}
             for h in sorted(probe.heard.values(), key=lambda h: h["hear"])]
    rows = []
    for who, words, end_sample in ends:
        speech_end = pushed[who][end_sample // FRAME]
        likeness = {id(h): difflib.SequenceMatcher(None, words.lower(), h["text"].lower()).ratio()
                    for h in heard if h["who"] == who and h["stt"][0] >= speech_end}
        h = max((h for h in heard if id(h) in likeness), key=lambda h: likeness[id(h)], default=None)
        if h is not None and likeness[id(h)] < 0.5:
            h = None
        if h is None or "published" not in h:
            continue
        (stt0, stt1), search, gen = h["stt"], h.get("search", (h["hear"], h["hear"])), h.get("generate")
        last = gen[1] if gen else search[1]
        rows.append({"said": words, "mode": h["mode"], "vad": stt0 - speech_end, "stt": stt1 - stt0,
                     "store": h["hear"] - stt1, "search": search[1] - search[0],
                     "generate": (gen[1] - gen[0]) if gen else None, "publish": h["published"] - last,
                     "total": h["published"] - speech_end})
    return {"rows": rows, "usage": usage, "length": length, "before_close": before_close,
            "tips": probe.tips, "segments": len(probe.heard)}


# ---- the passes ----------------------------------------------------------------------------------------

def reset(env: dict[str, str]) -> None:
    from doctorlive import db, settings
    from doctorlive.providers import embeddings

    os.environ.update(env)
    settings.get_settings.cache_clear()
    embeddings.get_provider.cache_clear()
    db.reset_pool()


async def offline_pass(rounds, tracks, ends, detector):
    from doctorlive.providers.embeddings import get_provider
    from doctorlive.settings import get_settings
    from meeting_agent.speech import make_stt

    reset({"OPENAI_API_KEY": "", "EMBEDDING_PROVIDER": "local", "ASSISTANT_STT_PROVIDER": "local"})
    engine = make_stt(get_settings(), "en")
    await asyncio.to_thread(engine.prewarm)
    embedder = get_provider()
    return [await meeting(engine, detector, embedder, None, tracks, ends) for _ in range(rounds)]


async def openai_pass(rounds, tracks, ends, detector, stub):
    from doctorlive.providers.embeddings import get_provider
    from doctorlive.settings import get_settings
    from meeting_agent.generation import make_generator
    from meeting_agent.speech import make_stt

    reset({"OPENAI_API_KEY": stub.api_key, "OPENAI_BASE_URL": stub.url, "EMBEDDING_PROVIDER": "openai",
           "ASSISTANT_STT_PROVIDER": "openai"})
    s = get_settings()
    out = []
    for _ in range(rounds):
        out.append(await meeting(make_stt(s, "en"), detector, get_provider(), make_generator(s), tracks, ends))
    return out


# ---- report ------------------------------------------------------------------------------------------

def ms(values: list[float]) -> str:
    if not values:
        return "      —        —        —"
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"{statistics.median(values) * 1000:7.0f}  {p95 * 1000:7.0f}  {values[-1] * 1000:7.0f}"


def report(title: str, meetings: list[dict], verbose: bool = False) -> None:
    rows = [r for m in meetings for r in m["rows"]]
    said = sum(m["segments"] for m in meetings)
    print(f"\n{title}")
    print(f"  {len(meetings)} meetings × {len(SCRIPT)} utterances ({said} heard), {len(rows)} suggestions "
          f"({', '.join(sorted({r['mode'] for r in rows})) or 'none'}), {sum(m['tips'] for m in meetings)} tips")
    print("  stage                 p50 ms   p95 ms   max ms")
    for stage in [*STAGES, "total"]:
        values = [r[stage] for r in rows if r[stage] is not None]
        label = "end of speech → shown" if stage == "total" else stage
        print(f"  {label:<21} {ms(values)}")
    if verbose:
        for r in rows:
            print(f"    {r['total'] * 1000:6.0f} ms  {r['said']}")
    print("  cost per meeting-hour (two-person consultation, from agent_usage):")
    for m in meetings:
        u = m["usage"]
        total, before = Decimal(u["cost_usd"]), m["before_close"]
        hour = before * Decimal(3600) / Decimal(str(m["length"])) + (total - before)
        print(f"    {m['length']:5.1f} s meeting: {float(u['stt_seconds']):5.1f} s speech, {u['prompt_tokens']:5d} prompt + "
              f"{u['completion_tokens']:4d} completion tokens, {u['embedding_tokens']:4d} embedding tokens, "
              f"${total:.6f} → ${hour:.4f} per hour")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="meetings per pass")
    parser.add_argument("--profile", type=Path, default=REPO / "bench" / "openai_latency.json")
    parser.add_argument("--offline-only", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="list each suggestion's utterance")
    args = parser.parse_args()

    database()
    from livekit.plugins import silero

    from doctorlive.providers.embeddings import LocalEmbeddings
    from tests.support.openai_stub import OpenAIStub

    tracks, ends = timeline()
    detector = silero.VAD.load(force_cpu=True)
    local = LocalEmbeddings()
    ingest(local)
    print(f"assistant benchmark: {len(SCRIPT)}-turn consultation, {len(tracks['ana']) / RATE:.1f} s of audio per "
          f"meeting, {os.cpu_count()} CPUs")
    offline = asyncio.run(offline_pass(args.rounds, tracks, ends, detector))
    report("offline (measured): Whisper base on the CPU, MiniLM embeddings, extractive", offline, args.verbose)
    if args.offline_only:
        return 0
    profile = json.loads(args.profile.read_text())
    with OpenAIStub("sk-bench") as stub:
        stub.latency, stub.token_interval = profile["latency"], profile["token_interval"]
        stub.default_reply, stub.embedder, stub.transcriber = REPLY, local.embed, spoken.transcribe
        reset({"OPENAI_API_KEY": stub.api_key, "OPENAI_BASE_URL": stub.url, "EMBEDDING_PROVIDER": "openai"})
        from doctorlive.providers.embeddings import get_provider

        ingest(get_provider())
        generative = asyncio.run(openai_pass(args.rounds, tracks, ends, detector, stub))
    lat = ", ".join(f"{path.rsplit('/', 1)[-1]} {sec * 1000:.0f} ms" for path, sec in profile["latency"].items())
    report(f"openai (STAND-IN replaying {args.profile.name}: {lat}, {profile['token_interval'] * 1000:.0f} ms/token"
           " — not OpenAI's real latency)", generative, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
