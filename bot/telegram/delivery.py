"""The one sender's link to Telegram: renders an outbox row in the recipient's language, makes
one API call, and classifies the answer."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n

from bot.config import SUPPORTED_LOCALES, Settings
from bot.db.ivf_queue import queue_notice
from bot.db.outbox import MessageKind
from bot.db.users import UserRepository
from bot.services.mobile_clinics import MobileClinics
from bot.services.outbox import (
    Action,
    DeliveryResult,
    Letter,
    OutboxSender,
    Outcome,
    SendLimits,
)
from bot.services.regions import RegionDirectory
from bot.telegram.progress import TelegramProgressReporter
from bot.telegram.retry import without_retries
from bot.telegram.ticket_messenger import TicketLetters
from bot.views.ivf_queue import notice_text
from bot.views.mobile_clinics import render_outgoing

logger = logging.getLogger(__name__)

# 400 answers that mean the person is gone, as final as a 403.
_GONE = ("chat not found", "user is deactivated", "peer_id_invalid")
# aiohttp's errors before a request left (aiogram puts the class name first in the message).
_NOT_CONNECTED = ("ClientConnectorError", "ClientConnectionError")


class OutboxRenderer:
    """The text of a notice or reminder, in the recipient's language at the time it is sent."""

    def __init__(
        self,
        i18n: I18n,
        regions: RegionDirectory,
        mobile_clinics: MobileClinics,
        tickets: TicketLetters | None = None,
    ) -> None:
        self._i18n = i18n
        self._regions = regions
        self._mobile_clinics = mobile_clinics
        self.tickets = tickets

    async def render(self, letter: Letter) -> str | None:
        """None: no longer worth sending (a visit moved or was cancelled since)."""
        i18n = self._i18n
        locale = letter.language if letter.language in SUPPORTED_LOCALES else i18n.default_locale
        if letter.kind == MessageKind.QUEUE_CHANGE:
            notice = queue_notice(0, letter.chat_id, letter.payload)
            with i18n.context(), i18n.use_locale(locale):
                return notice_text(notice, self._regions)
        if letter.kind == MessageKind.MOBILE_VISIT:
            message = await self._mobile_clinics.outgoing(letter.chat_id, letter.payload)
            if message is None:
                return None
            with i18n.context(), i18n.use_locale(locale):
                return render_outgoing(message, today=self._mobile_clinics.today())
        raise ValueError(f"No renderer for outbox rows of kind {letter.kind!r}")




