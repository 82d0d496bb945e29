"""The OpenAI embedding provider against a local stand-in that speaks the API's wire format."""
from __future__ import annotations

import pytest

from doctorlive.providers.embeddings import DIMENSIONS, EmbeddingError, OpenAIEmbeddings
from tests.support.openai_stub import OpenAIStub


def test_batches_and_asks_for_768_dimensions():
    with OpenAIStub() as stub:
        provider = OpenAIEmbeddings("sk-test", "text-embedding-3-small", stub.url, batch_size=2)
        vectors = provider.embed(["a b", "c d", "e f", "g h", "i"])
    assert len(vectors) == 5 and all(len(v) == DIMENSIONS for v in vectors)
    assert [len(r["body"]["input"]) for r in stub.requests] == [2, 2, 1]
    assert all(r["body"]["dimensions"] == 768 and r["body"]["model"] == "text-embedding-3-small"
               for r in stub.requests)
    assert provider.model_id == "openai:text-embedding-3-small@768"


def test_retries_429_and_5xx_then_succeeds():
    with OpenAIStub() as stub:
        stub.failures = [(429, {"retry-after": "0"}), (500, {}), (503, {})]
        provider = OpenAIEmbeddings("sk-test", "text-embedding-3-small", stub.url, base_delay=0.01)
        vectors = provider.embed(["blood pressure"])
    assert len(vectors) == 1 and len(stub.requests) == 4


def test_gives_up_after_max_attempts():
    with OpenAIStub() as stub:
        stub.failures = [(429, {"retry-after": "0"})] * 10
        provider = OpenAIEmbeddings("sk-test", "m", stub.url, max_attempts=3, base_delay=0.01)
        with pytest.raises(EmbeddingError, match="after 3 attempts"):
            provider.embed(["x"])
    assert len(stub.requests) == 3


def test_client_errors_are_not_retried():
    with OpenAIStub(api_key="sk-other") as stub:
        provider = OpenAIEmbeddings("sk-test", "m", stub.url, base_delay=0.01)
        with pytest.raises(EmbeddingError, match="401"):
            provider.embed(["x"])
    assert len(stub.requests) == 1
