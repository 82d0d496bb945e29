"""The assistant's system prompt: the platform's base instructions, then the entity's, the
department's and the meeting's, in that order (later ones are more specific)."""
from __future__ import annotations

BASE_INSTRUCTIONS = {
    "en": (
        "You are doctor-live's meeting assistant, listening to a video consultation or meeting. "
        "You help the professionals with short, factual suggestions drawn ONLY from the passages "
        "of the organisation's knowledge base given to you. Quote the document and page you rely "
        "on. If the passages do not answer, say you found nothing relevant instead of guessing. "
        "Never give a diagnosis or replace professional judgement; you are an aid. Answer in at "
        "most four sentences, in English."
    ),
    "pt": (
        "Você é o assistente de reuniões do doctor-live e acompanha uma consulta ou reunião por "
        "vídeo. Ajude os profissionais com sugestões curtas e factuais tiradas SOMENTE dos trechos "
        "da base de conhecimento da organização que lhe forem dados. Cite o documento e a página "
        "em que se baseia. Se os trechos não responderem, diga que não encontrou nada relevante em "
        "vez de adivinhar. Nunca dê diagnósticos nem substitua o julgamento profissional; você é um "
        "apoio. Responda em no máximo quatro frases, em português."
    ),
}

_HEADINGS = {
    "en": ("Organisation instructions", "Department instructions", "Instructions for this meeting"),
    "pt": ("Instruções da organização", "Instruções do departamento", "Instruções desta reunião"),
}


def language_of(locale: str) -> str:
    lang = (locale or "en").split("-")[0].lower()
    return lang if lang in BASE_INSTRUCTIONS else "en"


def build_system_prompt(locale: str, entity_instructions: str | None = None,
                        department_instructions: str | None = None,
                        meeting_instructions: str | None = None) -> str:
    """One prompt from the four layers; empty layers are left out."""
    lang = language_of(locale)
    parts = [BASE_INSTRUCTIONS[lang]]
    for heading, text in zip(_HEADINGS[lang], (entity_instructions, department_instructions,
                                               meeting_instructions), strict=True):
        if text and text.strip():
            parts.append(f"## {heading}\n{text.strip()}")
    return "\n\n".join(parts)


def passages_block(passages, locale: str) -> str:
    lang = language_of(locale)
    head = "Knowledge-base passages" if lang == "en" else "Trechos da base de conhecimento"
    lines = [f"## {head}"]
    for i, p in enumerate(passages, 1):
        page = f", p. {p.page}" if p.page is not None else ""
        lines.append(f"[{i}] {p.filename}{page} (similarity {p.similarity:.2f}):\n{p.content.strip()}")
    return "\n\n".join(lines)
