"""What the bot says when no feature took the update: never silence, never a stack trace."""

from aiogram.utils.i18n import gettext as _

from bot.views.common import Screen, main_menu


def edit_ignored() -> Screen:
    return Screen(
        _(
            "I read only new messages, so I did not see your correction. "
            "Please send it again as a new message."
        )
    )


def voice_rejected() -> Screen:
    return Screen(
        _("I cannot listen to voice or audio messages. Please type your question."), main_menu()
    )


def location_rejected() -> Screen:
    return Screen(
        _(
            "Thank you, but I do not use locations. "
            "Please type the name of your village, district or region instead."
        ),
        main_menu(),
    )


def contact_rejected() -> Screen:
    return Screen(_("I did not ask for a phone number, so I have not kept it."), main_menu())


def unknown_command() -> Screen:
    return Screen(_("I do not know this command. Send /help to see what I can do."), main_menu())


def unsupported_content() -> Screen:
    return Screen(
        _("I can read only text. Please type your question or choose a topic in the menu."),
        main_menu(),
    )


def menu_again() -> Screen:
    return Screen(_("Here is the menu."), main_menu())
