"""/cancel and /forget: what they say and the confirmation buttons."""

from aiogram.filters.callback_data import CallbackData
from aiogram.utils.i18n import gettext as _

from bot.i18n import N_
from bot.views.common import Screen, main_menu, yes_no_keyboard

CANCELLED = N_("Cancelled. What else can I help with?")


class ForgetChoice(CallbackData, prefix="forget"):
    confirmed: bool


def nothing_to_cancel() -> Screen:
    return Screen(_("There is nothing to cancel."), main_menu())


def cancelled() -> Screen:
    return Screen(_(CANCELLED), main_menu())


def confirm_forget() -> Screen:
    return Screen(
        _(
            "I will delete everything I keep about you: your language, subscriptions, "
            "reminders, queue look-up and your questions to specialists. This cannot be undone. "
            "Delete?"
        ),
        yes_no_keyboard(
            _("🗑 Yes, delete"), _("No, keep it"), lambda yes: ForgetChoice(confirmed=yes)
        ),
    )


def forgotten() -> Screen:
    return Screen(
        _(
            "Done: I have deleted everything I kept about you. "
            "If you write again, we start from scratch."
        )
    )


def nothing_deleted() -> Screen:
    return Screen(_("Nothing was deleted."), main_menu())
