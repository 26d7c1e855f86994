"""The one step that reads a citizen's message and decides what to do with it.

`Understanding.read` turns the text (and what the bot knows of the user) into a `Reading`: the
text with personal data masked, its folded words, the language it is written in, the regions,
settlements and age it names. `Understanding.decide` turns a reading into one `Decision`, in this
order: emergency; a request for medical advice; a language we do not speak; a feature of the bot
(the queue look-up, visits to a named village, quotas of a region, facilities, …); a knowledge-base
entry; nothing found. The free-text handler renders the decision. Two doors more: `safety_of`,
which every message passes first (handlers/safety.py: an emergency typed at a dialog step gets
103/112 before the step reads it), and `can_answer`, which a dialog step asks before it calls a
message it could not read a mistake.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.services.facilities import FacilityDirectory
from bot.services.ivf_quotas import IvfQuotaTable, RegionQuotas
from bot.services.knowledge_base import Entry, KnowledgeBase, SearchResult
from bot.services.language import Lang, detect_language
from bot.services.language import prepare as prepare_language_detection
from bot.services.mobile_clinics import is_mobile_clinic_question
from bot.services.personal_data import redact_personal_data
from bot.services.regions import Region, RegionDirectory
from bot.services.safety import SafetyFlags, assess, has_words, is_unsupported_language
from bot.services.settlements import Settlement, SettlementDirectory
from bot.services.text_folding import fold, place_words

# How many recent messages `Understanding.understand` remembers (a few updates run at once).
_RECENT_SIZE = 32
# A message is read up to here: a 4,096-character paragraph costs no more than this much.
READ_LIMIT = 2000
# A regional-quota entry this close to the best one still wins when a region is named:
# «2024 жылы Атырау облысына қанша квота бөлінді» is about Atyrau's quotas, not the budget.
REGIONAL_MARGIN = 0.15


def _masked_and_folded(text: str) -> tuple[str, str]:
    masked = redact_personal_data(text[:READ_LIMIT])
    return masked, fold(masked)


def safety_of(text: str) -> SafetyFlags:
    """Whether `text` needs 103/112 first (and a doctor), read as `decide` reads it."""
    return assess(_masked_and_folded(text)[1])


# Words that look like a place but are not one: «оралман» (a repatriate) is not Oral.
_NOT_PLACES = frozenset(("оралман", "оралмандар", "оралмандарга", "оралманга", "оралманбыз"))

# A specific entry (disability, kandas, a refund) found with at least this word score answers an
# «can I get a quota» question instead of the general eligibility check (tuning part, CV halves).
SPECIFIC_ENTRY_SCORE = 0.5
_FACILITY_TOPICS = frozenset(("facilities",))
_GENERAL_IVF_ENTRIES = frozenset(
    {"ivf_eligibility", "ivf_how_to_apply", "ivf_programme", "ivf_quota_national", "ivf_age"}
)


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
            offered += _TOPIC_FEATURES.get(self.entry.topic, [])
        return tuple(dict.fromkeys(offered))


# An answer about a topic offers the feature that serves it: the knowledge base knows what mobile
# complexes do, the schedule knows when one comes; a facility entry is followed by the cards.
_TOPIC_FEATURES: dict[str, list[Feature]] = {
    "mobile": [Feature.MOBILE_VISITS],
    "facilities": [Feature.FACILITIES],
}


def entry_offers(entry: Entry) -> tuple[str, ...]:
    return tuple(code for code in entry.offers if code in set(Feature))


# Folded word starts (text_folding.fold: Kazakh letters as Russian ones, Latin as Cyrillic).
# «кезек» / «очередь» (queue) with a personal word asks for one's own place.
_QUEUE_WORDS = ("очеред", "кезег", "кезек", "тизим", "ожидани", "куту параг")
_PERSONAL_WORDS = frozenset(
    ("я", "мне", "меня", "мой", "моя", "мое", "мои", "моеи", "мы", "нас", "наш", "наша",
     "мен", "мени", "менин", "маган", "менде", "биз", "бизди", "бизге", "бизде", "биздин")
)
# Kazakh first person: «орындамын», «нешиншимин», «турдым», «орным», «кезегимиз».
_FIRST_PERSON_ENDINGS = ("мын", "мин", "пын", "пин", "быз", "миз", "мыз", "дым", "дим", "тым",
                         "тим", "ым", "им", "ымды", "имди", "ымыз", "имиз")
# «орным», «место», «нешінші», «сколько человек передо мной»: the place itself.
_POSITION_WORDS = (
    "орн", "орында", "место", "мест", "номер", "позиц", "нешинш", "неш", "калд", "остал", "передо",
    "двига", "продвига", "жылжи", "жылжып", "сколько человек", "канша адам",
)
# «где», «когда», «узнать»: about one's place only with a personal word and no wish to apply.
_LEFT_WORDS = ("калд", "остал")
_ON_DUTY = ("кезекши",)
_LIST_WORDS = ("тизим",)
_PLACE_PHRASES = re.compile(r"\b(?:сколько человек|канша адам)")
_LOOKUP_WORDS = (
    "где", "кашан", "когда", "скоро", "узнат", "посмотр", "провер", "тексер", "карау", "кору",
    "билу", "биле", "кандаи", "какое", "какои", "каком", "каи",
)
# «кезекке қалай тұрамын», «как встать в очередь»: applying, not looking up.
_APPLY_WORDS = ("тур", "встат", "стат", "постав", "записа", "жазыл", "кир", "попаст")
_MY_REGION = re.compile(
    r"\b(?:(?:в|по|из|для) (?:мое\w*|нашеи|наше\w*) (?:обл\w*|регион\w*|город\w*|раион\w*)"
    r"|(?:менин|биздин|озимиздин|озимнин) (?:облыс\w*|онир\w*|аудан\w*|аимаг\w*|кала\w*)"
    r"|облысым\w*|онирим\w*|аимагым\w*|аимагым\w*"
    r"|(?:мо[ия]\w*|нашеи|наше\w*|свои\w*|сво[яю]) (?:обл\w*|регион\w*))"
)
# «Изменить регион», «аймақты ауыстыру», «облысымды сақта»: the «📍 My region» page.
_REGION_WORDS = ("регион", "обл", "онир", "аимак", "аимаг")
_CHANGE_WORDS = ("указ", "измен", "помен", "смен", "выбр", "выбер", "установ", "сохран", "запомн",
                 "ауыстыр", "озгерт", "танда", "сакта", "есте", "белгиле")
_QUOTA_WORDS = ("квот",)
_HOW_MANY_WORDS = ("сколк", "канш", "колич", "число", "саны", "цифр", "мест", "орын")
# «сколько детей родилось», «қанша бала туылды»: results, not quota figures.
_RESULT_WORDS = ("родил", "родив", "рожд", "дет", "ребен", "результат", "натиже", "туыл",
                 "туды", "дуниеге")
# «квота таусылып қалса», «если квоты кончатся»: what happens then, not the figures.
_RUNS_OUT_WORDS = ("таусыл", "битсе", "битип", "закончи", "законч", "кончат", "кончил")
# Medicines, doses and procedures (folded word starts): a question about them that no entry
# answers asks for a doctor's advice (tuning part of bench/corpus, bench/understanding_cv.py).
_TREATMENT_WORDS = (
    "таблетк", "лекарств", "препарат", "дари", "укол", "инекц", "спрей", "сироп", "антибиот",
    "гормон", "витамин", "витамен", "маз", "капл", "свеч", "клексан", "дюфастон", "утрожестан",
    "прогинов", "гонал", "менопур", "гонадотроп", "хгч", "прогестерон", "естрадиол", "парацетамол",
    "ибупрофен", "нурофен", "фоли", "иод", "доз", "лечит", "лечен", "емде", "ишсем", "ишемин",
    "ишкиз", "кабылда", "принимат", "колот", "тест", "перенос", "пункц", "подсадк", "коширген",
    "ауыстырган",
)
# «дәрігер» (a doctor) and «дәріхана» (a pharmacy) start like «дәрі» (a medicine); «мазалайды»
# (it troubles me) like «мазь».
_NOT_TREATMENT = ("даригер", "дарихан", "мазала")
# Getting a medicine free or buying it is a question of access, not of treatment.
_ACCESS_WORDS = ("бесплат", "тегин", "аптек", "дарихан", "купит", "дешев", "стоимост", "бага")
_REMINDER_WORDS = ("напомин", "напомн", "ескерт", "ескерту", "эскерт", "еске сал")
# With a mobile-clinic word: «подпишите на уведомления о медпоезде», «хабарлаңыз».
_NOTIFY_WORDS = ("уведом", "оповещ", "оповест", "хабарла", "хабар бер", "подпиш", "сообщ")
# «когда приедет в наше село»: the visits of one's own village, not how schedules are made.
_WHEN_WORDS = ("когда", "кашан", "качан", "приед", "приезж", "келед", "келет", "келе", "бара",
               "заед", "заезж", "прибуд", "будет")
_VILLAGE_WORDS = ("ауыл", "аул", "село", "сел", "деревн", "поселк")
_ASK_WHEN = ("когда", "кашан", "качан", "qashan")
_OWN_PLACE_WORDS = (*_VILLAGE_WORDS, "наш", "биздин", "бизге", "мен", "мне")
# «можно ли мне квоту», «квотаға лайықтымын ба»: the step-by-step eligibility check.
_ELIGIBILITY_WORDS = ("могу ли", "можно ли мне", "подхож", "подоид", "положен", "лаиык",
                      "саи кел", "саикес", "тиесили", "ала аламын", "ала аламыз", "алуга бола",
                      "шанс", "проверит", "проверьт", "проверка", "проверку", "тексерип",
                      "тексеру",
                      "отемин", "отемиз", "дадут ли", "даст ли")
_IVF_WORDS = ("квот", "еко", "еку", "ансаган", "ivf")  # folded: «ЭКО», «ЭКҰ» → «еко», «еку»
_AGE = re.compile(r"\b(?:[1-6]\d)\b")
# Words that make a question about mobile clinics beyond services.mobile_clinics' own list.
_MOBILE_WORDS = ("медпоиыз", "медпоез", "передвижк", "мобилд", "автобус емхан")
_VISIT_WORDS = (
    "когда", "кашан", "качан", "приед", "приезж", "будет", "келед", "келет", "келе", "кел",
    "бара", "барад", "заед", "заезж", "токта", "прибыв", "приход", "график", "кесте",
    "расписан", "дата", "кун", "день", "числ", "ближаиш", "маршрут",
)
_GREETINGS = frozenset(
    ("здравствуите", "здраствуите", "здрасте", "здравствуи", "привет", "добрыи", "день", "вечер",
     "утро", "доброе", "салем", "саламатсыз", "саламатсызба", "салеметсиз", "салеметсизбе",
     "ассалаумагалеикум", "ассалаумаликум", "салам", "хаи", "hello", "hi", "куттыкта", "кун",
     "сизге", "сиз", "бе", "ба")
)


@dataclass(eq=False)
class Understanding:
    """Reads a message once and decides the one thing to do with it."""

    knowledge_base: KnowledgeBase
    regions: RegionDirectory
    ivf_quotas: IvfQuotaTable
    facilities: FacilityDirectory
    settlements: SettlementDirectory

    # The last few messages understood, by message: a dialog step that asked `can_answer` and
    # then handed the message to the free-text handler does not pay for it twice. Keyed by the
    # message, not the text: the same words sent again are read again.
    _recent: OrderedDict[Hashable, tuple[Reading, Decision]] = field(
        default_factory=OrderedDict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        prepare_language_detection()  # at start-up, not on the first citizen's message

    def understand(
        self, text: str, *, saved_region: str | None = None, message: Hashable = None
    ) -> tuple[Reading, Decision]:
        """`read` and `decide` in one; with `message` (chat and message id), remembered for the
        last _RECENT_SIZE messages."""
        key = (message, text, saved_region)
        if message is not None and key in self._recent:
            return self._recent[key]
        reading = self.read(text, saved_region=saved_region)
        understood = reading, self.decide(reading)
        if message is not None:
            self._recent[key] = understood
            if len(self._recent) > _RECENT_SIZE:
                self._recent.popitem(last=False)
        return understood

    def read(self, text: str, *, saved_region: str | None = None) -> Reading:
        """Read `text` once: masked, folded, its language, and the places it names."""
        masked, folded = _masked_and_folded(text)
        words = tuple(folded.split())
        places_text = place_words(word for word in words if word not in _NOT_PLACES)
        region = self.regions.find(places_text) if words else None
        settlements: tuple[Settlement, ...] = ()
        if words:
            # A region named too narrows the search: «Қызылорда облысы Шиелі».
            named = self.settlements.find(places_text, region.code) if region else []
            settlements = tuple(named or self.settlements.find(places_text))
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

    def can_answer(
        self, text: str, *, saved_region: str | None = None, message: Hashable = None
    ) -> bool:
        """Whether the free-text path has an answer for `text`: a dialog step that could not read
        its message («сколько стоит ЭКО?» where a village was asked for) hands it on instead of
        asking again; «где-то далеко» it keeps."""
        kind = self.understand(text, saved_region=saved_region, message=message)[1].kind
        return kind not in (DecisionKind.NOT_FOUND, DecisionKind.NO_WORDS)

    def decide(self, reading: Reading) -> Decision:
        """The one thing to do with a message. Never raises on any reading."""
        text = reading.text
        if not has_words(text):
            return Decision(DecisionKind.NO_WORDS)
        safety = assess(reading.folded)
        if safety.emergency:
            return Decision(DecisionKind.EMERGENCY, also_medical_advice=safety.medical_advice)
        if safety.medical_advice:
            return Decision(DecisionKind.MEDICAL_ADVICE)
        if is_unsupported_language(text):
            return Decision(DecisionKind.UNSUPPORTED_LANGUAGE)
        question = _without_greeting(reading)
        feature = self._feature(reading, question)
        if feature is not None:
            return feature
        result = self.knowledge_base.search(question)
        if result.best is None and question != text:
            # «Доброе утро! Есть кто?»: what is left of a greeting may be no question at all.
            result = self.knowledge_base.search(text)
        if (
            result.best is not None
            and result.best.topic == "facilities"
            and _starts_any(reading.words, _IVF_WORDS)
        ):
            # «я с туркестанской области, хочу эко бесплатно»: an IVF question whose region
            # says where the person lives, not that they ask about the Temirlan centre.
            result = self.knowledge_base.search(self.knowledge_base.without_places(question))
        if result.best is None and _names_treatment(reading.words):
            # «клексан салғаннан кейін көк дақ қалды», «сколько лежать после переноса»: nothing
            # of ours answers it and it names a medicine or a procedure: a doctor decides.
            return Decision(DecisionKind.MEDICAL_ADVICE)
        return self._from_knowledge_base(reading, result)

    def _feature(self, reading: Reading, question: str) -> Decision | None:
        words = reading.words
        folded = reading.folded
        if _asks_own_queue_place(words):
            return Decision(DecisionKind.FEATURE, Feature.QUEUE_LOOKUP)
        # «кешен» alone is any complex («жаңа медициналық кешендер»): mobile when it comes.
        mobile = (
            is_mobile_clinic_question(folded)
            or _starts_any(words, _MOBILE_WORDS)
            or (_starts_any(words, ("кешен",)) and _starts_any(words, _WHEN_WORDS))
            # «когда приедет машина с врачами в село»: a mobile clinic by another name.
            or (
                _starts_any(words, ("машин",))
                and _starts_any(words, _ASK_WHEN)
                and _starts_any(words, _VILLAGE_WORDS)
            )
        )
        if _contains_any(folded, _REMINDER_WORDS) or (
            mobile and _contains_any(folded, _NOTIFY_WORDS)
        ):
            return Decision(DecisionKind.FEATURE, Feature.REMINDERS)
        # «Шидерты», «Мартук», «Сулутөбе ауылы»: a village named alone asks when the clinic comes.
        named_alone = len(words) == 1 or (len(words) == 2 and _starts_any(words, _VILLAGE_WORDS))
        if reading.settlements and (mobile or named_alone or _starts_any(words, _VISIT_WORDS)):
            return Decision(
                DecisionKind.FEATURE, Feature.VILLAGE_VISITS, settlements=reading.settlements
            )
        # «когда приедет ПМК», «ПМК Кызылорда»: the visits, by region and district.
        short_with_region = reading.region is not None and len(words) <= 3
        # «Часто ли ПМК приезжает в район?» asks how they work: the knowledge base answers.
        asks_when = _starts_any(words, _ASK_WHEN) or (
            _starts_any(words, _WHEN_WORDS) and _starts_any(words, _OWN_PLACE_WORDS)
        )
        if mobile and (asks_when or short_with_region):
            return Decision(DecisionKind.FEATURE, Feature.MOBILE_VISITS, region=reading.region)
        quota = _starts_any(words, _QUOTA_WORDS) and not mobile
        if quota and reading.says_my_region and not _starts_any(words, _RUNS_OUT_WORDS):
            region = reading.region or reading.saved_region
            return self._region_quotas(region)
        # «квоты на эко костанайская область», «Түркістан облысына қанша квота»: its figures.
        asks_figures = _starts_any(words, _HOW_MANY_WORDS) or len(words) <= 6
        if quota and reading.region is not None and asks_figures and not _asks_results(words):
            return self._region_quotas(reading.region)
        if _about_my_region(reading):
            return Decision(DecisionKind.FEATURE, Feature.MY_REGION, region=reading.region)
        if (
            _starts_any(words, _IVF_WORDS)
            and _contains_any(folded, _ELIGIBILITY_WORDS)
            and not _AGE.search(folded)
        ):
            # «мүгедектігім бар квота ала аламын ба», «ақылы ЭКО ақшасын қайтарып ала аламыз
            # ба»: a condition the knowledge base answers on its own beats the general check.
            result = self.knowledge_base.search(question)
            if _sure_of_other(result, lambda entry: entry.id in _GENERAL_IVF_ENTRIES):
                return self._from_knowledge_base(reading, result)
            return Decision(
                DecisionKind.FEATURE,
                Feature.ELIGIBILITY_CHECK,
                entry=self.knowledge_base.get("ivf_eligibility"),
            )
        if not mobile and self.facilities.is_facility_question(question):
            # A facility the knowledge base has an entry for: the cards, then that entry.
            result = self.knowledge_base.search(question)
            if _sure_of_other(result, lambda entry: entry.topic in _FACILITY_TOPICS):
                # «жаңа емханаға қалай бекітілемін» (attachment), «кешен кестесін аудандық
                # ауруханадан сұраймыз ба»: a question about something else that names a facility.
                return self._from_knowledge_base(reading, result)
            if result.best is not None and result.best.topic == "facilities":
                return Decision(
                    DecisionKind.FEATURE,
                    Feature.FACILITIES,
                    entry=result.best,
                    confidence=result.confidence,
                )
            return Decision(DecisionKind.FEATURE, Feature.FACILITIES)
        return None

    def _region_quotas(self, region: Region | None) -> Decision:
        if region is None:  # «in my region» with no region saved: the reply asks for it
            return Decision(DecisionKind.FEATURE, Feature.REGION_QUOTAS)
        return Decision(
            DecisionKind.FEATURE,
            Feature.REGION_QUOTAS,
            region=region,
            quotas=self.ivf_quotas.for_region(region.code),
        )

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
        if regional is not None and region is not None and not _asks_results(reading.words):
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


def _contains_any(folded: str, parts: tuple[str, ...]) -> bool:
    return any(part in folded for part in parts)


def _asks_own_queue_place(words: tuple[str, ...]) -> bool:
    """«где я в очереди», «менің кезегім қашан», «кезекте нешіншімін»: one's own place."""
    # «тізім» is any list («құжаттар тізімі»): a queue with a place or «күту» (waiting) beside it.
    listed = _starts_any(words, _POSITION_WORDS + ("кут",))
    if not any(
        word.startswith(_QUEUE_WORDS)
        and not word.startswith(_ON_DUTY)
        and (listed or not word.startswith(_LIST_WORDS))
        for word in words
    ):
        return False
    personal = any(
        word in _PERSONAL_WORDS or (len(word) > 4 and word.endswith(_FIRST_PERSON_ENDINGS))
        for word in words
    )
    if len(words) == 1 or (len(words) == 2 and personal):
        return True
    # At a word's start: «вместо» holds «мест»; «болмай қалды» (it failed) is no place left
    # unless a number is asked («қанша адам қалды»).
    position = [word for word in words if word.startswith(_POSITION_WORDS)]
    how_many = _starts_any(words, _HOW_MANY_WORDS + ("неше",))
    if any(not word.startswith(_LEFT_WORDS) or how_many for word in position):
        return True
    if _PLACE_PHRASES.search(" ".join(words)):
        return True
    applying = _starts_any(words, _APPLY_WORDS)
    return personal and not applying and _starts_any(words, _LOOKUP_WORDS)


