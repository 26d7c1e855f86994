import pytest

from bot.services.language import Lang, detect_language
from bot.services.personal_data import redact_personal_data
from bot.services.text_folding import fold, fold_letters, fold_words


@pytest.mark.parametrize(
    "variant", ["Аңсаған сәби", "Ansagan sabi", "Ańsaǵan sábı", "Ансаган саби", "ANSAGAN SABI"]
)
def test_every_spelling_of_the_programme_folds_alike(variant: str) -> None:
    assert fold(variant) == "ансаган саби"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мне 41 год, я ещё успеваю?", Lang.RU),
        ("Жасым 43-те, қатыса аламын ба?", Lang.KK),
        ("kezek qalai bilemin", Lang.KK),
        ("skolko kvot v almaty", Lang.RU),
        ("perinatalnyi centr v Nur-Sultane", Lang.RU),
        ("ЖМК кашан келеди биздин ауылга", Lang.KK),
        ("<script>alert(1)</script>", None),
        ("эко", None),
        ("34", None),
    ],
)
def test_detects_the_language_only_when_clear(text: str, expected: Lang | None) -> None:
    assert detect_language(text) == expected


def test_personal_data_is_masked() -> None:
    text = "ИИН 900115 400109, тел. +7 (701) 123-45-67, 87011234567, почта a@b.kz, 2025 год"
    assert (
        redact_personal_data(text) == "ИИН [IIN], тел. [PHONE], [PHONE], почта [EMAIL], 2025 год"
    )


# Kazakh in Cyrillic, typed with Russian letters, in ad hoc and 2021 Latin.
KAZAKH = [
    "квота битип калса не истеймин",
    "ауданы",
    "qashan",
    "kezegim",
    "menin",
    "kerek",
    "bolady",
    "kalai",
    "Квота бітіп қалса не істеймін?",
    "кезегим кашан келеди",
    "kezegim qashan keledi",
    "menin kezegim neshinshi",
    "ЭКО жасау ушин не керек",
    "eko jasau ushin ne kerek",
    "bala tynys almaidy",
    "бала тыныс алмаиды",
    "квотага калаи тиркелемин",
    "kvotaga kalai tirkelemin",
    "жмк биздин ауылга кашан келеди",
    "сәлеметсіз бе",
    "salemetsiz be",
    "рахмет",
    "rahmet",
    "кужаттар керек пе",
    "мен 38 жастамын",
    "qan tapsyru qaida",
    "esinen tanyp qaldy",
    "жедел жардем шакырындар",
    "balam auyrady",
    "эко туралы айтып бериниз",
    "Ańsaǵan sábı baǵdarlamasy degen ne",
    "квота бере ме",
    "алматыга барсам бола ма",
    "кезекте турмын",
    "комектесиниздерши",
    "пмк кашан",
    "uzi bar ma",
    "тегин бе",
    "нешинши орындамын",
    "облысына канша квота",
]

# Russian in Cyrillic and in Latin letters.
RUSSIAN = [
    "ребенок не дышит",
    "когда приедет",
    "skolko kvot",
    "gde ochered",
    "Сколько квот на ЭКО в Алматы?",
    "rebenok ne dyshit",
    "kogda priedet pmk",
    "где встать в очередь",
    "помогите пожалуйста",
    "можно ли сделать эко бесплатно",
    "у меня вопрос по квоте",
    "u menya vopros po kvote",
    "квоту дадут?",
    "спасибо",
    "spasibo",
    "здравствуйте",
    "zdravstvuite",
    "какие документы нужны",
    "kakie dokumenty nuzhny",
    "мне 40 лет",
    "муж без сознания",
    "температура 40 не сбивается",
    "очередь не двигается",
    "записаться к врачу",
    "в Алматы есть ПМК?",
    "Когда приедет ПМК в Қызылорда?",
    "нужна справка",
    "почему отказали",
    "pochemu otkazali v kvote",
    "хочу узнать свой номер",
    "perinatalnyi centr v Nur-Sultane",
    "бесплатно ли эко",
    "kak vstat v ochered",
    "кровотечение сильное",
    "не хочу жить",
]

# Words both languages use: the caller decides (chosen language, then last written).
UNDECIDED = [
    "квота",
    "ЭКО",
    "eko",
    "Алматы",
    "Шымкент",
    "40",
    "ПМК",
    "ок",
    "ok",
    "ЖМК",
    "Талдыкорган",
    "😀",
    "квота ЭКО",
    "Астана 2024",
    "УЗИ",
    "Нур-Султан",
    "Кызылорда",
    "ОСМС",
    "да",
    "не",
]


@pytest.mark.parametrize("text", KAZAKH)
def test_kazakh_is_recognised_in_every_script(text: str) -> None:
    assert detect_language(text) == Lang.KK


@pytest.mark.parametrize("text", RUSSIAN)
def test_russian_is_recognised_in_every_script(text: str) -> None:
    assert detect_language(text) == Lang.RU


@pytest.mark.parametrize("text", UNDECIDED)
def test_words_both_languages_use_leave_the_language_undecided(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Щука shchuka", "щука щука"),
        ("zadykhaetsya", "задыхаеця"),
        ("Xerox", "ксерокс"),
        ("Qazaqstan", "казакстан"),
        ("ÝSHIN", "ушин"),
        ("сүйікті_бала!!", "суиикти бала"),
        ("Подъезд, ёлка, эко, кровь", "подезд елка еко кров"),
        ("tsh", "цх"),
    ],
)
def test_folding_of_latin_and_cyrillic_is_unchanged(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold_words(text) == folded.split()


def test_pattern_letters_fold_like_text_and_regex_syntax_survives() -> None:
    assert fold_letters(r"\bсильн\w* қан (?:кетіп|ағып)$") == r"\bсилн\w* кан (?:кетип|агып)$"
