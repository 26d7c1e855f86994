"""What a group chat is told, once: in both languages, since a group has no single language."""

from aiogram.utils.i18n import I18n

from bot.i18n import N_

PRIVATE_ONLY = N_("I work only in private chats: please write to me directly, @{username}.")


def private_only(i18n: I18n, username: str | None) -> str:
    return "\n".join(
        i18n.gettext(PRIVATE_ONLY, locale=code).format(username=username) for code in ("kk", "ru")
    )
