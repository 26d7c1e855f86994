"""/help and /menu: what the bot can do, where to find a person, every citizen command."""

from aiogram.utils.i18n import gettext as _

from bot.i18n import N_
from bot.views.common import Screen, main_menu
from bot.views.core import ASK_IN_OWN_WORDS
from bot.views.tickets import HELP_COMMANDS as TICKET_COMMANDS

# Every command a citizen has (staff commands are not shown to citizens).
COMMANDS = N_(
    "<b>Commands</b>\n"
    "/menu — main menu\n"
    "/ivf — free IVF: can we get a quota, how to apply, quotas, clinics\n"
    "/queue — my place in the IVF waiting list\n"
    "/subscriptions — announcements I receive\n"
    "/stop — stop all announcements\n"
    "/language — change the language\n"
    "/cancel — stop the current step\n"
    "/forget — delete my data\n"
    "/help — this help"
)


def help_screen() -> Screen:
    about = _(
        "<b>What I can do</b>\n"
        "I answer questions about free IVF under «Аңсаған сәби», mobile medical complexes "
        "and medical trains, and new hospitals and centres. Everything I say comes from "
        "official sources, with the year.\n\n"
        "<b>Where to find a person</b>\n"
        "• 1414 — contact centre of the Social Health Insurance Fund\n"
        "• your polyclinic, where you are attached\n"
        "• 103 — ambulance, 112 — emergency services\n\n"
        "<b>I never ask for</b> payment, card numbers, SMS codes or your electronic "
        "signature. A bot that asks for them is a fake.\n\n"
        "I do not give medical advice: a doctor decides."
    )
    return Screen(f"{about}\n\n{_(COMMANDS)}\n{_(TICKET_COMMANDS)}", main_menu())


def menu_screen() -> Screen:
    return Screen(_(ASK_IN_OWN_WORDS), main_menu())
