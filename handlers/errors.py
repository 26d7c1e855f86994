"""One errors handler: a short apology to the user, the exception type and update id to the log."""

import contextlib
import logging
import traceback

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import ErrorEvent

from bot.telegram.refusals import is_nothing_to_edit, is_press_expired
from bot.views import errors as views

logger = logging.getLogger(__name__)


def _chat_id(event: ErrorEvent) -> int | None:
    update = event.update
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None and update.callback_query.message is not None:
        return update.callback_query.message.chat.id
    return None


async def on_error(event: ErrorEvent, bot: Bot) -> None:
    error = event.exception
    if isinstance(error, TelegramForbiddenError):
        # The user blocked the bot: nobody to apologise to. One line, no traceback.
        logger.info("Update %s: the chat blocked the bot", event.update.update_id)
        return
    if is_nothing_to_edit(error) or is_press_expired(error):
        # A double tap, a button of a deleted message, a late press: normal, nothing failed.
        logger.info("Update %s: %s", event.update.update_id, _refusal_kind(error))
        await _stop_spinner(event, bot)
        return
    # Never the message text, a phone or an IIN: only what kind of failure and where.
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    logger.error("Update %s failed: %s at %s", event.update.update_id, type(error).__name__, where)
    chat_id = _chat_id(event)
    if chat_id is None:
        return
    try:
        await bot.send_message(chat_id, views.apology())
    except TelegramAPIError as send_error:
        logger.warning(
            "Update %s: apology not sent (%s)", event.update.update_id, type(send_error).__name__
        )


def _refusal_kind(error: Exception) -> str:
    return "edit refused as a no-op or stale" if is_nothing_to_edit(error) else "late press"


async def _stop_spinner(event: ErrorEvent, bot: Bot) -> None:
    query = event.update.callback_query
    if query is None:
        return
    # Answered already, or too old: either way the spinner stops on its own.
    with contextlib.suppress(TelegramAPIError):
        await bot.answer_callback_query(query.id)


def create_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_error)
    return router