class TelegramDelivery:
    """Sends, edits or deletes one recipient's message: a broadcast's copy, a notice, a
    reminder."""

    def __init__(
        self,
        bot: Bot,
        renderer: OutboxRenderer | None = None,
        allow_paid_broadcast: bool = False,
    ) -> None:
        self._bot = bot
        self._renderer = renderer
        # Paid broadcasts (up to 1000 msg/s) cost Telegram Stars: only when the owner enabled it.
        self._paid = True if allow_paid_broadcast else None

    async def prepare(self, letter: Letter) -> Letter | None:
        """A notice or reminder rendered in the recipient's language now; None when it is no
        longer worth sending. A broadcast's text is set already."""
        if letter.kind == MessageKind.BROADCAST or letter.text:
            return letter
        assert self._renderer is not None, "notices need a renderer"
        if letter.kind == MessageKind.TICKET:
            assert self._renderer.tickets is not None, "tickets need their letters"
            return await self._renderer.tickets.render(self._bot, letter)
        text = await self._renderer.render(letter)
        return None if text is None else replace(letter, text=text)

    async def deliver(self, letter: Letter) -> DeliveryResult:
        result = await self._deliver(letter)
        if letter.kind == MessageKind.TICKET and self._renderer and self._renderer.tickets:
            await self._renderer.tickets.settled(letter, result)
        return result

    async def _deliver(self, letter: Letter) -> DeliveryResult:
        try:
            with without_retries():
                message_id = await self._call(letter)
        except TelegramRetryAfter as error:
            return DeliveryResult(Outcome.RETRY_AFTER, retry_after=float(error.retry_after))
        except TelegramForbiddenError:
            return DeliveryResult(Outcome.BLOCKED)
        except TelegramBadRequest as error:
            description = error.message.lower()
            if "message is not modified" in description:
                return DeliveryResult(Outcome.DELIVERED, message_id=letter.message_id)
            if any(reason in description for reason in _GONE):
                return DeliveryResult(Outcome.BLOCKED)
            logger.warning("Broadcast %s rejected: %s", letter.action, error.message)
            return DeliveryResult(Outcome.REJECTED)
        except TelegramServerError:
            return DeliveryResult(Outcome.TRANSIENT)
        except TelegramNetworkError as error:
            if error.message.startswith(_NOT_CONNECTED):
                return DeliveryResult(Outcome.TRANSIENT)  # never reached Telegram
            # No answer: the request may have been carried out, so a retry may duplicate it.
            return DeliveryResult(Outcome.TRANSIENT, uncertain=True, unanswered=True)
        except ClientDecodeError:
            # An HTML error page from Telegram's front proxy (a 502): it may have been carried
            # out, but usually was not; retried, and counted as a possible duplicate.
            return DeliveryResult(Outcome.TRANSIENT, uncertain=True)
        except TelegramAPIError as error:
            logger.warning("Broadcast %s failed: %s", letter.action, type(error).__name__)
            return DeliveryResult(Outcome.REJECTED)
        return DeliveryResult(Outcome.DELIVERED, message_id=message_id)

    async def _call(self, letter: Letter) -> int | None:
        bot, chat = self._bot, letter.chat_id
        if letter.action is Action.DELETE:
            assert letter.message_id is not None
            await bot.delete_message(chat, letter.message_id)
            return None
        if letter.action is Action.EDIT:
            assert letter.message_id is not None
            if letter.media_kind:
                await bot.edit_message_caption(
                    chat_id=chat, message_id=letter.message_id, caption=letter.text
                )
            else:
                await bot.edit_message_text(
                    text=letter.text, chat_id=chat, message_id=letter.message_id
                )
            return letter.message_id
        sent: Message
        markup = letter.markup if isinstance(letter.markup, InlineKeyboardMarkup) else None
        common: dict[str, Any] = {
            "reply_markup": markup,
            "message_thread_id": letter.thread_id,
            "allow_paid_broadcast": self._paid,
        }
        if letter.media_kind == "photo" and letter.media_file_id:
            sent = await bot.send_photo(
                chat, letter.media_file_id, caption=letter.text, **common
            )
        elif letter.media_kind == "document" and letter.media_file_id:
            sent = await bot.send_document(
                chat, letter.media_file_id, caption=letter.text, **common
            )
        else:
            sent = await bot.send_message(chat, letter.text, **common)
        return sent.message_id


def send_limits(settings: Settings) -> SendLimits:
    paid = settings.broadcast_allow_paid
    return SendLimits(
        rate_per_second=(
            settings.broadcast_paid_rate_per_second if paid else settings.broadcast_rate_per_second
        ),
        per_chat_interval=settings.broadcast_per_chat_interval,
        max_attempts=settings.broadcast_max_attempts,
        progress_interval=settings.broadcast_progress_interval,
        max_in_flight=max(1, min(100, round(settings.broadcast_rate_per_second))),
    )


def create_delivery(bot: Bot, renderer: OutboxRenderer, settings: Settings) -> TelegramDelivery:
    return TelegramDelivery(bot, renderer, allow_paid_broadcast=settings.broadcast_allow_paid)


async def start_sender(
    *,
    bot: Bot,
    outbox: OutboxSender,
    outbox_renderer: OutboxRenderer,
    i18n: I18n,
    users: UserRepository,
    settings: Settings,
) -> None:
    """Dispatcher start-up: drain whatever the outbox holds, including a run cut by a crash."""
    outbox.start(
        create_delivery(bot, outbox_renderer, settings),
        TelegramProgressReporter(bot, i18n, users, settings.default_locale),
    )


async def stop_sender(outbox: OutboxSender) -> None:
    await outbox.stop()
