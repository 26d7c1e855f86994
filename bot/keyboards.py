"""Keyboard builders. Labels are msgids translated in the user's locale when built."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder, ReplyKeyboardBuilder

from bot.i18n import N_

# Language names are written in their own language on purpose: a person who cannot read the
# other language must still find theirs.
LANGUAGE_NAMES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский"}


class LanguageChoice(CallbackData, prefix="lang"):
    code: str


class ForgetChoice(CallbackData, prefix="forget"):
    confirmed: bool


class MenuButton:
    """Main-menu labels. A feature adds its entry here when it works, never before."""

    HELP = N_("ℹ️ Help")
    LANGUAGE = N_("🌐 Language")
    SUBSCRIPTIONS = N_("🔔 Subscriptions")


# Rows of the main menu, top to bottom.
MAIN_MENU_ROWS: list[list[str]] = [
    [MenuButton.HELP, MenuButton.LANGUAGE],
    [MenuButton.SUBSCRIPTIONS],
]


def main_menu() -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    for row in MAIN_MENU_ROWS:
        builder.row(*(KeyboardButton(text=_(msgid)) for msgid in row))
    return builder.as_markup(resize_keyboard=True, is_persistent=True)


def language_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        builder.button(text=name, callback_data=LanguageChoice(code=code))
    builder.adjust(2)
    return builder.as_markup()


def forget_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("🗑 Yes, delete"), callback_data=ForgetChoice(confirmed=True))
    builder.button(text=_("No, keep it"), callback_data=ForgetChoice(confirmed=False))
    builder.adjust(2)
    return builder.as_markup()
