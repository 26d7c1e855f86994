"""No catalog text uses a term that locales/GLOSSARY.md marks as wrong (issue 17).

The glossary's «Wrong terms» table is the source: one row per wrong form, with its language
(kk or ru). A form matches case-insensitively on word boundaries; `*` stands for any word
ending, so `медпоезд*` also catches «медпоезда» and `жылжымалы емхана*` «жылжымалы емханалар».
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.support.catalog import catalog

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "locales" / "GLOSSARY.md"
# Data files whose kk/ru texts users read (data/knowledge/ has its own review).
DATA_FILES = ("facilities.yaml", "ivf_quotas.yaml", "regions.yaml", "settlements.yaml")
# Search words catch what citizens type, wrong terms included: not texts the bot says.
SEARCH_KEYS = frozenset({"keywords", "aliases"})
WRONG_TERMS_HEADING = "## Wrong terms"
LANGUAGES = ("kk", "ru")


@dataclass(frozen=True)
class WrongTerm:
    lang: str
    wrong: str
    use: str
    why: str

    @property
    def pattern(self) -> re.Pattern[str]:
        parts = [re.escape(part) for part in self.wrong.split("*")]
        body = r"\w*".join(parts)
        body = r"\s+".join(body.split(r"\ "))  # one or more spaces between words
        return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def parse_wrong_terms(markdown: str) -> list[WrongTerm]:
    """The rows of the «Wrong terms» table: | Lang | `wrong` | use instead | why |."""
    start = markdown.index(WRONG_TERMS_HEADING)
    section = markdown[start + len(WRONG_TERMS_HEADING) :]
    end = section.find("\n## ")
    if end != -1:
        section = section[:end]
    terms = []
    for raw_line in section.splitlines():
        line = raw_line.strip()
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != 4 or cells[0] not in LANGUAGES:
            continue  # the header and the |---| row
        lang, wrong, use, why = cells
        if not (wrong.startswith("`") and wrong.endswith("`") and len(wrong) > 2):
            raise ValueError(f"the wrong form must be in backticks: {line}")
        terms.append(WrongTerm(lang, wrong.strip("`"), use, why))
    return terms


def find_wrong_terms(text: str, terms: list[WrongTerm], lang: str) -> list[tuple[str, str]]:
    """(what was found, the glossary's wrong form) for each wrong term of `lang` in `text`."""
    found = []
    for term in terms:
        if term.lang != lang:
            continue
        for match in term.pattern.finditer(text):
            found.append((match.group(0), term.wrong))
    return found


def _glossary_terms() -> list[WrongTerm]:
    return parse_wrong_terms(GLOSSARY.read_text(encoding="utf-8"))


# --- the checker itself ---------------------------------------------------------------------

SAMPLE = """
## Terms to use
| Concept | Kazakh (use) | Russian (use) | Notes |
|---|---|---|---|
| IIN | ЖСН | ИИН | |

## Wrong terms

| Lang | Wrong | Use instead | Why |
|---|---|---|---|
| kk | `ИИН` | ЖСН | Russian abbreviation. |
| kk | `жылжымалы емхана*` | жылжымалы медициналық кешен | One name. |
| ru | `медпоезд*` | медицинский поезд | Informal. |
| ru | `ОМС` | ОСМС | Russia's insurance. |

## Something else
| ru | `поезд` | x | this table is not read |
"""


def test_the_parser_reads_only_the_wrong_terms_table() -> None:
    terms = parse_wrong_terms(SAMPLE)
    assert [(t.lang, t.wrong) for t in terms] == [
        ("kk", "ИИН"),
        ("kk", "жылжымалы емхана*"),
        ("ru", "медпоезд*"),
        ("ru", "ОМС"),
    ]


def test_the_parser_rejects_a_wrong_form_without_backticks() -> None:
    with pytest.raises(ValueError):
        parse_wrong_terms("## Wrong terms\n| kk | ИИН | ЖСН | why |\n")


def test_the_checker_finds_a_wrong_term_in_a_made_up_string() -> None:
    terms = parse_wrong_terms(SAMPLE)
    text = "Ертең ауылға Жылжымалы  емханалар келеді. ИИН-іңізді жіберіңіз."
    assert find_wrong_terms(text, terms, "kk") == [
        ("ИИН", "ИИН"),
        ("Жылжымалы  емханалар", "жылжымалы емхана*"),
    ]
    assert find_wrong_terms("Завтра приедут медпоезда; полис ОМС.", terms, "ru") == [
        ("медпоезда", "медпоезд*"),
        ("ОМС", "ОМС"),
    ]


def test_the_checker_matches_whole_words_only() -> None:
    terms = parse_wrong_terms(SAMPLE)
    # «ОСМС» contains «МС», «ОМСК» starts with «ОМС»: neither is the word «ОМС».
    assert find_wrong_terms("Застрахованы в ОСМС; город Омск; ОМСК.", terms, "ru") == []
    # A term of the other language is not a mistake here.
    assert find_wrong_terms("ИИН — 12 цифр.", terms, "ru") == []
    # «медпоезд*» needs the word to start with it.
    assert find_wrong_terms("Это не электромедпоезд.", terms, "ru") == []


# --- the glossary and the catalogs ----------------------------------------------------------


def test_the_glossary_marks_wrong_terms_in_both_languages() -> None:
    terms = _glossary_terms()
    assert {t.lang for t in terms} == set(LANGUAGES)
    assert all(t.use and t.why for t in terms)
    duplicates = {(t.lang, t.wrong.casefold()) for t in terms}
    assert len(duplicates) == len(terms)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_no_catalog_text_uses_a_wrong_term(locale: str) -> None:
    terms = _glossary_terms()
    problems = []
    for message in catalog(locale):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        for text in strings:
            for found, wrong in find_wrong_terms(text, terms, locale):
                problems.append(f"{msgid[:60]!r}: «{found}» (glossary: {wrong})")
    assert problems == []


def _data_texts(node: object, path: str) -> list[tuple[str, str, str]]:
    """(where, language, text) of every kk/ru string in a data file, search words excepted."""
    found: list[tuple[str, str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SEARCH_KEYS:
                continue
            if key in LANGUAGES and isinstance(value, str):
                found.append((path, key, value))
            else:
                found += _data_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _data_texts(value, f"{path}[{index}]")
    return found


def test_data_texts_collects_kk_and_ru_but_not_search_words() -> None:
    node = {"a": [{"kk": "ИИН", "ru": "x", "keywords": ["медпоезд"]}], "aliases": ["ИИН"]}
    assert _data_texts(node, "f") == [("f.a[0]", "kk", "ИИН"), ("f.a[0]", "ru", "x")]


@pytest.mark.parametrize("name", DATA_FILES)
def test_no_data_text_uses_a_wrong_term(name: str) -> None:
    terms = _glossary_terms()
    data = yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))
    problems = [
        f"{where}.{lang}: «{found}» (glossary: {wrong})"
        for where, lang, text in _data_texts(data, name)
        for found, wrong in find_wrong_terms(text, terms, lang)
    ]
    assert problems == []
