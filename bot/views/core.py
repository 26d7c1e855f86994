"""Wording shared by several features: quoting a user's text back, whom to ask about a
region, excerpts of sent HTML. (The shared *controls* — menu, pager, region picker, Back,
`show()` — are in common.py.)"""

import re
from html import unescape

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.i18n import N_, current_locale
from bot.services.personal_data import redact_personal_data
from bot.services.regions import Region

QUOTE_LIMIT = 80
_TAG = re.compile(r"<[^>]*>")
# One piece of Telegram HTML: a tag, an entity («&amp;») or one character.
_HTML_PIECE = re.compile(r"<(/?)([a-zA-Z-]*)[^>]*>|&#?\w+;|.", re.DOTALL)

ASK_IN_OWN_WORDS = N_(
    "Type your question in your own words, for example «how do I get an IVF quota?», "
    "or choose a topic in the menu below."
)


def quote_user_text(text: str, limit: int = QUOTE_LIMIT) -> str:
    """User text safe to show back: no IIN or phone, at most `limit` characters, HTML-escaped."""
    cleaned = " ".join(redact_personal_data(text).split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return html.quote(cleaned)


def plain_excerpt(html_text: str, limit: int) -> str:
    """The visible text of Telegram HTML, at most `limit` characters, not escaped: a cut in
    the markup itself could leave half a tag, which Telegram refuses."""
    plain = unescape(_TAG.sub("", html_text))
    if len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    return plain


def fit_html(html_text: str, limit: int) -> str:
    """Telegram HTML whose visible text holds at most `limit` characters, as Telegram counts
    them (its limits apply after the markup is parsed, in UTF-16 units). Cut, with «…», only
    between tags and entities, and the tags left open closed: half an «&amp;» or a missing
    «</b>» makes Telegram refuse the whole message."""
    if _visible_length(html_text) <= limit:
        return html_text
    budget = limit - 1  # the «…»
    kept: list[str] = []
    open_tags: list[str] = []
    for piece in _HTML_PIECE.finditer(html_text):
        closing, tag = piece.group(1), piece.group(2)
        if tag is not None:
            if closing:
                if open_tags and open_tags[-1] == tag:
                    open_tags.pop()
            else:
                open_tags.append(tag)
            kept.append(piece.group())
            continue
        cost = _visible_length(unescape(piece.group()))
        if cost > budget:
            break
        budget -= cost
        kept.append(piece.group())
    closing_tags = "".join(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(kept).rstrip() + "…" + closing_tags


def _visible_length(html_text: str) -> int:
    plain = unescape(_TAG.sub("", html_text))
    return len(plain.encode("utf-16-le")) // 2


def health_department(region: Region | None) -> str:
    """Whom to ask about a region, as the subject of a sentence («… keeps the list»).

    Regions have a health department (управление здравоохранения / денсаулық сақтау
    басқармасы); Astana, Almaty and Shymkent, cities of republican significance, have a public
    health department (управление общественного здравоохранения / қоғамдық денсаулық сақтау
    басқармасы).
    """
    if region is None:
        return _("the health department of your region or city")
    if region.kind == "city":
        return _("the public health department of the city ({region})").format(
            region=region.name(current_locale())
        )
    return _("the health department of your region ({region})").format(
        region=region.name(current_locale())
    )
