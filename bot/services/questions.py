"""Deciding what to do with a citizen's free-text question.

Order matters: an emergency is answered first (103/112) whatever else the text holds; then a
request for medical advice is declined; then a language we do not speak; only then the
knowledge base. A question naming a region, about quotas, is answered from ivf_quotas.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.services.ivf_quotas import IvfQuotaTable, RegionQuotas
from bot.services.knowledge_base import Entry, KnowledgeBase, ScoredEntry
from bot.services.personal_data import (
    IIN_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    redact_personal_data,
)
from bot.services.regions import Region, RegionDirectory
from bot.services.safety import (
    asks_for_medical_advice,
    has_words,
    is_emergency,
    is_unsupported_language,
)
from bot.services.text_folding import fold, fold_words

# A regional-quota entry this close to the best one still wins when a region is named:
# «2024 жылы Атырау облысына қанша квота бөлінді» is about Atyrau's quotas, not the budget.
REGIONAL_MARGIN = 0.15
UNANSWERED_LIMIT = 500
NAME_PLACEHOLDER = "[NAME]"
ADDRESS_PLACEHOLDER = "[ADDRESS]"


class AnswerKind(StrEnum):
    EMERGENCY = "emergency"
    MEDICAL_ADVICE = "medical_advice"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    NO_WORDS = "no_words"
    ENTRY = "entry"
    REGION_QUOTAS = "region_quotas"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class QuestionAnswer:
    """What the bot should answer; the handler renders it in the user's language."""

    kind: AnswerKind
    entry: Entry | None = None
    alternatives: tuple[Entry, ...] = field(default=())
    region: Region | None = None
    quotas: RegionQuotas | None = None
    confidence: float = 0.0


def answer_question(
    text: str,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
) -> QuestionAnswer:
    """Classify `text` and find its answer. Never raises on any text."""
    if not has_words(text):
        return QuestionAnswer(AnswerKind.NO_WORDS)
    if is_emergency(text):
        return QuestionAnswer(AnswerKind.EMERGENCY)
    if asks_for_medical_advice(text):
        return QuestionAnswer(AnswerKind.MEDICAL_ADVICE)
    if is_unsupported_language(text):
        return QuestionAnswer(AnswerKind.UNSUPPORTED_LANGUAGE)
    result = knowledge_base.search(text)
    if result.best is None:
        return QuestionAnswer(AnswerKind.NOT_FOUND, confidence=result.confidence)
    regional = _regional_entry(result.best, result.ranked)
    region = regions.find(text) if regional is not None else None
    if regional is not None and region is not None:
        return QuestionAnswer(
            AnswerKind.REGION_QUOTAS,
            entry=regional,
            region=region,
            quotas=ivf_quotas.for_region(region.code),
            confidence=result.confidence,
        )
    return QuestionAnswer(
        AnswerKind.ENTRY,
        entry=result.best,
        alternatives=result.alternatives,
        confidence=result.confidence,
    )


def _regional_entry(best: Entry, ranked: tuple[ScoredEntry, ...]) -> Entry | None:
    if best.regional == "quotas":
        return best
    for scored in ranked:
        if scored.entry.regional == "quotas" and scored.score >= ranked[0].score - REGIONAL_MARGIN:
            return scored.entry
    return None


@dataclass(frozen=True, slots=True)
class RedactedQuestion:
    text: str  # as typed, without personal data, at most UNANSWERED_LIMIT characters
    normalised: str  # folded, so the same question typed differently counts once


# «меня зовут Айгерим Садыкова», «менің атым Айгерім», «my name is ...»: the next one or two
# words are a name.
_NAME_INTRO = re.compile(
    r"(?i)(меня зовут|моё имя|мое имя|я\s*[-—]|менің атым|менің есімім|атым|есімім|my name is)"
    r"(\s+[^\s,.!?]+){1,2}"
)
# «ул. Абая 15, кв. 3», «Абай көшесі 12», «мкр Самал-2, дом 5». The lookbehind starts the
# second form only at a word's beginning: from every position inside a long word the regex
# would otherwise scan to its end (4,096 letters took a second, bench/redaction.py).
_ADDRESS = re.compile(
    r"(?i)(?:\b(?:ул|улица|пр|проспект|мкр|микрорайон|д|дом|кв|квартира|пер|переулок"
    r"|шағын аудан|үй|пәтер)\.?\s+[^\s,]+(?:\s*\d+\w*)?)"
    r"|(?:(?<![^\s,])[^\s,]+\s+(?:көшесі|даңғылы|шағын ауданы)(?:\s*\d+\w*)?)"
)
_PLACEHOLDERS = (
    NAME_PLACEHOLDER,
    ADDRESS_PLACEHOLDER,
    IIN_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    "[EMAIL]",
    "[NUMBER]",
)
_LONG_NUMBER = re.compile(r"\d{5,}")
_CAPITALISED = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]{2,}")
_TOKEN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?…]$")


def redact_question(text: str, is_known_word: Callable[[str], bool]) -> RedactedQuestion:
    """The question without IINs, phones, e-mails, names or addresses, ready to be kept.

    A capitalised word in mid-sentence that is not a known word (our vocabulary, a region)
    is taken for a name and removed: better to lose «Айгерим» than to keep it.
    """
    cleaned = redact_personal_data(" ".join(text.split()))
    cleaned = _NAME_INTRO.sub(lambda match: f"{match.group(1)} {NAME_PLACEHOLDER}", cleaned)
    cleaned = _ADDRESS.sub(ADDRESS_PLACEHOLDER, cleaned)
    cleaned = _LONG_NUMBER.sub("[NUMBER]", cleaned)
    cleaned = _remove_unknown_names(cleaned, is_known_word)
    cleaned = cleaned[:UNANSWERED_LIMIT]
    placeholders = {fold(p) for p in _PLACEHOLDERS}
    words = [word for word in fold_words(cleaned) if word not in placeholders]
    return RedactedQuestion(text=cleaned, normalised=" ".join(words)[:UNANSWERED_LIMIT])


def _remove_unknown_names(text: str, is_known_word: Callable[[str], bool]) -> str:
    tokens = _TOKEN.findall(text)
    kept = []
    sentence_start = True
    known: dict[str, bool] = {}  # a word repeated is looked up once
    for token in tokens:
        word = token.strip("«»\"'()[],:;.!?…")
        looks_like_name = bool(_CAPITALISED.fullmatch(word)) and not sentence_start
        if looks_like_name and word not in known:
            known[word] = is_known_word(word)
        kept.append(
            token.replace(word, NAME_PLACEHOLDER) if looks_like_name and not known[word] else token
        )
        sentence_start = bool(_SENTENCE_END.search(token))
    return " ".join(kept)


def known_word_checker(
    knowledge_base: KnowledgeBase, regions: RegionDirectory
) -> Callable[[str], bool]:
    """A word is known when the knowledge base uses it or it names a region or city."""
    vocabulary = knowledge_base.vocabulary()

    def is_known(word: str) -> bool:
        folded = fold(word)
        return folded in vocabulary or regions.find(word) is not None

    return is_known
