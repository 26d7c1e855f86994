"""Filters shared by several routers."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import Message, TelegramObject
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.staff import StaffRepository
from bot.i18n import in_staff_dialog
from bot.services.safety import SafetyFlags
from bot.services.understanding import safety_of


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


def is_emergency_message(message: Message) -> bool:
    """For the rate limit: an emergency is answered even in a flood."""
    text = message.text or message.caption
    return text is not None and safety_of(text).emergency


class Emergency(Filter):
    """A person's message that needs 103/112 before any dialog step or feature reads it; gives
    the handler its `safety` flags. Not in a staff dialog (an announcement may well speak of
    fever and 103), not a staff member's reply (their answer to a ticket) nor their upload."""

    async def __call__(self, message: Message, **data: Any) -> bool | dict[str, SafetyFlags]:
        text = message.text or message.caption
        if not text or text.startswith("/") or in_staff_dialog(data.get("raw_state")):
            return False
        safety = safety_of(text)
        if not safety.emergency:
            return False
        # Staff answering a ticket («при 40 звоните 103» is their answer) or uploading a file.
        staff_work = message.reply_to_message is not None or message.document is not None
        if staff_work and await IsStaff()(message, data["settings"], data.get("staff_members")):
            return False
        return {"safety": safety}
