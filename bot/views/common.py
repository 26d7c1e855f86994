"""Keyboard builders. Labels are msgids translated in the user's locale when built."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n.context import get_i18n
from aiogram.utils.keyboard import InlineKeyboardBuilder, ReplyKeyboardBuilder

from bot.i18n import N_

# Language names are written in their own language on purpose: a person who cannot read the
# other language must still find theirs.
LANGUAGE_NAMES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский"}


class LanguageChoice(CallbackData, prefix="lang"):
    code: str


class ForgetChoice(CallbackData, prefix="forget"):
    confirmed: bool


class IvfAction(CallbackData, prefix="ivf"):
    """IVF menu entries; `IvfAction(action="check")` starts the eligibility check from anywhere."""

    action: str


class MenuButton:
    """Main-menu labels. A feature adds its entry here when it works, never before."""

    IVF_QUEUE = N_("🔢 My place in the IVF queue")
    IVF = N_("👶 IVF «Аңсаған сәби»")
    TOPICS = N_("📚 Topics")
    HELP = N_("ℹ️ Help")
    LANGUAGE = N_("🌐 Language")
    FACILITIES = N_("🏥 New facilities")
    MY_REGION = N_("📍 My region")
    MOBILE_CLINICS = N_("🚐 Mobile clinics")
    SUBSCRIPTIONS = N_("🔔 Subscriptions")


# Rows of the main menu, top to bottom.
MAIN_MENU_ROWS: list[list[str]] = [
    [MenuButton.TOPICS],
    [MenuButton.IVF, MenuButton.IVF_QUEUE],
    [MenuButton.MOBILE_CLINICS, MenuButton.FACILITIES],
    [MenuButton.MY_REGION, MenuButton.SUBSCRIPTIONS],
    [MenuButton.HELP, MenuButton.LANGUAGE],  # always last
]


_main_menus: dict[str, ReplyKeyboardMarkup] = {}


def main_menu() -> ReplyKeyboardMarkup:
    # Built once per language: the menu is the same for everyone and sent with most replies.
    locale = get_i18n().current_locale
    if locale not in _main_menus:
        builder = ReplyKeyboardBuilder()
        for row in MAIN_MENU_ROWS:
            builder.row(*(KeyboardButton(text=_(msgid)) for msgid in row))
        _main_menus[locale] = builder.as_markup(resize_keyboard=True, is_persistent=True)
    return _main_menus[locale]


def language_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        builder.button(text=name, callback_data=LanguageChoice(code=code))
    builder.adjust(2)
    return builder.as_markup()


def yes_no_keyboard(
    yes_text: str, yes: CallbackData, no_text: str, no: CallbackData
) -> InlineKeyboardMarkup:
    """Two buttons side by side: the confirming one first."""
    builder = InlineKeyboardBuilder()
    builder.button(text=yes_text, callback_data=yes)
    builder.button(text=no_text, callback_data=no)
    builder.adjust(2)
    return builder.as_markup()


def forget_keyboard() -> InlineKeyboardMarkup:
    return yes_no_keyboard(
        _("🗑 Yes, delete"),
        ForgetChoice(confirmed=True),
        _("No, keep it"),
        ForgetChoice(confirmed=False),
    )
