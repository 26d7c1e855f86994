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
