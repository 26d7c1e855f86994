"""The staff member's view of a running broadcast: one progress message, edited, then a report.

The texts and buttons are in `bot/views/broadcast.py`; this module only sends and edits them."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import I18n

from bot.db.users import UserRepository
from bot.services.outbox import Progress
from bot.views.broadcast import progress_keyboard, progress_text, report_text

logger = logging.getLogger(__name__)


class TelegramProgressReporter:
    """Shows progress in the staff member's chat, in their language."""

    def __init__(self, bot: Bot, i18n: I18n, users: UserRepository, default_locale: str) -> None:
        self._bot = bot
        self._i18n = i18n
        self._users = users
        self._default = default_locale

    async def _locale(self, user_id: int) -> str:
        record = await self._users.get(user_id)
        if record is not None and record.language:
            return record.language
        return self._default

    async def show(self, progress: Progress) -> int | None:
        run = progress.run
        locale = await self._locale(run.requested_by)
        with self._i18n.context(), self._i18n.use_locale(locale):
            text = progress_text(progress)
            markup = progress_keyboard(run.id, paused=run.status == "paused")
        if run.progress_message_id is not None:
            try:
                await self._bot.edit_message_text(
                    text=text,
                    chat_id=run.report_chat_id,
                    message_id=run.progress_message_id,
                    reply_markup=markup,
                )
            except TelegramAPIError as error:
                # "message is not modified" and the like: the next edit will do.
                logger.debug("Progress edit skipped: %s", type(error).__name__)
            return None
        sent = await self._bot.send_message(run.report_chat_id, text, reply_markup=markup)
        return sent.message_id

    async def finished(self, progress: Progress) -> None:
        run = progress.run
        locale = await self._locale(run.requested_by)
        with self._i18n.context(), self._i18n.use_locale(locale):
            text = report_text(progress)
        if run.progress_message_id is not None:
            try:
                # The buttons go: there is nothing left to pause.
                await self._bot.edit_message_reply_markup(
                    chat_id=run.report_chat_id, message_id=run.progress_message_id
                )
            except TelegramAPIError:
                logger.debug("Progress buttons not removed")
        await self._bot.send_message(run.report_chat_id, text)
