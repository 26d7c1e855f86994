"""Filters shared by several routers."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import Message, TelegramObject
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.staff import StaffRepository


class ButtonText(Filter):
    """Matches a reply-keyboard label in any supported language.

    A user's keyboard may have been sent in the other language (before /language, or when the
    text of a question switched the reply language), so both labels must work.
    """

    def __init__(self, *msgids: str) -> None:
        self._msgids = msgids
        self._texts: frozenset[str] | None = None

    def _all_translations(self, i18n: I18n) -> frozenset[str]:
        if self._texts is None:
            self._texts = frozenset(
                i18n.gettext(msgid, locale=locale)
                for msgid in self._msgids
                for locale in i18n.available_locales
            ) | frozenset(self._msgids)
        return self._texts

    async def __call__(self, message: Message, i18n: I18n) -> bool:
        return self.matches(message, i18n)

    def matches(self, event: TelegramObject, i18n: I18n) -> bool:
        text = getattr(event, "text", None)
        return text is not None and text in self._all_translations(i18n)


class IsStaff(Filter):
    """Staff: the administrators named in STAFF_IDS and the members they added with /staff."""

    async def __call__(
        self,
        event: TelegramObject,
        settings: Settings,
        staff_members: StaffRepository | None = None,
    ) -> bool:
        user = getattr(event, "from_user", None)
        if user is None:
            return False
        if user.id in settings.staff_ids:
            return True
        return staff_members is not None and await staff_members.get(user.id) is not None


class IsAdmin(Filter):
    """Administrators: only the Telegram ids in STAFF_IDS (they manage the staff list)."""

    async def __call__(self, event: TelegramObject, settings: Settings) -> bool:
        user = getattr(event, "from_user", None)
        return user is not None and user.id in settings.staff_ids
