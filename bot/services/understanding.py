"""The one step that reads a citizen's message and decides what to do with it.

`Understanding.read` turns the text (and what the bot knows of the user) into a `Reading`: the
text with personal data masked, its folded words, the language it is written in, the regions,
settlements and age it names. `Understanding.decide` turns a reading into one `Decision`, in this
order: emergency; a request for medical advice; a language we do not speak; a feature of the bot
(the queue look-up, visits to a named village, quotas of a region, facilities, …); a knowledge-base
entry; nothing found. The free-text handler renders the decision; nothing else reads the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.services.facilities import FacilityDirectory
from bot.services.ivf_quotas import IvfQuotaTable, RegionQuotas
from bot.services.knowledge_base import Entry, KnowledgeBase, SearchResult
from bot.services.language import Lang, detect_language
from bot.services.mobile_clinics import is_mobile_clinic_question
from bot.services.personal_data import redact_personal_data
from bot.services.regions import Region, RegionDirectory
from bot.services.safety import (
    asks_for_medical_advice,
    has_words,
    is_emergency,
    is_unsupported_language,
)
from bot.services.settlements import Settlement, SettlementDirectory
from bot.services.text_folding import fold

# A message is read up to here: a 4,096-character paragraph costs no more than this much.
READ_LIMIT = 2000
# A regional-quota entry this close to the best one still wins when a region is named:
# «2024 жылы Атырау облысына қанша квота бөлінді» is about Atyrau's quotas, not the budget.
REGIONAL_MARGIN = 0.15


class DecisionKind(StrEnum):
    EMERGENCY = "emergency"
    MEDICAL_ADVICE = "medical_advice"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    NO_WORDS = "no_words"
    FEATURE = "feature"
    ENTRY = "entry"
    NOT_FOUND = "not_found"


class Feature(StrEnum):
    """What the bot can do beyond answering from the knowledge base."""

    QUEUE_LOOKUP = "queue_lookup"
    ELIGIBILITY_CHECK = "eligibility_check"
    VILLAGE_VISITS = "village_visits"
    MOBILE_VISITS = "mobile_visits"
    REMINDERS = "reminders"
    REGION_QUOTAS = "region_quotas"
    FACILITIES = "facilities"
    MY_REGION = "my_region"


@dataclass(frozen=True, slots=True)
class Reading:
    """A message read once: everything downstream works on this, never on the raw text."""

    text: str  # as typed, IINs and phones masked, at most READ_LIMIT characters
    folded: str
    words: tuple[str, ...]
    language: Lang | None
    region: Region | None  # the region the message names
    settlements: tuple[Settlement, ...]  # the settlements it names
    saved_region: Region | None  # the user's «📍 My region»
    says_my_region: bool  # «в моей области», «менің облысымда»


@dataclass(frozen=True, slots=True)
class Decision:
    """What to answer; the handler renders it in the reply language."""

    kind: DecisionKind
    feature: Feature | None = None
    entry: Entry | None = None
    alternatives: tuple[Entry, ...] = field(default=())
    region: Region | None = None
    quotas: RegionQuotas | None = None
    settlements: tuple[Settlement, ...] = field(default=())
    also_medical_advice: bool = False  # an emergency that also asks about medicines
    confidence: float = 0.0

    @property
    def label(self) -> str:
        """A short name of the decision («entry:ivf_age», «feature:queue_lookup», «emergency»)."""
        if self.kind is DecisionKind.FEATURE and self.feature is not None:
            return f"feature:{self.feature}"
        if self.kind is DecisionKind.ENTRY and self.entry is not None:
            return f"entry:{self.entry.id}"
        return str(self.kind)

    @property
    def offered_features(self) -> tuple[Feature, ...]:
        """Features the reply opens or offers first: the decision's own, then the entry's."""
        offered = [self.feature] if self.feature is not None else []
        if self.entry is not None:
            offered += [Feature(code) for code in entry_offers(self.entry)]
        return tuple(dict.fromkeys(offered))


def entry_offers(entry: Entry) -> tuple[str, ...]:
    offers = getattr(entry, "offers", ()) or ()
    return tuple(code for code in offers if code in Feature.__members__.values())


# Folded word starts. «кезек» (queue) with a personal word asks for one's own place.
_QUEUE_WORDS = ("очеред", "очередь", "кезег", "кезек", "кезект", "лист ожидан", "тизим", "ожидани")
_PERSONAL_WORDS = frozenset(
    [
        "я",
        "мне",
        "меня",
        "мой",
        "моя",
        "мое",
        "мои",
        "моей",
        "моем",
        "мы",
        "нас",
        "наш",
        "наша",
        "наше",
        "мен",
        "мени",
        "менин",
        "маган",
        "менде",
        "биз",
        "бизди",
        "бизге",
        "бизде",
        "биздин",
        "сиз",
        "ман",
        "mine",
    ]
)
_POSITION_WORDS = (
    "где",
    "какое",
    "какой",
    "каком",
    "номер",
    "место",
    "позиц",
    "неш",
    "нешинш",
    "кандаи",
    "кашан",
    "калаи",
    "орн",
    "узнат",
    "посмотр",
    "провер",
    "карау",
    "кору",
    "билу",
    "тексер",
    "двигает",
    "продвига",
    "жылжи",
    "жылжып",
    "когда",
    "скоро",
)
_MY_REGION = re.compile(
    r"\b(?:(?:в|по|из) (?:мое\w*|нашеи|наше\w*) (?:обл\w*|регион\w*|город\w*|раион\w*)"
    r"|(?:менин|биздин|озимиздин|озимнин) (?:облыс\w*|онир\w*|аудан\w*|калам\w*|кала\w*)"
    r"|(?:мое\w*|нашеи|наше\w*) (?:обл\w*|регион\w*))"
)
_QUOTA_WORDS = ("квот",)
_HOW_MANY = ("сколк", "канш", "колич", "число", "санi", "саны")
_REMINDER_WORDS = ("напомин", "напомн", "еске сал", "ескерт", "эске")
_VISIT_WORDS = (
    "когда",
    "кашан",
    "приед",
    "приезж",
    "будет",
    "келед",
    "келет",
    "келе",
    "кел",
    "график",
    "кестес",
    "кесте",
    "расписан",
    "дата",
    "кун",
    "день",
    "числ",
    "ближаиш",
)
_GREETINGS = frozenset(
    [
        "здравствуите",
        "здраствуите",
        "здрасте",
        "здравствуи",
        "привет",
        "добрыи",
        "день",
        "вечер",
        "утро",
        "доброе",
        "салем",
        "саламатсыз",
        "саламатсызба",
        "салеметсиз",
        "салеметсизбе",
        "салеметсизбе",
        "ассалаумагалеикум",
        "ассалаумаликум",
        "салам",
        "сауле",
        "хаи",
        "hello",
        "hi",
        "куттыкта",
        "кун",
    ]
)


class Understanding:
    """Reads a message once and decides the one thing to do with it."""

    def __init__(
        self,
        knowledge_base: KnowledgeBase,
        regions: RegionDirectory,
        ivf_quotas: IvfQuotaTable,
        facilities: FacilityDirectory,
        settlements: SettlementDirectory,
    ) -> None:
        self.knowledge_base = knowledge_base
        self.regions = regions
        self.ivf_quotas = ivf_quotas
        self.facilities = facilities
        self.settlements = settlements

    def read(self, text: str, *, saved_region: str | None = None) -> Reading:
        """Read `text` once: masked, folded, its language, and the places it names."""
        masked = redact_personal_data(text[:READ_LIMIT])
        folded = fold(masked)
        words = tuple(folded.split())
        region = self.regions.find(masked) if words else None
        settlements: tuple[Settlement, ...] = ()
        if words:
            # A region named too narrows the search: «Қызылорда облысы Шиелі».
            named = self.settlements.find(masked, region.code) if region else []
            settlements = tuple(named or self.settlements.find(masked))
        return Reading(
            text=masked,
            folded=folded,
            words=words,
            language=detect_language(masked) if words else None,
            region=region,
            settlements=settlements,
            saved_region=self.regions.get(saved_region) if saved_region else None,
            says_my_region=bool(_MY_REGION.search(folded)),
        )

    def decide(self, reading: Reading) -> Decision:
        """The one thing to do with a message. Never raises on any reading."""
        text = reading.text
        if not has_words(text):
            return Decision(DecisionKind.NO_WORDS)
        if is_emergency(text):
            return Decision(
                DecisionKind.EMERGENCY, also_medical_advice=asks_for_medical_advice(text)
            )
        if asks_for_medical_advice(text):
            return Decision(DecisionKind.MEDICAL_ADVICE)
        if is_unsupported_language(text):
            return Decision(DecisionKind.UNSUPPORTED_LANGUAGE)
        question = _without_greeting(reading)
        feature = self._feature(reading, question)
        if feature is not None:
            return feature
        result = self.knowledge_base.search(question)
        return self._from_knowledge_base(reading, result)

    def _feature(self, reading: Reading, question: str) -> Decision | None:
        words = reading.words
        if _asks_own_queue_place(words):
            return Decision(DecisionKind.FEATURE, Feature.QUEUE_LOOKUP)
        mobile = is_mobile_clinic_question(reading.folded)
        if mobile and _starts_any(words, _REMINDER_WORDS):
            return Decision(DecisionKind.FEATURE, Feature.REMINDERS)
        if reading.settlements and (mobile or _starts_any(words, _VISIT_WORDS)):
            return Decision(
                DecisionKind.FEATURE, Feature.VILLAGE_VISITS, settlements=reading.settlements
            )
        if _starts_any(words, _QUOTA_WORDS) and not mobile:
            region = reading.region
            if region is None and reading.says_my_region:
                region = reading.saved_region
                if region is None:
                    return Decision(DecisionKind.FEATURE, Feature.REGION_QUOTAS)
            if region is not None:
                return Decision(
                    DecisionKind.FEATURE,
                    Feature.REGION_QUOTAS,
                    region=region,
                    quotas=self.ivf_quotas.for_region(region.code),
                )
        if not mobile and self.facilities.is_facility_question(question):
            return Decision(DecisionKind.FEATURE, Feature.FACILITIES)
        return None

    def _from_knowledge_base(self, reading: Reading, result: SearchResult) -> Decision:
        if result.best is None:
            return Decision(DecisionKind.NOT_FOUND, confidence=result.confidence)
        regional = next(
            (
                scored.entry
                for scored in result.ranked
                if scored.entry.regional == "quotas"
                and scored.score >= result.ranked[0].score - REGIONAL_MARGIN
            ),
            None,
        )
        region = reading.region or (reading.saved_region if reading.says_my_region else None)
        if regional is not None and region is not None:
            return Decision(
                DecisionKind.FEATURE,
                Feature.REGION_QUOTAS,
                entry=regional,
                region=region,
                quotas=self.ivf_quotas.for_region(region.code),
                confidence=result.confidence,
            )
        return Decision(
            DecisionKind.ENTRY,
            entry=result.best,
            alternatives=result.alternatives,
            confidence=result.confidence,
        )


def _starts_any(words: tuple[str, ...], starts: tuple[str, ...]) -> bool:
    return any(word.startswith(starts) for word in words)


def _asks_own_queue_place(words: tuple[str, ...]) -> bool:
    """«где я в очереди», «менің кезегім қашан», «кезек»: one's own place in the waiting list."""
    queue_at = [i for i, word in enumerate(words) if word.startswith(_QUEUE_WORDS)]
    if not queue_at:
        return False
    if len(words) == 1:
        return True
    # «кезегим», «кезегимиз», «очередь моя»: a possessive ending or a personal word.
    possessive = any(words[i].startswith(("кезегим", "кезегим", "кезектеги")) for i in queue_at)
    personal = possessive or any(word in _PERSONAL_WORDS for word in words)
    return personal and (possessive or _starts_any(words, _POSITION_WORDS))


def _without_greeting(reading: Reading) -> str:
    """The question behind a greeting: «здравствуйте, … хочу эко бесплатно» asks about IVF."""
    words = reading.words
    rest = [word for word in words if word not in _GREETINGS]
    if not rest or len(rest) == len(words) or len(rest) < 2:
        return reading.text
    return " ".join(rest)
