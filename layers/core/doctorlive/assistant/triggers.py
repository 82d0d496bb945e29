"""When an utterance is worth a knowledge-base look-up: the cheap heuristic that runs on every
final segment. Questions (a question mark, or an interrogative opening in Portuguese or English)
and clinical or knowledge terms (a small lexicon of both languages) trigger a search; small talk
does not. The model is used only after a search found passages worth quoting."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_INTERROGATIVES = {
    # English
    "what", "which", "how", "when", "where", "why", "who", "whom", "whose", "should", "can",
    "could", "is", "are", "does", "do", "did", "may", "might", "would", "will", "shall",
    # Portuguese (accents folded)
    "qual", "quais", "como", "quando", "onde", "porque", "por", "quem", "quanto", "quanta",
    "quantos", "quantas", "pode", "podemos", "posso", "devo", "deve", "devemos", "existe",
    "existem", "ha", "o", "e", "tem", "seria", "sera",
}
# Openings that only ask when followed by a question word: "o que", "é possível", "por que".
_PAIRS = {("o", "que"), ("e", "possivel"), ("por", "que"), ("e", "seguro"), ("is", "it"), ("is", "there"),
          ("are", "there")}

_TERMS = {
    # English
    "dose", "dosage", "dosing", "mg", "mcg", "ml", "contraindication", "contraindications",
    "contraindicated", "interaction", "interactions", "side", "adverse", "allergy", "allergic",
    "protocol", "guideline", "guidelines", "diagnosis", "diagnostic", "symptom", "symptoms",
    "treatment", "therapy", "medication", "medicine", "drug", "prescription", "prescribe",
    "pressure", "hypertension", "diabetes", "insulin", "antibiotic", "amoxicillin", "fever",
    "pain", "infection", "pregnancy", "pregnant", "vaccine", "vaccination", "exam", "test",
    "procedure", "policy", "recommended", "recommendation", "risk", "indication",
    # Portuguese
    "posologia", "contraindicacao", "contraindicacoes", "contraindicado", "interacao",
    "interacoes", "colateral", "colaterais", "adverso", "adversos", "alergia", "alergico",
    "protocolo", "diretriz", "diretrizes", "diagnostico", "sintoma", "sintomas", "tratamento",
    "terapia", "medicamento", "medicamentos", "remedio", "receita", "prescrever", "pressao",
    "hipertensao", "insulina", "antibiotico", "amoxicilina", "febre", "dor", "infeccao",
    "gravidez", "gestante", "vacina", "vacinacao", "exame", "exames", "procedimento",
    "politica", "recomendado", "recomendada", "recomendacao", "risco", "indicacao",
}
_WORD = re.compile(r"[a-z0-9]+")
MIN_WORDS = 3


@dataclass(frozen=True)
class Trigger:
    reason: str            # "question" | "terms"
    terms: tuple[str, ...]
    query: str             # what to search for


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def is_question(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    w = words(stripped)
    if len(w) < MIN_WORDS:
        return False
    if (w[0], w[1]) in _PAIRS:
        return True
    return w[0] in _INTERROGATIVES - {"o", "e", "is", "are", "por", "ha"}


def knowledge_terms(text: str) -> tuple[str, ...]:
    seen: list[str] = []
    for w in words(text):
        if w in _TERMS and w not in seen:
            seen.append(w)
    return tuple(seen)


def detect(text: str) -> Trigger | None:
    """A search for this utterance, or None. Very short segments ("ok", "sim, claro") never."""
    if len(words(text)) < MIN_WORDS:
        return None
    terms = knowledge_terms(text)
    if is_question(text):
        return Trigger("question", terms, text.strip())
    if terms:
        return Trigger("terms", terms, text.strip())
    return None
