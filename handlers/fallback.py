"""What the bot says when no feature took the update: never silence, never a stack trace."""

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.views import fallback as views
from bot.views.common import PAGE_LABEL_DATA, show, shows, stale_button

# Content no feature reads: each gets one fixed screen that says what the bot can read instead.
reject_edit = shows(views.edit_ignored)
reject_voice = shows(views.voice_rejected)
reject_location = shows(views.location_rejected)
reject_contact = shows(views.contact_rejected)
reject_unknown_command = shows(views.unknown_command)
reject_unsupported_content = shows(views.unsupported_content)


async def ignore_page_label(callback: CallbackQuery) -> None:
    # The «2/3» between the pager's arrows (bot/views/common.py): pressing it changes nothing.
    await callback.answer()


async def reject_stale_button(callback: CallbackQuery) -> None:
    # A button from an old message (before a restart or an update) that nothing handles now.
    await show(callback, views.menu_again(), toast=stale_button())


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
