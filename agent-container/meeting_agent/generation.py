"""The chat model behind generated suggestions: livekit-agents' OpenAI plugin (any
OpenAI-compatible base URL), so its token usage arrives as LLMMetrics in the session's
ModelUsageCollector. Without a key there is none and the assistant is extractive."""
from __future__ import annotations

from livekit.agents import llm as lk_llm


class ChatGenerator:
    def __init__(self, model: lk_llm.LLM):
        self.llm = model
        self.model = model.model

    async def generate(self, system: str, messages: list[dict]) -> str:
        ctx = lk_llm.ChatContext()
        ctx.add_message(role="system", content=system)
        for m in messages:
            ctx.add_message(role=m["role"], content=m["content"])
        response = await self.llm.chat(chat_ctx=ctx).collect()
        return response.text


def make_generator(settings) -> ChatGenerator | None:
    key = settings.openai_api_key.get_secret_value()
    if not key:
        return None
    import httpx
    from livekit.agents import NOT_GIVEN
    from livekit.plugins import openai

    return ChatGenerator(openai.LLM(
        model=settings.assistant_llm_model, api_key=key, base_url=settings.openai_base_url or NOT_GIVEN,
        temperature=settings.assistant_llm_temperature,
        max_completion_tokens=settings.assistant_llm_max_tokens, max_retries=0,
        timeout=httpx.Timeout(settings.assistant_model_timeout_seconds, connect=5.0)))
