"""What a session cost, from the usage ledger and the price table in settings (list prices in
USD). A model missing from the table costs 0 and is named in the breakdown, so a price never
silently disappears; offline models (`local:`/`offline:`) cost nothing."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from doctorlive.assistant.models import UsageTotals

_MICRO = Decimal("0.000001")      # what agent_usage.cost_usd keeps (numeric(12, 6))
_NANO = Decimal("0.000000001")    # parts keep more, so the total is rounded once


def _price(prices: dict, model: str | None) -> dict | None:
    if not model:
        return None
    name = model.split(":", 1)[1] if ":" in model else model
    name = name.split("@", 1)[0]
    return prices.get(name)


def _offline(model: str | None) -> bool:
    return bool(model) and model.split(":", 1)[0] in ("local", "offline")


def cost(usage: UsageTotals, prices: dict[str, dict[str, float]]) -> tuple[Decimal, dict]:
    """(total, breakdown) — the breakdown per part: tokens or seconds, unit price, USD."""
    parts: dict[str, dict] = {}
    unpriced: list[str] = []

    def money(value: float | Decimal) -> Decimal:
        return Decimal(str(value)).quantize(_NANO, rounding=ROUND_HALF_UP)

    if usage.llm_model and (usage.prompt_tokens or usage.completion_tokens):
        p = _price(prices, usage.llm_model)
        if p is None:
            unpriced.append(usage.llm_model)
        else:
            uncached = max(0, usage.prompt_tokens - usage.cached_prompt_tokens)
            cached_rate = p.get("cached_input_per_1m", p.get("input_per_1m", 0.0))
            inp = Decimal(uncached) * Decimal(str(p.get("input_per_1m", 0.0))) / 1_000_000 \
                + Decimal(usage.cached_prompt_tokens) * Decimal(str(cached_rate)) / 1_000_000
            out = Decimal(usage.completion_tokens) * Decimal(str(p.get("output_per_1m", 0.0))) / 1_000_000
            parts["llm_input"] = {"model": usage.llm_model, "tokens": usage.prompt_tokens,
                                  "cached_tokens": usage.cached_prompt_tokens,
                                  "usd_per_1m": p.get("input_per_1m", 0.0), "usd": str(money(inp))}
            parts["llm_output"] = {"model": usage.llm_model, "tokens": usage.completion_tokens,
                                   "usd_per_1m": p.get("output_per_1m", 0.0), "usd": str(money(out))}
    if usage.stt_model and usage.stt_seconds:
        p = None if _offline(usage.stt_model) else _price(prices, usage.stt_model)
        if p is None and not _offline(usage.stt_model):
            unpriced.append(usage.stt_model)
        rate = p.get("audio_per_minute", 0.0) if p else 0.0
        parts["stt"] = {"model": usage.stt_model, "seconds": round(usage.stt_seconds, 3),
                        "usd_per_minute": rate,
                        "usd": str(money(Decimal(str(usage.stt_seconds)) / 60 * Decimal(str(rate))))}
    if usage.embedding_model and usage.embedding_tokens:
        p = None if _offline(usage.embedding_model) else _price(prices, usage.embedding_model)
        if p is None and not _offline(usage.embedding_model):
            unpriced.append(usage.embedding_model)
        rate = p.get("input_per_1m", 0.0) if p else 0.0
        parts["embeddings"] = {"model": usage.embedding_model, "tokens": usage.embedding_tokens,
                               "usd_per_1m": rate,
                               "usd": str(money(Decimal(usage.embedding_tokens) * Decimal(str(rate)) / 1_000_000))}
    total = sum((Decimal(p["usd"]) for p in parts.values()), Decimal(0))
    total = total.quantize(_MICRO, rounding=ROUND_HALF_UP)
    breakdown = {**parts, "total_usd": str(total)}
    if unpriced:
        breakdown["unpriced_models"] = unpriced
    return total, breakdown
