"""Every msgid is translated in Kazakh and Russian; the code uses no msgid the catalogs lack."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from bot.i18n import compile_catalogs
from tests.support.catalog import LOCALES_PATH, catalog

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w*)\}")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "__": None,
    "lazy_gettext": None,
}


def _code_msgids() -> set[str]:
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _strings(message_string: str | tuple[str, ...]) -> tuple[str, ...]:
    return message_string if isinstance(message_string, tuple) else (message_string,)


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_every_message_is_translated_without_fuzzy(locale: str) -> None:
    problems = []
    cat: Catalog = catalog(locale)
    for message in cat:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(_strings(message.string)):
            problems.append(f"empty: {message.id!r}")
    assert problems == []


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_translations_keep_the_placeholders(locale: str) -> None:
    mismatched = []
    for message in catalog(locale):
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        expected = set(PLACEHOLDER.findall(msgid))
        for text in _strings(message.string):
            if set(PLACEHOLDER.findall(text)) != expected:
                mismatched.append((msgid, text))
    assert mismatched == []


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_code_uses_no_msgid_missing_from_the_catalog(locale: str) -> None:
    known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog(locale) if m.id}
    assert sorted(_code_msgids() - known) == []


def test_russian_plurals_have_three_forms() -> None:
    assert catalog("ru").num_plurals == 3


def test_catalogs_compile(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_PATH, copy, ignore=shutil.ignore_patterns("*.mo"))
    compiled = compile_catalogs(copy)
    assert {path.parent.parent.name for path in compiled} == {"kk", "ru"}
