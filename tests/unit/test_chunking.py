"""Chunking and PDF reading rules, without I/O."""
from __future__ import annotations

from itertools import pairwise

import pytest

from doctorlive.knowledge.chunking import chunk_pages, count_tokens, encoding
from doctorlive.knowledge.pdf import UnreadableDocument, extract_pages
from tests.support.pdfs import CARDIO_PAGES, drawing_only_pdf, encrypted_pdf, text_pdf


def test_cl100k_is_available_offline():
    # The published cl100k_base ids of "hello world".
    assert encoding().encode("hello world") == [15339, 1917]
    assert count_tokens("hello world") == 2


def test_chunks_respect_the_token_limit_and_overlap_on_sentence_boundaries():
    sentences = [f"Sentence number {i} talks about topic {i % 7} in some detail." for i in range(400)]
    pages = [" ".join(sentences[i:i + 100]) for i in range(0, 400, 100)]
    chunks = chunk_pages(pages, max_tokens=512, overlap_tokens=128)
    assert len(chunks) > 4
    assert all(c.token_count <= 512 for c in chunks)
    for a, b in pairwise(chunks):
        assert a.content.endswith(".") and b.content.endswith(".")  # cut between sentences
        shared = set(a.content.split(". ")) & set(b.content.split(". "))
        overlap = count_tokens(". ".join(shared))
        assert 64 <= overlap <= 140  # about 128 tokens carried over
    assert chunks[0].page_start == 1 and chunks[-1].page_end == 4
    assert any(c.page_start != c.page_end for c in chunks)


def test_a_sentence_longer_than_a_chunk_is_cut_by_tokens():
    giant = "word " * 2000
    chunks = chunk_pages([giant], max_tokens=512, overlap_tokens=128)
    assert all(c.token_count <= 512 for c in chunks) and len(chunks) >= 4


def test_short_document_is_one_chunk_with_its_pages():
    chunks = chunk_pages(["First page text.", "Second page text."])
    assert len(chunks) == 1 and (chunks[0].page_start, chunks[0].page_end) == (1, 2)


def test_pages_are_extracted_in_order():
    pages = extract_pages(text_pdf(CARDIO_PAGES))
    assert len(pages) == 4 and "apixaban" in pages[2] and "sodium" in pages[1]


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"PK\x03\x04 a zip file", "not a PDF"),
    (b"%PDF-1.7\n garbage that is not a pdf body", "damaged"),
])
def test_unreadable_files_have_reasons_a_person_understands(data, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        extract_pages(data)


def test_password_protected_pdf_is_refused():
    with pytest.raises(UnreadableDocument, match="password-protected"):
        extract_pages(encrypted_pdf())


def test_image_only_pdf_is_refused():
    with pytest.raises(UnreadableDocument, match="no extractable text"):
        extract_pages(drawing_only_pdf())
