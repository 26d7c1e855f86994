"""The language choice: its question, its buttons and the confirmation."""

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.views.common import LANGUAGE_NAMES, Screen, main_menu
from bot.views.core import ASK_IN_OWN_WORDS


class LanguageChoice(CallbackData, prefix="lang"):
    code: str


def language_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        builder.button(text=name, callback_data=LanguageChoice(code=code))
    builder.adjust(2)
    return builder.as_markup()


def choose_language() -> Screen:
    return Screen(_("Choose your language:"), language_keyboard())


def language_chosen() -> Screen:
    """In the language just chosen: the caller renders it under that locale."""
    text = _(
        "Done: I will answer in the language you chose. You can change it any time with /language."
    )
    return Screen(text + "\n\n" + _(ASK_IN_OWN_WORDS), main_menu())
