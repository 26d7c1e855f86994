"""Expected texts straight from the `.po` files, never from the code under test."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALES_PATH = Path(__file__).resolve().parent.parent / "locales"


@cache
def catalog(locale: str) -> Catalog:
    with (LOCALES_PATH / locale / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=locale)


def tr(msgid: str, locale: str, **params: object) -> str:
    """The translation of `msgid` in `locale`, formatted with `params` when given."""
    message = catalog(locale).get(msgid)
    if message is None or not message.string:
        raise KeyError(f"{msgid!r} has no {locale} translation")
    text = message.string if isinstance(message.string, str) else message.string[0]
    return text.format(**params) if params else text
