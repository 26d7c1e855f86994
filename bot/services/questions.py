"""Questions the bot could not answer, kept for staff without personal data.

What a question asks is decided in bot/services/understanding.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.db.questions import QuestionLogRepository
from bot.services.knowledge_base import KnowledgeBase
from bot.services.personal_data import (
    IIN_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    redact_personal_data,
)
from bot.services.regions import RegionDirectory
from bot.services.text_folding import fold, fold_words

UNANSWERED_LIMIT = 500
NAME_PLACEHOLDER = "[NAME]"
ADDRESS_PLACEHOLDER = "[ADDRESS]"


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


# Where unanswered questions are kept for /stats; handlers name it by this service's word.
UnansweredLog = QuestionLogRepository


async def keep_unanswered(
    log: UnansweredLog,
    text: str,
    *,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    language: str | None,
    asker: bytes | None,
) -> None:
    """Keep a question nothing answered, without IINs, phones, names or addresses."""
    redacted = redact_question(text, known_word_checker(knowledge_base, regions))
    await log.record_unanswered(redacted.text, redacted.normalised, language, asker=asker)
