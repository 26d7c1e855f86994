"""What must be recognised before the knowledge base is asked: an emergency, a request for
medical advice, a language the bot does not speak.

Patterns work on folded text (text_folding.fold), so one pattern covers Kazakh, Russian,
Kazakh typed with Russian letters and both Latin spellings:
«қан кетіп» = «кан кетип» = «qan ketip».
"""

from __future__ import annotations

import re

from bot.services.text_folding import fold

# Patterns are written in folded spelling: no ь/ъ, й→и, ё→е, Kazakh letters as Russian ones.
# Signs that a person needs an ambulance now (FACTS.md F5: 103 ambulance, 112 emergency).
_EMERGENCY = re.compile(
    r"\b(?:"
    # Russian
    r"кровотеч\w*|кров\w* (?:идет|течет|хлещет|не останавл\w*)|(?:идет|течет) кров\w*"
    r"|силн\w* (?:бол\w*|кровот\w*)|остр\w* бол\w*|не дыш\w*|задыха\w*|перестал\w* дыш\w*"
    r"|без сознан\w*|(?:потерял\w*|теря\w*) сознан\w*|судорог\w*|посинел\w*|умира\w*"
    r"|инсульт\w*|инфаркт\w*|отравил\w*|отравлени\w*|передозир\w*|воды отошли|рожа[юе]\w*"
    r"|выкидыш\w*|покончит с собо\w*|суицид\w*"
    # Kazakh (folded: қ→к, ғ→г, і→и, ө→о, ұ/ү→у, ә→а)
    r"|кан кет\w*|кан аг\w*|кансырап\w*|катты ауыр\w*|катты ауру\w*|тыныс ал\w* алма\w*"
    r"|тыныс жок|дем ал\w* алма\w*|дем алма\w*|есинен тан\w*|еси жок|есин жогалт\w*"
    r"|талып калд\w*|талма\w*|уланып\w*|улану\w*|олип бара\w*|босанып жатыр\w*|толгак\w*"
    r"|су кетт\w*|иш тастау\w*|озин олтир\w*"
    r")",
)

# Asking for a diagnosis, a treatment, a medicine or its dose, or a diet: a doctor decides.
_MEDICAL_ADVICE = re.compile(
    r"\b(?:"
    # Russian
    r"(?:какие|какое|какои|что за) (?:таблетк\w*|лекарств\w*|препарат\w*|витамин\w*)"
    r"|(?:что|чем) (?:принимат|пит|колот|лечит|лечится)|как лечит\w*|как вылечит\w*"
    r"|дозировк\w*|доз[аыу]\b|сколко (?:пит|принимат|мг)"
    r"|что (?:кушат|можно ест|можно кушат|нелзя ест)"
    r"|диет\w*|питани\w*|симптом\w*|болит\w*|расшифр\w*|анализы показал\w*|какои диагноз"
    r"|поставте диагноз|у меня (?:рак|опухол\w*|киста|миома)|народн\w* средств\w*"
    # Kazakh
    r"|кандаи дари\w*|дари\w* (?:ишу\w*|ишсе\w*|ишем\w*|кабылда\w*)|калаи емде\w*|емдеу жолы"
    r"|немен емде\w*|тамак\w* (?:жеу\w*|жеген\w*|жесе\w*|ишу\w*)|(?:не|кандаи) тамак\w*"
    r"|диета\w*|доза\w*|ауырып тур\w*|ауырады|белгилери|диагноз коиы\w*"
    r")",
)

_ENGLISH_WORDS = frozenset(
    [
        "the",
        "is",
        "are",
        "what",
        "how",
        "can",
        "my",
        "do",
        "does",
        "where",
        "when",
        "you",
        "please",
        "hello",
        "hi",
        "help",
        "get",
        "which",
        "who",
        "want",
        "need",
        "there",
        "about",
        "have",
    ]
)
_UZBEK_WORDS = frozenset(
    [
        "nima",
        "qancha",
        "qayerda",
        "qachon",
        "bormi",
        "kerakmi",
        "kerak",
        "menga",
        "salom",
        "uchun",
        "bilan",
        "emas",
        "yoki",
        "navbat",
        "shifokor",
        "bepul",
        "olish",
        "qanaqa",
        "nechta",
        "qilish",
        "qilib",
        "boladi",
        "bo'ladi",
        "boʻladi",
        "olsa",
        "mumkinmi",
        "bo'ladimi",
        "boladimi",
        "нима",
        "қанча",
        "керак",
        "менга",
        "учун",
        "билан",
        "эмас",
        "навбат",
        "бепул",
        "шифокор",
        "қачон",
    ]
)
# Uzbek letters: o‘ g‘ (Latin), ў ҳ (Cyrillic).
_UZBEK_LETTERS = re.compile(r"[ogOG][ʻ‘'`ʼ]|[ўҳЎҲ]")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_LATIN_WORD = re.compile(r"[a-zʻ‘'`ʼ]+", re.IGNORECASE)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]", re.UNICODE)


def has_words(text: str) -> bool:
    """False for empty text, emoji only, punctuation only."""
    return bool(_LETTER_OR_DIGIT.search(text))


def is_emergency(text: str) -> bool:
    """Bleeding, severe pain, not breathing, fainting, seizures... in Kazakh or Russian."""
    return bool(_EMERGENCY.search(fold(text)))


def asks_for_medical_advice(text: str) -> bool:
    """A question about diagnosis, treatment, medicines, doses or diet."""
    return bool(_MEDICAL_ADVICE.search(fold(text)))


def is_unsupported_language(text: str) -> bool:
    """English or Uzbek (the likeliest other languages) rather than Kazakh or Russian."""
    words = [word.strip("ʻ‘'`ʼ") for word in re.split(r"[^\wʻ‘'`ʼ]+", text.lower()) if word]
    uzbek = sum(1 for word in words if word in _UZBEK_WORDS)
    # Ad hoc Kazakh Latin writes ө and ғ as o' and g' too, so those letters alone prove nothing.
    if uzbek >= 2 or (uzbek == 1 and _UZBEK_LETTERS.search(text)):
        return True
    if _CYRILLIC.search(text):
        return False
    latin = [word for word in words if _LATIN_WORD.fullmatch(word)]
    english = sum(1 for word in latin if word in _ENGLISH_WORDS)
    return english >= 2 or (english >= 1 and len(latin) <= 2)