def _names_treatment(words: tuple[str, ...]) -> bool:
    """A medicine, a dose or a procedure, not how to get one («тегін дәрі», «аптека»)."""
    if _starts_any(words, _ACCESS_WORDS):
        return False
    return any(
        word.startswith(_TREATMENT_WORDS) and not word.startswith(_NOT_TREATMENT) for word in words
    )


def _asks_results(words: tuple[str, ...]) -> bool:
    """«сколько детей родилось по квоте в …»: the programme's results there, not its quotas."""
    return _starts_any(words, _RESULT_WORDS)


def _about_my_region(reading: Reading) -> bool:
    """«менің облысым», «изменить регион», «аймақты ауыстыру»: the «📍 My region» page."""
    words = reading.words
    if reading.says_my_region and len(words) <= 6:
        return True
    region_word = _starts_any(words, _REGION_WORDS)
    return region_word and _starts_any(words, _CHANGE_WORDS)


def _without_greeting(reading: Reading) -> str:
    """The question behind a greeting: «здравствуйте, … хочу эко бесплатно» asks about IVF."""
    words = reading.words
    rest = [word for word in words if word not in _GREETINGS]
    if not rest or len(rest) == len(words) or len(rest) < 2:
        return reading.text
    return " ".join(rest)


def _sure_of_other(result: SearchResult, is_broad: Callable[[Entry], bool]) -> bool:
    """The knowledge base is sure of an entry that is not one of the broad ones of a feature."""
    return (
        result.best is not None
        and not is_broad(result.best)
        and result.confidence >= SPECIFIC_ENTRY_SCORE
    )
