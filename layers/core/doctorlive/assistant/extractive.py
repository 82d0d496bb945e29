"""The offline assistant: no language model, only what was said and what the knowledge base
holds. Suggestions quote the best passages; the summary picks the utterances that carried the
meeting (questions, decisions, knowledge terms) and the action items people committed to."""
from __future__ import annotations

import re

from doctorlive.assistant.models import Passage, Summary, Utterance
from doctorlive.assistant.prompting import language_of
from doctorlive.assistant.triggers import fold, is_question, knowledge_terms

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
QUOTE_CHARS = 320

_LABELS = {
    "en": {"from": "From", "page": "p.", "nothing": "Nothing in the knowledge base matches this yet.",
           "answer": "What the knowledge base says"},
    "pt": {"from": "De", "page": "p.", "nothing": "Nada na base de conhecimento corresponde a isso ainda.",
           "answer": "O que diz a base de conhecimento"},
}

# Phrases by which people commit to doing something, in both languages (accents folded).
_ACTIONS = re.compile(
    r"\b(i will|i'll|we will|we'll|let's|lets|please|need to|needs to|have to|has to|should|"
    r"schedule|book|send|call|follow up|remember to|"
    r"vou|vamos|precisa|precisamos|preciso|tem que|temos que|deve|devemos|agendar|marcar|"
    r"enviar|mandar|ligar|retorno|lembrar de|por favor)\b")


def best_sentences(text: str, query_terms: set[str], limit: int = QUOTE_CHARS) -> str:
    """The passage's sentences that share most words with the query, in their order, cut to
    `limit` characters at a sentence (or word) boundary."""
    sentences = [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip()]
    if not sentences:
        return ""
    scored = sorted(range(len(sentences)),
                    key=lambda i: -len(query_terms & set(re.findall(r"[a-z0-9]+", fold(sentences[i])))))
    chosen: list[int] = []
    total = 0
    for i in scored:
        if total + len(sentences[i]) > limit and chosen:
            break
        chosen.append(i)
        total += len(sentences[i]) + 1
    out = " ".join(sentences[i] for i in sorted(chosen))
    if len(out) > limit:
        out = out[:limit].rsplit(" ", 1)[0] + "…"
    return out


def suggestion_text(query: str, passages: list[Passage], locale: str) -> str:
    labels = _LABELS[language_of(locale)]
    if not passages:
        return labels["nothing"]
    terms = set(re.findall(r"[a-z0-9]+", fold(query)))
    lines = []
    for p in passages:
        where = f"{p.filename}, {labels['page']} {p.page}" if p.page is not None else p.filename
        lines.append(f"“{best_sentences(p.content, terms)}” — {where}")
    return "\n\n".join(lines)


def summarize(utterances: list[Utterance], locale: str, max_points: int = 8) -> Summary:
    """Key points: questions asked and utterances with knowledge terms, in order, at most
    `max_points`; action items: utterances that commit someone to something."""
    lang = language_of(locale)
    if not utterances:
        empty = "No speech was transcribed in this meeting." if lang == "en" else \
            "Nenhuma fala foi transcrita nesta reunião."
        return Summary(summary=empty, action_items=[], mode="extractive")
    key = [u for u in utterances if is_question(u.text) or knowledge_terms(u.text)] or utterances
    key = key[:max_points]
    speakers = sorted({u.speaker for u in utterances})
    head = (f"{len(utterances)} utterances by {', '.join(speakers)}. Key points:" if lang == "en"
            else f"{len(utterances)} falas de {', '.join(speakers)}. Pontos principais:")
    summary = "\n".join([head, *(f"- {u.speaker}: {u.text.strip()}" for u in key)])
    actions = [f"{u.speaker}: {u.text.strip()}" for u in utterances
               if _ACTIONS.search(fold(u.text)) and not is_question(u.text)]
    return Summary(summary=summary, action_items=actions[:20], mode="extractive")
