"""Guess whether a message is Kazakh or Russian, in any script.

Most Kazakh speakers have Telegram set to Russian, so the text itself is the best evidence of
the language a citizen wants the answer in. The guess is deliberately cautious: it answers only
when the evidence is clear, and the caller falls back to the stored choice otherwise.

Evidence, weighed per word:
- Kazakh letters (ә ғ қ ң ө ұ ү һ і, or Latin 2021 á ǵ ı ń ó ú ý): Kazakh, 3 (not a Latin
  «q»: «Qyzylorda» is a place name, which says nothing);
- frequent words of one language only («қалай», «керек», «қашан» / «как», «когда», «в»): 2;
- endings only one language has: Kazakh -мын/-мін, -сыз, -ңыз, -айды/-ейді, -ып/-іп, -са/-се,
  -дың/-нің, -лар/-лер, -май/-бей; Russian -ть/-ться/-ется, -ого/-ому, -ые/-ый/-ая, -ость,
  -ение, -ает/-ует: 1 (2 for what Kazakh never has: -ть, -ся, -ого, -ость, -ение, -ный/-ная,
  -чая/-щая, -тская);
words both languages use («квота», «ЭКО», «ПМК», «не», «да», place names, numbers) weigh 0.
The message is in a language when that language leads by at least 2.

When these rules cannot tell, the words citizens write in one language only decide (2 each):
words of the knowledge base's phrasings (data/knowledge, the tuning part of bench/corpus
included) seen at least twice in one language and never in the other: «клиники», «передвижка»,
«лист ожидания»; «тексеру», «медпойыз». A request for a language («на русском», «қазақша
жазыңыз») decides alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml

from bot.services.text_folding import fold, fold_letters, transliterate_latin


class Lang(StrEnum):
    KK = "kk"
    RU = "ru"


_MARGIN = 2
_LETTER_WEIGHT = 3
_WORD_WEIGHT = 2
_ENDING_WEIGHT = 1

_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]")
# Before lowering: "ı".upper() is "I", and lowering "I" gives "i", not "ı".
_KAZAKH_LATIN_LETTERS = re.compile(r"[áǵıńóúýÁǴŃÓÚÝ]")
# Proper names written in Kazakh letters inside Russian sentences (the programme is officially
# «Аңсаған сәби» in Russian too) say nothing about the language of the sentence.
_PROPER_NAMES = re.compile(
    r"аңсаған\s+сәби|ańsaǵan\s+sábı|саламатты\s+қазақстан|қазақстан", re.IGNORECASE
)
# Whole words only: the «O» inside «90011540O109» is a typo in a number, not Russian «о».
_TOKEN = re.compile(r"\w+")


def _words(text: str) -> frozenset[str]:
    return frozenset(fold_letters(text).split())


# Written in ordinary spelling; compared after folding (қ→к, й→и, ь dropped...).
_KAZAKH_WORDS = _words(
    """
    қалай қандай қанша неше қашан қайда қайдан қайсы кімге кім неге неліктен нешінші
    ма ме ба бе па пе ғой шы ші бар жоқ керек керекпе керекпі қажет мүмкін
    мен сен біз сіз ол олар менің сенің сіздің біздің оның бізге маған саған сізге оған
    және мен пен бен үшін арнайы туралы бойынша дейін кейін бұрын бірақ енді сонда осы
    мына бұл әлі тағы ғана да емес екен еді едім болды болады бола болама болмайды
    болса болып алам аламын ала алама алады аламыз аламын береді бере береме берілді
    кезек кезекке кезекте кезегім кезегі кезекті тіркелу тіркелдім емхана емханаға
    аурухана ауруханаға ауыл ауылға ауылда ауданы ауданға облыс облысы облысына келеді
    келед келе келмейді жасым жаста жастағы жылы жылда жылына рет тегін сақталу
    бедеулік орталық перзентхана дәрігер дәрігерге бала баланың балам баламның балаға
    балалар сәби сәлем сәлеметсіз рахмет қалайда қашанға құжат құжаттар өтініш өтінем
    қабылдау қабылдай көмек көмектесіңіз көмектесіңдер жауап сұрақ білем білемін білу
    айтыңызшы айтып айтыңыз жоқпа барма бола ма ғана ешқандай қазір бүгін ертең кеше
    жедел жәрдем тез шақырыңыз жатыр жатырмын тұр тұрмын қалды кетті қатты адам жол апат
    апаты қан есі есін ауырып ауырады ауырса суы
    жазылу жазылым жазылымнан жазылайын хабарлама хабарламалар хабарламаны хабарландыру
    хабарландырулар тоқтат тоқтату тоқтатыңыз жаңалықтар
    """
)
_RUSSIAN_WORDS = _words(
    """
    как где когда сколько сколко что кто какой какая какое какие каких почему зачем чем
    можно нельзя нужно надо мне меня мой моя моё мои моего у я вы мы она они оно его её
    их нам нас вам вас ли или и в во на по для из от до за к ко с со о об про при без через
    после перед над под между же бы ну только тоже также очень уже ещё еще если то это эти
    этот эта там тут здесь сейчас потом нет есть будет будут был была было были быть
    приедет приезжает приедут откроется открыли получить получу сделать сделали узнать
    хочу хотим хотела хотел подскажите скажите здравствуйте привет спасибо пожалуйста
    помогите помощь очередь очереди очередь год лет года запись записаться больница
    больницу поликлиника поликлинику село деревня документы заявление ребенок ребёнок
    ребенка ребёнка ребенку муж жена сын дочь дочка врач врача бесплатно платно сколько
    всё все весь вся который которая которые где-то какую какой-то чтобы потому
    квоту квоты квот квоте квотой квотах срочно скорая скорую человек плохо кровь жив
    умер пожар бабушка бабушке дедушка дедушке малыш малышу рожаю упал упала
    понял поняла
    """
)
_KAZAKH_QUESTION_WORDS = _words("қалай қандай қанша қашан қайда қайдан неше нешінші")
# A word that starts with one of these is the language's own, in any form.
_KAZAKH_STEMS = tuple(
    _words(
        "көмек кезег кезек тіркел емхан аурухан дәрігер өтініш құжат облыс ауыл аудан жүкті"
        " босан перзент қабылда тапсыр ортал ескерт сәлемет жылжымал тексер бедеул мүгедек"
        " сақтандыр бағдарлам кесте жұмыс қаржы арқылы"
    )
)
_RUSSIAN_STEMS = tuple(
    _words(
        "очеред ребен ребён больниц поликлиник бесплат получ подскаж здравств спасиб пожалу"
        " документ заявлен справк сбива беремен приед приезж сколк котор нужн дадут"
        " здраств здрасьт пасиб напомин бесплод приезд привет"
    )
)
# «он» is Russian "he" and Kazakh "ten" (and «оң» typed without ң): in neither list.
_SHARED = _words("не да а он квота эко пмк жмк ок ok осмс узи")

# Endings, checked on the word as typed (with ь, й, э) and after Latin → Cyrillic.
_KAZAKH_ENDING = re.compile(
    r"(?:мын|мін|мин|пын|пін|пин|бын|бін|бин|мыз|міз|миз|сыз|сіз|сиз|ңыз|ңіз|ныз|низ"
    r"|сыңдар|сыңдер|сындар|синдер|айды|ейді|ейди|ойды|уйды|йды|йди|ызшы|ізші|изши"
    r"|ңдар|ңдер|ндар|ндер|ыздар|іздер|издер|ыңдар|іңдер)$"
    r"|(?:ыз|із|из|дер|дар|ңдер|ңдар|ндер|ндар)(?:шы|ші|ши)$"
    r"|[^аеиоуыэюяё]{1}(?:ып|іп|ип)$"
    r"|[лптзгк]с[ае]$"
    r"|(?:ның|нің|дың|дің|тың|тің|нын|нин|дын|дин|тын|тин)$"
    r"|(?:лар|лер|дар|дер|тар|тер)(?:|ы|і|и|ға|ге|га|да|де|дан|ден|ды|ді|ди|дың|дің|мен"
    r"|ым|ім|им|ымыз|іміз|имиз|ыңыз|іңіз|ыныз|иниз)$"
    r"|(?:ма|ме|ба|бе|па|пе)й$"
    r"|(?:лды|лді|лди|рды|рді|рди|тты|тті|тти|нды|нді|нди|ады|еді|еди)$"
)
_NOT_KAZAKH_ENDING = _words(
    """
    один господин картин витамин принцип удар радар компьютер принтер характер лидер гендер
    семей курса ресурса пульса вирусе фокусе легенды секунды фонды бренды награды ограды
    шоколады среди впереди позади
    """
)
# Kazakh has no word ending in ь or in -ся, -ого, -ость, -ение, nor in the adjective endings
# -ный/-ная/-ное after a consonant or -чая/-щая/-щий («перинатальный», «горячая»), nor -тская
# («университетская»: no region's name ends so). (-ский is weak: «Павлодарская
# обл» is a place name, which says nothing.)
_RUSSIAN_STRONG_ENDING = re.compile(
    r"(?:ть|ся|сь|ешь|ишь|ого|его|ость|ости|ност|ение|ения|ании|ание|ство"
    r"|[^аеиоуыэюяё]ный|[^аеиоуыэюяё]ныи|[^аеиоуыэюяё]ная|[^аеиоуыэюяё]ное|[^аеиоуыэюяё]ных|тская|тский|тское"
    r"|[чщ]ая|[чщ]ий|[чщ]ее|[чщ]ие)$"
)
_RUSSIAN_ENDING = re.compile(
    r"(?:ский|ская|ское|ских|ому|ему|ыми|ими|ями|ые|ый|ий|ой|ая|яя|ое|ее|ает|яет|ует|уют|ают|яют|еет|ит|ут|ют"
    r"|ыи|ии|ую|юю|аю|яю|ила|ела|ыла|ала|или|ели|али|ыли|ил|ел|ал|ыл)$"
)
_NOT_RUSSIAN_ENDING = _words(
    "кажет мемлекет жігіт сағат қой той бой ой бала қала дала ала шала жала сала тала"
)
_ENDING_MIN_LENGTH = 4


# The locale middleware and the understanding step both ask about the same message: the
# second asks for free. The answer depends on the text alone (the learned words are fixed).
@lru_cache(maxsize=64)
def detect_language(text: str) -> Lang | None:
    """Return the language of `text` when the evidence is clear, else None."""
    requested = _requested_language(text)
    if requested is not None:
        return requested
    kazakh, russian = language_scores(text)
    decided = _leader(kazakh, russian)
    if decided is not None:
        return decided
    learned_kazakh, learned_russian = _learned_scores(text)
    return _leader(kazakh + learned_kazakh, russian + learned_russian)


def _leader(kazakh: int, russian: int) -> Lang | None:
    if kazakh - russian >= _MARGIN:
        return Lang.KK
    if russian - kazakh >= _MARGIN:
        return Lang.RU
    return None


# «ответьте на русском», «по-русски», «қазақша жазыңыз»: the citizen says which language.
# Not «орысша» alone: «орысша білмеймін» says which language NOT to answer in.
_ASKS_RUSSIAN = re.compile(r"\b(?:на русском|по русски|на русскои|русским языком)\b")
_ASKS_KAZAKH = re.compile(
    r"\b(?:на казахском|по казахски|казакша (?:жаз|жауап|айт|тусиндир)\w*"
    r"|казак тилинде (?:жаз|жауап)\w*)"
)


def _requested_language(text: str) -> Lang | None:
    folded = fold(text[:500])
    if _ASKS_RUSSIAN.search(folded):
        return Lang.RU
    if _ASKS_KAZAKH.search(folded):
        return Lang.KK
    return None


_DATA = Path(__file__).resolve().parents[2] / "data"
_KNOWLEDGE = _DATA / "knowledge"
# Place names say nothing about the language («Алматы» in Russian, «Алматыда» in Kazakh): no
# word that starts like a place, region or settlement is learned.
_PLACE_FILES = (_KNOWLEDGE / "glossary.yaml", _DATA / "regions.yaml", _DATA / "settlements.yaml")
_PLACE_PREFIX = 5
_LEARNED_MIN_COUNT = 2
# Russian discourse words Kazakh speakers mix into Kazakh sentences («может», «короче», «вообще»):
# they say nothing about the language the answer should be in, so they are never learned.
_BORROWED = _words(
    "может короче вообще ладно просто типа щас сейчас вот ну даже уже конечно кстати значит"
    " например давай давайте нормально хорошо ясно понятно"
)
_LEARNED_MIN_LENGTH = 3


def _learned_scores(text: str) -> tuple[int, int]:
    kazakh_words, russian_words = _learned_words()
    kazakh = russian = 0
    for raw in _TOKEN.findall(unicodedata.normalize("NFC", text)):
        word = fold_letters(transliterate_latin(raw.lower()))
        if word in kazakh_words:
            kazakh += _WORD_WEIGHT
        elif word in russian_words:
            russian += _WORD_WEIGHT
    return kazakh, russian


def prepare() -> None:
    """Read the learned words now (at start-up) rather than on the first message."""
    _learned_words()


# libyaml's loader when it is installed: the phrasings are read ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def _learned_words() -> tuple[frozenset[str], frozenset[str]]:
    """(Kazakh-only, Russian-only) words of the knowledge base's phrasings."""
    counts: dict[str, Counter[str]] = {"kk": Counter(), "ru": Counter()}
    for path in sorted(_KNOWLEDGE.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506
        for language, phrase in _phrases(data):
            for raw in _TOKEN.findall(phrase):
                word = fold_letters(transliterate_latin(raw.lower()))
                if word.isalpha() and len(word) >= _LEARNED_MIN_LENGTH and word not in _SHARED:
                    counts[language][word] += 1
    places = _place_prefixes()
    kazakh, russian = counts["kk"], counts["ru"]

    def learned(own: Counter[str], other: Counter[str]) -> frozenset[str]:
        return frozenset(
            word
            for word, count in own.items()
            if count >= _LEARNED_MIN_COUNT
            and word not in other
            and word[:_PLACE_PREFIX] not in places
            and word not in _BORROWED
        )

    return learned(kazakh, russian), learned(russian, kazakh)


def _place_prefixes() -> frozenset[str]:
    prefixes = set()
    for path in _PLACE_FILES:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.lstrip().startswith("#"):
                    continue
                for raw in _TOKEN.findall(line):
                    word = fold_letters(transliterate_latin(raw.lower()))
                    if raw[0].isupper() and word.isalpha():  # names, not the words around them
                        prefixes.add(word[:_PLACE_PREFIX])
    return frozenset(prefixes)


def _phrases(data: object) -> list[tuple[str, str]]:
    """(language, phrase) pairs: `phrases: {kk: [...], ru: [...]}` wherever they appear, and
    `phrasings: {entry: {kk: [...], ru: [...]}}`."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("kk", "ru") and isinstance(value, list):
                found.extend((str(key), str(item)) for item in value if isinstance(item, str))
            else:
                found.extend(_phrases(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(_phrases(item))
    return found


def language_scores(text: str) -> tuple[int, int]:
    """(Kazakh evidence, Russian evidence) in `text`; see the module docstring for weights."""
    text = _PROPER_NAMES.sub(" ", unicodedata.normalize("NFC", text))
    kazakh = russian = 0
    for raw in _TOKEN.findall(text):
        if not raw.isalpha():
            continue
        if _KAZAKH_LATIN_LETTERS.search(raw):
            kazakh += _LETTER_WEIGHT
            continue
        word = transliterate_latin(raw.lower())
        folded = fold_letters(word)
        if _KAZAKH_LETTERS.search(word):
            # A Kazakh question word in Kazakh letters («қандай», «қашан») outweighs one Russian
            # term with a strong ending: «Шымкент перинатальный центр №2 сроки қандай».
            kazakh += _LETTER_WEIGHT + (1 if folded in _KAZAKH_QUESTION_WORDS else 0)
            continue
        if folded in _SHARED:
            continue
        if folded in _KAZAKH_WORDS:
            kazakh += _WORD_WEIGHT
        elif folded in _RUSSIAN_WORDS:
            russian += _WORD_WEIGHT
        elif folded.startswith(_KAZAKH_STEMS):
            kazakh += _WORD_WEIGHT
        elif folded.startswith(_RUSSIAN_STEMS):
            russian += _WORD_WEIGHT
        elif len(word) >= _ENDING_MIN_LENGTH:
            kazakh += _ending_weight(word, folded, _KAZAKH_ENDING, _NOT_KAZAKH_ENDING)
            if _RUSSIAN_STRONG_ENDING.search(word):
                russian += _WORD_WEIGHT
            else:
                russian += _ending_weight(word, folded, _RUSSIAN_ENDING, _NOT_RUSSIAN_ENDING)
    return kazakh, russian


def _ending_weight(
    word: str, folded: str, ending: re.Pattern[str], exceptions: frozenset[str]
) -> int:
    if folded in exceptions:
        return 0
    # The word as typed keeps ь and й, which folding drops: «календарь» is not «-дар».
    return _ENDING_WEIGHT if ending.search(word) else 0
