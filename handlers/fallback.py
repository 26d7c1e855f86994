"""What the bot says when no feature took the update: never silence, never a stack trace."""

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.views.common import main_menu


async def reject_edit(message: Message) -> None:
    await message.answer(
        _(
            "I read only new messages, so I did not see your correction. "
            "Please send it again as a new message."
        )
    )


async def reject_voice(message: Message) -> None:
    await message.answer(
        _("I cannot listen to voice or audio messages. Please type your question."),
        reply_markup=main_menu(),
    )


async def reject_location(message: Message) -> None:
    await message.answer(
        _(
            "Thank you, but I do not use locations. "
            "Please type the name of your village, district or region instead."
        ),
        reply_markup=main_menu(),
    )


async def reject_contact(message: Message) -> None:
    await message.answer(
        _("I did not ask for a phone number, so I have not kept it."), reply_markup=main_menu()
    )


async def reject_unknown_command(message: Message) -> None:
    await message.answer(
        _("I do not know this command. Send /help to see what I can do."),
        reply_markup=main_menu(),
    )


async def reject_unsupported_content(message: Message) -> None:
    await message.answer(
        _("I can read only text. Please type your question or choose a topic in the menu."),
        reply_markup=main_menu(),
    )


async def reject_stale_button(callback: CallbackQuery) -> None:
    # A button from an old message (before a restart or an update) that nothing handles now.
    await callback.answer(_("This button is out of date."))
    if callback.message is not None:
        await callback.message.answer(_("Here is the menu."), reply_markup=main_menu())


def create_router() -> Router:
    router = Router(name="fallback")
    router.edited_message.register(reject_edit)
    router.message.register(reject_voice, F.voice | F.video_note | F.audio)
    router.message.register(reject_location, F.location | F.venue)
    router.message.register(reject_contact, F.contact)
    router.message.register(reject_unknown_command, F.text.startswith("/"))
    router.message.register(reject_unsupported_content)
    router.callback_query.register(reject_stale_button)
    return router
