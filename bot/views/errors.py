"""The one apology a user gets when something failed on the bot's side."""

from aiogram.utils.i18n import gettext as _


def apology() -> str:
    return _(
        "Sorry, something went wrong on my side. Please try again in a minute; "
        "if it happens again, call 1414."
    )
