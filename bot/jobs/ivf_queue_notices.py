"""Sends the messages an import owes to subscribers, each in the subscriber's own language."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.utils.i18n import I18n

from bot.config import SUPPORTED_LOCALES
from bot.db.ivf_queue import IvfQueueRepository
from bot.db.users import UserRepository
from bot.services.regions import RegionDirectory
from bot.views.ivf_queue import notice_text

logger = logging.getLogger(__name__)


async def deliver_queue_notices(
    bot: Bot,
    ivf_queue: IvfQueueRepository,
    users: UserRepository,
    i18n: I18n,
    regions: RegionDirectory,
) -> int:
    """Send every pending change message; a user who blocked the bot loses the subscription."""
    sent = 0
    while notices := await ivf_queue.pending_notices():
        for notice in notices:
            record = await users.get(notice.user_id)
            locale = next(
                (
                    code
                    for code in (record and record.language, record and record.inferred_language)
                    if code in SUPPORTED_LOCALES
                ),
                i18n.default_locale,
            )
            with i18n.context(), i18n.use_locale(locale):
                text = notice_text(notice, regions)
            try:
                await bot.send_message(notice.user_id, text)
            except TelegramForbiddenError:
                logger.info("Queue notice %s: the user blocked the bot; unsubscribed", notice.id)
                await ivf_queue.drop_subscriber(notice.user_id)
                continue
            except TelegramAPIError as error:
                # Left in the table: the next import or start-up tries again.
                logger.warning("Queue notice %s not sent (%s)", notice.id, type(error).__name__)
                return sent
            await ivf_queue.notice_sent(notice.id)
            sent += 1
    return sent
