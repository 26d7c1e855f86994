"""Every message of «Ask a person» that nobody asked for: a ticket to staff, an answer relayed
to a citizen, a reminder, «ticket closed».

One class on purpose: when the one outbox and sender (bot/services/outbox.py) arrive, these
messages switch to it here, in one place. Until then each goes straight to the Bot API through
the bot's session, whose RetryMiddleware (bot/telegram/retry.py) waits out 429s and timeouts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n

from bot.db.tickets import Ticket
from bot.db.users import UserRepository
from bot.services.knowledge_base import KnowledgeBase
from bot.services.regions import RegionDirectory
from bot.services.tickets import Submission, TicketService
from bot.views import tickets as views

logger = logging.getLogger(__name__)

# Telegram's limits: 4,096 characters in a message, 1,024 in a caption.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# 400 answers that mean the person is gone, as final as a 403.
_GONE = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was blocked")


class Sent(StrEnum):
    DELIVERED = "delivered"
    BLOCKED = "blocked"  # 403 or the chat is gone: never try this person again for the ticket
    FAILED = "failed"  # anything else, after the session's retries


@dataclass(frozen=True, slots=True)
class Outgoing:
    text: str
    keyboard: InlineKeyboardMarkup | None = None
    photo: str | None = None  # a Telegram file id, sent with `text` as its caption
    document: str | None = None
    topic_id: int | None = None  # a topic of a forum group


@dataclass(frozen=True, slots=True)
class SendResult:
    status: Sent
    message_id: int | None = None


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TicketMessenger:
    """Renders each message in its recipient's language and sends it; classifies the outcome.

    A message showing a ticket to staff is remembered (chat, message id), so that a reply to
    it answers that ticket.
    """

    def __init__(
        self,
        i18n: I18n,
        users: UserRepository,
        default_locale: str,
        *,
        tickets: TicketService,
        regions: RegionDirectory,
        knowledge_base: KnowledgeBase,
    ) -> None:
        self._i18n = i18n
        self._users = users
        self._default_locale = default_locale
        self._tickets = tickets
        self._regions = regions
        self._knowledge_base = knowledge_base

    async def new_message(self, bot: Bot, submission: Submission) -> None:
        """A new ticket (all of it) or a message added to one, to the region's staff."""
        ticket = submission.ticket
        if not submission.is_new:
            await self._to_staff(
                bot, ticket, lambda: views.citizen_added_for_staff(ticket, submission.text)
            )
            return
        await self.show_ticket(bot, ticket)

    async def show_ticket(self, bot: Bot, ticket: Ticket, *, reminder: bool = False) -> None:
        messages = await self._tickets.messages(ticket.id)
        await self._to_staff(
            bot,
            ticket,
            lambda: views.ticket_for_staff(
                ticket, messages, self._regions, self._knowledge_base, reminder=reminder
            ),
        )

    async def show_ticket_in(self, bot: Bot, ticket: Ticket, chat_id: int) -> None:
        """The ticket once more, in one staff chat (a button of /tickets)."""
        messages = await self._tickets.messages(ticket.id)
        await self._send_to_staff(
            bot,
            ticket,
            chat_id,
            lambda: views.ticket_for_staff(ticket, messages, self._regions, self._knowledge_base),
        )

    async def citizen_closed(self, bot: Bot, ticket: Ticket) -> None:
        await self._to_staff(
            bot, ticket, lambda: (views.closed_by_citizen_for_staff(ticket.id), None)
        )

    async def answer_citizen(
        self,
        bot: Bot,
        ticket: Ticket,
        text: str,
        *,
        photo: str | None = None,
        document: str | None = None,
    ) -> Sent:
        """Relay a staff answer; a citizen who blocked the bot gets their ticket closed."""
        if ticket.user_id is None:
            return Sent.BLOCKED

        def render() -> Outgoing:
            body, keyboard = views.staff_answer_for_citizen(ticket, text, self._regions)
            return Outgoing(body, keyboard, photo=photo, document=document)

        result = await self.send(bot, ticket.user_id, render, locale=ticket.language)
        if result.status is Sent.BLOCKED:
            await self._tickets.close_blocked(ticket)
        elif result.message_id is not None:
            # The citizen may reply to the answer to add to the ticket.
            await self._tickets.remember_shown(
                ticket.id, ticket.user_id, result.message_id, to_citizen=True
            )
        return result.status

    async def closed_by_staff(self, bot: Bot, ticket: Ticket) -> None:
        if ticket.user_id is not None:
            await self.send(
                bot,
                ticket.user_id,
                lambda: Outgoing(views.closed_by_staff_for_citizen(ticket.id)),
                locale=ticket.language,
            )

    async def _to_staff(
        self,
        bot: Bot,
        ticket: Ticket,
        render: Callable[[], tuple[str, InlineKeyboardMarkup | None]],
    ) -> None:
        for chat_id in await self._tickets.recipients(ticket.region_code):
            await self._send_to_staff(bot, ticket, chat_id, render)

    async def _send_to_staff(
        self,
        bot: Bot,
        ticket: Ticket,
        chat_id: int,
        render: Callable[[], tuple[str, InlineKeyboardMarkup | None]],
    ) -> None:
        topic_id = (
            await self._topic_of(bot, ticket) if chat_id == self._tickets.staff_chat_id else None
        )
        result = await self.send(bot, chat_id, lambda: Outgoing(*render(), topic_id=topic_id))
        if result.status is Sent.DELIVERED and result.message_id is not None:
            await self._tickets.remember_shown(ticket.id, chat_id, result.message_id)

    async def locale_of(self, chat_id: int) -> str:
        """A staff member's or citizen's chosen language; a group gets the default."""
        record = await self._users.get(chat_id) if chat_id > 0 else None
        if record is not None and (record.language or record.inferred_language):
            return str(record.language or record.inferred_language)
        return self._default_locale

    async def send(
        self,
        bot: Bot,
        chat_id: int,
        render: Callable[[], Outgoing],
        locale: str | None = None,
    ) -> SendResult:
        """Send what `render` builds in `locale` (else the recipient's own language)."""
        with self._i18n.context(), self._i18n.use_locale(locale or await self.locale_of(chat_id)):
            outgoing = render()
        try:
            message = await self._call(bot, chat_id, outgoing)
        except TelegramForbiddenError:
            return SendResult(Sent.BLOCKED)
        except TelegramBadRequest as error:
            if any(reason in error.message.lower() for reason in _GONE):
                return SendResult(Sent.BLOCKED)
            logger.warning("Telegram refused a ticket message: %s", type(error).__name__)
            return SendResult(Sent.FAILED)
        except TelegramAPIError as error:
            logger.warning("Could not send a ticket message: %s", type(error).__name__)
            return SendResult(Sent.FAILED)
        return SendResult(Sent.DELIVERED, message.message_id)

    async def _topic_of(self, bot: Bot, ticket: Ticket) -> int | None:
        """The ticket's topic in the staff forum, opened with its first message; None when the
        group is no forum or Telegram refuses (the message then goes to the group's General)."""
        if not self._tickets.staff_chat_topics or self._tickets.staff_chat_id is None:
            return None
        if ticket.staff_topic_id is not None:
            return ticket.staff_topic_id
        with self._i18n.context(), self._i18n.use_locale(self._default_locale):
            name = views.topic_name(ticket, self._regions)
        try:
            topic = await bot.create_forum_topic(self._tickets.staff_chat_id, name)
        except TelegramAPIError as error:
            logger.warning("Could not open a ticket topic: %s", type(error).__name__)
            return None
        await self._tickets.set_staff_topic(ticket, topic.message_thread_id)
        return topic.message_thread_id

    @staticmethod
    async def _call(bot: Bot, chat_id: int, outgoing: Outgoing) -> Message:
        keyboard, topic = outgoing.keyboard, outgoing.topic_id
        if outgoing.photo is None and outgoing.document is None:
            text = _fit(outgoing.text, TEXT_LIMIT)
            return await bot.send_message(
                chat_id, text, message_thread_id=topic, reply_markup=keyboard
            )
        caption = _fit(outgoing.text, CAPTION_LIMIT)
        if outgoing.photo is not None:
            return await bot.send_photo(
                chat_id, outgoing.photo, caption=caption, reply_markup=keyboard
            )
        assert outgoing.document is not None
        return await bot.send_document(
            chat_id, outgoing.document, caption=caption, reply_markup=keyboard
        )
