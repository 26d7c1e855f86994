"""Guess whether a message is Kazakh or Russian, in any script.

Most Kazakh speakers have Telegram set to Russian, so the text itself is the best evidence of
the language a citizen wants the answer in. The guess is deliberately cautious: it answers only
when the evidence is clear, and the caller falls back to the stored choice otherwise.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.services.text_folding import fold_words


class Lang(StrEnum):
    KK = "kk"
    RU = "ru"


_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)
# No IGNORECASE here: "ı".upper() is "I", so a case-insensitive class would match every Latin "i".
_KAZAKH_LATIN_LETTERS = re.compile(r"[áǵıńóúýÁǴŃÓÚÝ]")
# Proper names written in Kazakh letters inside Russian sentences (the programme is officially
# «Аңсаған сәби» in Russian too) say nothing about the language of the sentence.
_PROPER_NAMES = re.compile(r"аңсаған\s+сәби|саламатты\s+қазақстан", re.IGNORECASE)
_RUSSIAN_ONLY_LETTERS = re.compile(r"[ёъщ]", re.IGNORECASE)

# Frequent function words and question words, in folded form (see text_folding.fold).
_KAZAKH_WORDS = frozenset(
    [
        "калаи",
        "кандаи",
        "канша",
        "неше",
        "кашан",
        "каида",
        "каида",
        "кимге",
        "не",
        "неге",
        "ма",
        "ме",
        "ба",
        "бе",
        "па",
        "пе",
        "бар",
        "жок",
        "керек",
        "мен",
        "сен",
        "биз",
        "сиз",
        "олар",
        "менин",
        "сизин",
        "бизге",
        "маган",
        "сизге",
        "жане",
        "да",
        "де",
        "үшин",
        "ушин",
        "арнаи",
        "болады",
        "бола",
        "алам",
        "аламын",
        "ала",
        "алама",
        "алады",
        "кабылдау",
        "керек",
        "пе",
        "кезек",
        "кезекте",
        "тиркелу",
        "емхана",
        "ауыл",
        "ауылга",
        "ауылда",
        "келеди",
        "келед",
        "жасым",
        "жасым",
        "жас",
        "жылы",
        "жылда",
        "жылына",
        "рет",
        "тегин",
        "сакталу",
        "бедеулик",
        "туралы",
        "кандаи",
        "оталык",
        "орталык",
        "перзентхана",
        "аурухана",
        "дариигер",
        "дарыгер",
        "бала",
        "сәби",
        "сәлем",
        "салем",
        "рахмет",
        "рахмет",
        "калаида",
        "ушин",
        "кеиин",
        "бурын",
        "сонда",
        "осы",
        "мына",
        "бул",
        "кашанга",
        "дейин",
        "нешинши",
        "катыса",
        "керекпи",
        "жок",
        "па",
        "барма",
        "кандаи",
        "кужат",
        "кужаттар",
        "отиниш",
        "отинем",
        "кабылдаи",
    ]
)
_RUSSIAN_WORDS = frozenset(
    [
        "как",
        "где",
        "когда",
        "сколько",
        "сколко",
        "что",
        "кто",
        "можно",
        "мне",
        "меня",
        "мой",
        "моя",
        "у",
        "я",
        "вы",
        "мы",
        "ли",
        "или",
        "и",
        "в",
        "на",
        "по",
        "для",
        "не",
        "нет",
        "да",
        "есть",
        "будет",
        "будут",
        "приедет",
        "приезжает",
        "откроется",
        "открыли",
        "получить",
        "сделать",
        "какие",
        "какой",
        "какая",
        "нужно",
        "надо",
        "очередь",
        "очереди",
        "очередь",
        "квота",
        "квоты",
        "квот",
        "бесплатно",
        "здравствуите",
        "привет",
        "спасибо",
        "пожалуиста",
        "подскажите",
        "скажите",
        "узнать",
        "хочу",
        "есть",
        "ли",
        "это",
        "если",
        "уже",
        "еще",
        "ещё",
        "год",
        "лет",
        "года",
        "запись",
        "записаться",
        "больница",
        "поликлиника",
        "село",
        "деревня",
        "помогите",
        "помощь",
        "документы",
        "заявление",
    ]
)
_MIN_MARGIN = 1


def detect_language(text: str) -> Lang | None:
    """Return the language of `text` when the evidence is clear, else None."""
    text = _PROPER_NAMES.sub(" ", text)
    if _KAZAKH_LETTERS.search(text) or _KAZAKH_LATIN_LETTERS.search(text):
        return Lang.KK
    words = fold_words(text)
    if not words:
        return None
    kazakh = sum(1 for word in words if word in _KAZAKH_WORDS)
    russian = sum(1 for word in words if word in _RUSSIAN_WORDS)
    if _RUSSIAN_ONLY_LETTERS.search(text):
        russian += 1
    if kazakh - russian >= _MIN_MARGIN:
        return Lang.KK
    if russian - kazakh >= _MIN_MARGIN:
        return Lang.RU
    return None
