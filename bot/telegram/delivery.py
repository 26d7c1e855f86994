"""The broadcast sender's link to Telegram: one API call per outbox row, its outcome classified."""

from __future__ import annotations

import logging
from collections.abc import Callable

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
from aiogram.types import Message
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db.users import UserRepository
from bot.monitoring.metrics import Metrics
from bot.services.broadcasting import (
    Action,
    Broadcaster,
    DeliveryResult,
    Letter,
    Outcome,
    SendLimits,
)
from bot.telegram.progress import TelegramProgressReporter
from bot.telegram.retry import without_retries

logger = logging.getLogger(__name__)

# 400 answers that mean the person is gone, as final as a 403.
_GONE = ("chat not found", "user is deactivated", "peer_id_invalid")


# Sends by outcome for /metrics: a 429 and a 403 apart, everything else that did not arrive
# (a rejected call, a 5xx or network error before its retry) is "failed".
SEND_OUTCOME_LABELS = {
    Outcome.DELIVERED: "sent",
    Outcome.RETRY_AFTER: "429",
    Outcome.BLOCKED: "403",
    Outcome.REJECTED: "failed",
    Outcome.TRANSIENT: "failed",
}


class TelegramDelivery:
    """Sends, edits or deletes one recipient's copy of a broadcast."""

    def __init__(
        self,
        bot: Bot,
        allow_paid_broadcast: bool = False,
        on_outcome: Callable[[str], None] | None = None,
    ) -> None:
        self._bot = bot
        self._on_outcome = on_outcome
        # Paid broadcasts (up to 1000 msg/s) cost Telegram Stars: only when the owner enabled it.
        self._paid = True if allow_paid_broadcast else None

    async def deliver(self, letter: Letter) -> DeliveryResult:
        result = await self._deliver(letter)
        if self._on_outcome is not None:
            self._on_outcome(SEND_OUTCOME_LABELS[result.outcome])
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
        except (TelegramNetworkError, ClientDecodeError):
            # No answer, or an HTML error page from Telegram's front proxy: the request may
            # have been carried out, so a retry may duplicate it.
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
        if letter.media_kind == "photo" and letter.media_file_id:
            sent = await bot.send_photo(
                chat, letter.media_file_id, caption=letter.text, allow_paid_broadcast=self._paid
            )
        elif letter.media_kind == "document" and letter.media_file_id:
            sent = await bot.send_document(
                chat, letter.media_file_id, caption=letter.text, allow_paid_broadcast=self._paid
            )
        else:
            sent = await bot.send_message(chat, letter.text, allow_paid_broadcast=self._paid)
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


async def start_broadcaster(
    bot: Bot,
    broadcaster: Broadcaster,
    *,
    i18n: I18n,
    users: UserRepository,
    settings: Settings,
    metrics: Metrics,
) -> None:
    """Dispatcher start-up: drain whatever the outbox holds, including a run cut by a crash."""
    broadcaster.start(
        TelegramDelivery(
            bot,
            allow_paid_broadcast=settings.broadcast_allow_paid,
            on_outcome=metrics.record_send,
        ),
        TelegramProgressReporter(bot, i18n, users, settings.default_locale),
    )


async def stop_broadcaster(broadcaster: Broadcaster) -> None:
    await broadcaster.stop()
