"""Expected texts straight from the `.po` files, never from the code under test."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALES_PATH = Path(__file__).resolve().parents[2] / "locales"


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


def trn(msgid: str, locale: str, n: int, **params: object) -> str:
    """The plural form of `msgid` that `locale` uses for `n`, formatted with `params`."""
    import gettext

    messages = catalog(locale)
    message = next((m for m in messages if isinstance(m.id, tuple) and m.id[0] == msgid), None)
    if message is None or not all(message.string):
        raise KeyError(f"{msgid!r} has no {locale} plural translation")
    index = gettext.c2py(messages.plural_expr)(n)
    return str(message.string[index]).format(**params)
