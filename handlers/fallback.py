"""What the bot says when no feature took the update: never silence, never a stack trace."""

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.views import fallback as views
from bot.views.common import PAGE_LABEL_DATA, show


async def reject_edit(message: Message) -> None:
    await show(message, views.edit_ignored())


async def reject_voice(message: Message) -> None:
    await show(message, views.voice_rejected())


async def reject_location(message: Message) -> None:
    await show(message, views.location_rejected())


async def reject_contact(message: Message) -> None:
    await show(message, views.contact_rejected())


async def reject_unknown_command(message: Message) -> None:
    await show(message, views.unknown_command())


async def reject_unsupported_content(message: Message) -> None:
    await show(message, views.unsupported_content())


async def ignore_page_label(callback: CallbackQuery) -> None:
    # The «2/3» between the pager's arrows (bot/views/common.py): pressing it changes nothing.
    await callback.answer()


async def reject_stale_button(callback: CallbackQuery) -> None:
    # A button from an old message (before a restart or an update) that nothing handles now.
    await show(callback, views.menu_again(), toast=views.stale_button_toast())


def create_router() -> Router:
    router = Router(name="fallback")
    router.edited_message.register(reject_edit)
    router.message.register(reject_voice, F.voice | F.video_note | F.audio)
    router.message.register(reject_location, F.location | F.venue)
    router.message.register(reject_contact, F.contact)
    router.message.register(reject_unknown_command, F.text.startswith("/"))
    router.message.register(reject_unsupported_content)
    router.callback_query.register(ignore_page_label, F.data == PAGE_LABEL_DATA)
    router.callback_query.register(reject_stale_button)
    return router
