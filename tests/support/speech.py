"""Real speech for the assistant's tests and benchmark: hibari-tts (an English voice shipped in
its wheel) → 16 kHz mono int16, cached on disk by text, and played into a LiveKit AudioSource
in 10 ms frames as a microphone would."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
FRAME = SAMPLE_RATE // 100
CACHE = Path(__file__).resolve().parents[2] / ".data" / "tts-cache"


@lru_cache(maxsize=1)
def _voice():
    from hibari import Hibari

    return Hibari()


def speak(text: str) -> np.ndarray:
    """`text` read aloud, as 16 kHz mono int16 samples."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / (hashlib.sha256(f"hibari-0.2.1|{text}".encode()).hexdigest()[:24] + ".npy")
    if path.exists():
        return np.load(path)
    from hibari import SAMPLE_RATE as TTS_RATE

    audio = np.asarray(_voice()(text), dtype=np.float32)
    resampled = np.interp(np.arange(0, len(audio), TTS_RATE / SAMPLE_RATE), np.arange(len(audio)), audio)
    pcm = (np.clip(resampled, -1.0, 1.0) * 32767 * 0.8).astype(np.int16)
    np.save(path, pcm)
    return pcm


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.int16)


def speech(*parts: str | float) -> np.ndarray:
    """Utterances (str) and pauses (seconds) one after another."""
    return np.concatenate([speak(p) if isinstance(p, str) else silence(p) for p in parts])


async def play(source, samples: np.ndarray) -> None:
    """Push `samples` into a livekit rtc.AudioSource at real-time pace (as a microphone does)."""
    from livekit import rtc

    padded = np.concatenate([samples, silence((-len(samples)) % FRAME / SAMPLE_RATE)])
    for i in range(0, len(padded), FRAME):
        chunk = padded[i:i + FRAME]
        await source.capture_frame(rtc.AudioFrame(chunk.tobytes(), SAMPLE_RATE, 1, FRAME))
    await source.wait_for_playout()
