"""What /start says: a greeting in both languages to a newcomer, «welcome back» to others."""

from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.i18n import N_
from bot.views.common import Screen, main_menu
from bot.views.core import ASK_IN_OWN_WORDS
from bot.views.language import language_keyboard

WELCOME = N_(
    "Hello! I answer questions about state healthcare programmes: free IVF under "
    "«Аңсаған сәби», mobile medical complexes and medical trains, new hospitals and centres.\n"
    "Choose your language:"
)


def first_greeting(i18n: I18n) -> Screen:
    # Greet in both languages: we do not know yet which one the person reads.
    greeting = "\n\n".join(i18n.gettext(WELCOME, locale=code) for code in ("kk", "ru"))
    return Screen(greeting, language_keyboard())


def welcome_back() -> Screen:
    return Screen(_("Welcome back!") + "\n\n" + _(ASK_IN_OWN_WORDS), main_menu())
