"""Speech-to-text is labelled and priced by the model we run, whatever endpoint serves it: with an
OpenAI-compatible base URL (a proxy, a regional gateway) livekit-plugins-openai reports the
endpoint's host:port as its provider, and the label must still find its price."""
from __future__ import annotations

from decimal import Decimal

from doctorlive.assistant import pricing
from doctorlive.assistant.models import UsageTotals
from doctorlive.settings import Settings


def test_openai_speech_behind_any_base_url_is_labelled_and_priced_by_its_model():
    from livekit.plugins import openai

    from meeting_agent.speech import stt_label

    for base_url in ("http://127.0.0.1:18181/v1", "https://llm-proxy.clinic.example:8443/v1", None):
        engine = openai.STT(model="gpt-4o-mini-transcribe", use_realtime=False, api_key="sk-x",
                            **({"base_url": base_url} if base_url else {}))
        label = stt_label(engine)
        assert label == "openai:gpt-4o-mini-transcribe", base_url
        total, breakdown = pricing.cost(UsageTotals(stt_model=label, stt_seconds=120.0), Settings().model_prices)
        assert total == Decimal("0.006000") and "unpriced_models" not in breakdown


def test_the_offline_model_keeps_its_own_label():
    from meeting_agent.speech import OfflineWhisperSTT, stt_label

    assert stt_label(OfflineWhisperSTT(model_dir="/nonexistent")) == "offline:whisper-base"
