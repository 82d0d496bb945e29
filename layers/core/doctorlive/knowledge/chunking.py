"""Chunks of at most 512 tokens (cl100k_base, via tiktoken) overlapping by about 128 tokens,
cut on sentence boundaries, each knowing the pages it came from."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


_CL100K_FILE = Path(__file__).with_name("cl100k_base.tiktoken")
# tiktoken's published SHA-256 of cl100k_base.tiktoken: the shipped copy is checked on load.
_CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
_CL100K_PATTERN = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
                   r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s""")


@lru_cache(maxsize=1)
def encoding():
    """OpenAI's cl100k_base, built from the ranks file shipped in this package (tiktoken would
    download it at run time, and nothing may be downloaded here or in a Lambda)."""
    import base64
    import hashlib

    import tiktoken

    data = _CL100K_FILE.read_bytes()
    if hashlib.sha256(data).hexdigest() != _CL100K_SHA256:
        raise RuntimeError(f"{_CL100K_FILE.name} does not match tiktoken's published hash")
    ranks = {base64.b64decode(token): int(rank)
             for token, rank in (line.split() for line in data.splitlines() if line)}
    return tiktoken.Encoding(
        name="cl100k_base", pat_str=_CL100K_PATTERN, mergeable_ranks=ranks,
        special_tokens={"<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
                        "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276})


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
