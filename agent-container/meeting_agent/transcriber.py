"""One participant's ears: their audio track → Silero VAD → one speech-to-text call per
utterance. Each participant has their own stream and their own recognition queue, so a slow
model or a failure on one never holds up another's captions; a failed recognition is reported
and the stream goes on."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from livekit import rtc
from livekit.agents import stt, utils, vad
from livekit.agents.types import NOT_GIVEN

log = logging.getLogger("meeting_agent.transcriber")
SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Segment:
    index: int
    text: str
    language: str
    started_at: datetime
    ended_at: datetime


class Transcriber:
    def __init__(self, track: rtc.Track, *, engine: stt.STT, detector: vad.VAD, language: str | None,
                 on_segment: Callable[[Segment], Awaitable[None]],
                 on_error: Callable[[Exception], Awaitable[None]], timeout: float = 30.0):
        self.track = track
        self.engine = engine
        self.detector = detector
        self.language = language
        self.on_segment = on_segment
        self.on_error = on_error
        self.timeout = timeout
        self._audio: rtc.AudioStream | None = None
        self._task: asyncio.Task | None = None
        self._segments: asyncio.Queue = asyncio.Queue()
        self._count = 0

    def start(self) -> Transcriber:
        self._task = asyncio.create_task(self._run(), name=f"transcribe-{self.track.sid}")
        return self

    async def stop(self, drain: bool = True) -> None:
        """End the audio input; with `drain`, what was already heard is still transcribed."""
        if self._audio is not None:
            await self._audio.aclose()
        if self._task is None:
            return
        if not drain:
            self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass

    async def _run(self) -> None:
        self._audio = rtc.AudioStream.from_track(track=self.track, sample_rate=SAMPLE_RATE, num_channels=1)
        vad_stream = self.detector.stream()
        origin: list[float] = []  # wall-clock time of the first sample

        async def forward() -> None:
            async for event in self._audio:
                if not origin:
                    origin.append(time.time())
                vad_stream.push_frame(event.frame)
            vad_stream.flush()
            vad_stream.end_input()

        async def segment() -> None:
            async for event in vad_stream:
                if event.type == vad.VADEventType.END_OF_SPEECH and event.frames:
                    start0 = origin[0] if origin else time.time()
                    end_s = event.samples_index / SAMPLE_RATE - event.silence_duration
                    start_s = max(0.0, end_s - event.speech_duration)
                    self._segments.put_nowait((list(event.frames), start0 + start_s, start0 + end_s))
            self._segments.put_nowait(None)

        async def recognize() -> None:
            while (item := await self._segments.get()) is not None:
                frames, start, end = item
                try:
                    event = await asyncio.wait_for(
                        self.engine.recognize(buffer=utils.merge_frames(frames),
                                              language=self.language or NOT_GIVEN),
                        self.timeout)
                except Exception as exc:  # noqa: BLE001 - reported; the next utterance is tried
                    await self.on_error(exc)
                    continue
                if not event.alternatives or not event.alternatives[0].text.strip():
                    continue
                alt = event.alternatives[0]
                self._count += 1
                await self.on_segment(Segment(self._count, alt.text.strip(), alt.language or "",
                                              datetime.fromtimestamp(start, UTC),
                                              datetime.fromtimestamp(max(start, end), UTC)))

        tasks = [asyncio.create_task(forward()), asyncio.create_task(segment()),
                 asyncio.create_task(recognize())]
        try:
            await asyncio.gather(*tasks)
        finally:
            for t in tasks:
                t.cancel()
            await vad_stream.aclose()
