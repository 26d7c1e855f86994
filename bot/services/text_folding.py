"""Fold what citizens type into one comparable form.

Citizens write Kazakh with Russian letters (кабылдау for қабылдау), Kazakh in the 2021 Latin
alphabet or ad hoc Latin ("qalai", "kezek"), Russian in Latin ("skolko kvot"). Folding maps all of
these onto plain Russian-Cyrillic lowercase letters, so one comparison serves every script.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Kazakh-specific Cyrillic letters → the Russian letters people type in their place.
_KAZAKH_TO_RUSSIAN = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
        "й": "и",
        "ъ": "",
        "ь": "",
        "э": "е",
    }
)

# Latin → Cyrillic, longest sequences first. Covers the official 2021 Kazakh Latin alphabet
# (á, ǵ, ı, ń, ó, ú, ý, sh, ch) and ad hoc transliteration of Kazakh and Russian.
_LATIN_SEQUENCES: tuple[tuple[str, str], ...] = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ye", "е"),
    ("ia", "я"),
    ("iu", "ю"),
    ("gh", "г"),
)
_LATIN_LETTERS = {
    "a": "а",
    "á": "а",
    "ä": "а",
    "b": "б",
    "c": "к",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "ǵ": "г",
    "ğ": "г",
    "h": "х",
    "i": "и",
    "ı": "и",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "ń": "н",
    "ñ": "н",
    "o": "о",
    "ó": "о",
    "ö": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "ş": "ш",
    "t": "т",
    "u": "у",
    "ú": "у",
    "ü": "у",
    "ū": "у",
    "v": "в",
    "w": "у",
    "x": "кс",
    "y": "ы",
    "ý": "у",
    "z": "з",
    "ç": "ч",
}
# Sequences first, then single letters: the same result as one left-to-right pass trying the
# sequences before the letter at each position (a sequence pass skips one character where no
# sequence starts, as the one pass would after converting that letter), at C speed.
_LATIN_SEQUENCE_RE = re.compile("|".join(re.escape(seq) for seq, _ in _LATIN_SEQUENCES))
_LATIN_SEQUENCE_MAP = dict(_LATIN_SEQUENCES)
_LATIN_LETTER_TABLE = str.maketrans(_LATIN_LETTERS)
_ANY_LATIN = re.compile("[" + "".join(_LATIN_LETTERS) + "]")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_UNDERSCORE = re.compile(r"_+")


def transliterate_latin(text: str) -> str:
    """Latin letters of lowercase `text` → Cyrillic ones, as fold() does; the rest unchanged."""
    if not _ANY_LATIN.search(text):
        return text
    sequences = _LATIN_SEQUENCE_RE.sub(lambda match: _LATIN_SEQUENCE_MAP[match.group(0)], text)
    return sequences.translate(_LATIN_LETTER_TABLE)


# Several steps fold the same message (search, classifier, safety): the second time is free.
@lru_cache(maxsize=256)
def fold(text: str) -> str:
    """Lowercase, one script (Cyrillic without Kazakh-specific letters), words separated by spaces.

    >>> fold("Аңсаған сәби") == fold("Ansagan sabi") == fold("Ансаган саби")
    True
    """
    lowered = unicodedata.normalize("NFC", text).lower()
    cyrillic = transliterate_latin(lowered).translate(_KAZAKH_TO_RUSSIAN)
    words = _NON_WORD.sub(" ", cyrillic)
    return _UNDERSCORE.sub(" ", words).strip()


def fold_letters(pattern: str) -> str:
    """Fold only the Cyrillic letters (Kazakh → Russian, ь/ъ dropped, й→и, ё/э→е), keeping case
    and everything else: for regular expressions written in plain spelling, to match fold()."""
    return pattern.translate(_KAZAKH_TO_RUSSIAN)


def fold_words(text: str) -> list[str]:
    return fold(text).split()


# Places are looked for among the first distinct words: a 4,096-character paragraph (or one word
# typed 700 times) must not cost every citizen a slow reply (a region and settlement search
# over a whole paragraph took 20-30 ms).
PLACE_WORDS = 150


def place_words(words: Iterable[str], limit: int = PLACE_WORDS) -> str:
    """The first `limit` distinct words, joined by spaces: where the places a message names
    are looked for."""
    return " ".join(list(dict.fromkeys(words))[:limit])


def looks_like_question(text: str) -> bool:
    """A question typed at a dialog step rather than a mistyped answer (a place, an age, «да»):
    it asks, or it is a sentence. Every dialog hands such a message to the free-text path."""
    return "?" in text or len(fold_words(text)) >= 3
