"""Every message of «Ask a person» that nobody asked for: a ticket to staff, an answer relayed
to a citizen, a reminder, «ticket closed».

They leave through the one outbox and sender (bot/services/outbox.py) like everything else sent
unasked: one rate window, bounded retries, 403 handling. They are sent at once (`send_now`), so
that staff are told whether an answer reached its citizen; each row is rendered when it is
sent, in its recipient's language (`TicketLetters`, used by bot/telegram/delivery.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.db.outbox import MessageKind, NewMessage
from bot.db.tickets import Ticket
from bot.services.knowledge_base import KnowledgeBase
from bot.services.outbox import Delivery, DeliveryResult, Letter, OutboxSender, Outcome
from bot.services.regions import RegionDirectory
from bot.services.tickets import Submission, TicketService
from bot.views import tickets as views
from bot.views.core import fit_html

logger = logging.getLogger(__name__)

# Telegram's limits: 4,096 characters in a message, 1,024 in a caption.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


class Sent(StrEnum):
    DELIVERED = "delivered"
    BLOCKED = "blocked"  # 403 or the chat is gone: never try this person again for the ticket
    FAILED = "failed"  # anything else, after the sender's retries


class TicketEvent(StrEnum):
    """What a ticket's outbox row says (its payload's "event")."""

    NEW = "new"  # the whole ticket, to staff
    ADDED = "added"  # a message the citizen added, to staff
    REMINDER = "reminder"  # the whole ticket, unanswered for two working days
    SHOWN = "shown"  # the whole ticket once more, in one staff chat (a button of /tickets)
    CITIZEN_CLOSED = "citizen_closed"  # to staff
    ANSWER = "answer"  # a staff answer, to the citizen
    STAFF_CLOSED = "staff_closed"  # to the citizen


# Messages a staff reply answers: remembered (chat, message id) once delivered.
_SHOWING_TICKET = frozenset(
    {
        TicketEvent.NEW,
        TicketEvent.ADDED,
        TicketEvent.REMINDER,
        TicketEvent.SHOWN,
        TicketEvent.CITIZEN_CLOSED,
    }
)


@dataclass(frozen=True, slots=True, eq=False)
class TicketMessenger:
    """Queues a ticket's messages in the one outbox and has the one sender send them now."""

    outbox: OutboxSender
    tickets: TicketService
    delivery_for: Callable[[Bot], Delivery]

    async def new_message(self, bot: Bot, submission: Submission) -> None:
        """A new ticket (all of it) or a message added to one, to the region's staff."""
        if submission.is_new:
            await self._to_staff(bot, submission.ticket, TicketEvent.NEW)
        else:
            await self._to_staff(
                bot, submission.ticket, TicketEvent.ADDED, text=submission.text
            )

    async def show_ticket(self, bot: Bot, ticket: Ticket, *, reminder: bool = False) -> None:
        event = TicketEvent.REMINDER if reminder else TicketEvent.NEW
        await self._to_staff(bot, ticket, event)

    async def show_ticket_in(self, bot: Bot, ticket: Ticket, chat_id: int) -> None:
        """The ticket once more, in one staff chat (a button of /tickets)."""
        await self._send(bot, ticket, [chat_id], TicketEvent.SHOWN)

    async def citizen_closed(self, bot: Bot, ticket: Ticket) -> None:
        await self._to_staff(bot, ticket, TicketEvent.CITIZEN_CLOSED)

    async def answer_citizen(
        self,
        bot: Bot,
        ticket: Ticket,
        text: str,
        *,
        photo: str | None = None,
        document: str | None = None,
    ) -> Sent:
        """Relay a staff answer; a citizen who blocked the bot gets their ticket closed (by
        `TicketLetters.settled`)."""
        if ticket.user_id is None:
            return Sent.BLOCKED
        outcomes = await self._send(
            bot,
            ticket,
            [ticket.user_id],
            TicketEvent.ANSWER,
            text=text,
            photo=photo,
            document=document,
        )
        if Outcome.DELIVERED in outcomes:
            return Sent.DELIVERED
        return Sent.BLOCKED if Outcome.BLOCKED in outcomes else Sent.FAILED

    async def closed_by_staff(self, bot: Bot, ticket: Ticket) -> None:
        if ticket.user_id is not None:
            await self._send(bot, ticket, [ticket.user_id], TicketEvent.STAFF_CLOSED)

    async def _to_staff(
        self, bot: Bot, ticket: Ticket, event: TicketEvent, **details: Any
    ) -> None:
        chats = await self.tickets.recipients(ticket.region_code)
        await self._send(bot, ticket, chats, event, **details)

    async def _send(
        self,
        bot: Bot,
        ticket: Ticket,
        chats: Sequence[int],
        event: TicketEvent,
        **details: Any,
    ) -> list[Outcome | None]:
        if ticket.user_id is None or not chats:
            return []  # the citizen used /forget: nothing of theirs is sent any more
        payload = {"event": event, "ticket_id": ticket.id, "language": ticket.language}
        payload |= {key: value for key, value in details.items() if value is not None}
        # The row carries the citizen's words: it is theirs (user_id), so /forget deletes it.
        messages = [
            NewMessage(ticket.user_id, MessageKind.TICKET, payload, chat_id=chat)
            for chat in chats
        ]
        return await self.outbox.send_now(messages, self.delivery_for(bot))


@dataclass(frozen=True, slots=True, eq=False)
class TicketLetters:
    """Renders a ticket's outbox row when it is sent, and records what its outcome means."""

    i18n: I18n
    tickets: TicketService
    regions: RegionDirectory
    knowledge_base: KnowledgeBase

    async def render(self, bot: Bot, letter: Letter) -> Letter | None:
        """The letter with its text, buttons and forum topic; None once the ticket is gone."""
        payload = letter.payload
        ticket = await self.tickets.get(int(payload["ticket_id"]))
        if ticket is None:
            return None
        event = TicketEvent(payload["event"])
        to_citizen = event in (TicketEvent.ANSWER, TicketEvent.STAFF_CLOSED)
        # A citizen reads in the language of their question; staff in their own.
        locale = str(payload.get("language") or letter.language) if to_citizen else letter.language
        messages = await self.tickets.messages(ticket.id) if not to_citizen else []
        i18n = self.i18n
        if locale not in i18n.available_locales:
            locale = i18n.default_locale
        with i18n.context(), i18n.use_locale(locale):
            text, keyboard = self._text(event, ticket, messages, payload)
        media_kind, media_file_id = None, None
        for kind in ("photo", "document"):
            if payload.get(kind):
                media_kind, media_file_id = kind, str(payload[kind])
        limit = CAPTION_LIMIT if media_kind else TEXT_LIMIT
        thread_id = None
        if letter.chat_id == self.tickets.staff_chat_id:
            thread_id = await self._topic_of(bot, ticket)
        return replace(
            letter,
            text=fit_html(text, limit),
            markup=keyboard,
            thread_id=thread_id,
            media_kind=media_kind,
            media_file_id=media_file_id,
        )

    def _text(
        self, event: TicketEvent, ticket: Ticket, messages: list[Any], payload: Any
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        text = str(payload.get("text", ""))
        if event is TicketEvent.ANSWER:
            return views.staff_answer_for_citizen(ticket, text, self.regions)
        if event is TicketEvent.STAFF_CLOSED:
            return views.closed_by_staff_for_citizen(ticket.id), None
        if event is TicketEvent.ADDED:
            return views.citizen_added_for_staff(ticket, text)
        if event is TicketEvent.CITIZEN_CLOSED:
            return views.closed_by_citizen_for_staff(ticket.id), None
        reminder = event is TicketEvent.REMINDER
        return views.ticket_for_staff(
            ticket, messages, self.regions, self.knowledge_base, reminder=reminder
        )

    async def settled(self, letter: Letter, result: DeliveryResult) -> None:
        """A message showing the ticket is remembered, so that a reply to it answers (staff)
        or adds to (its citizen) the ticket; a citizen who blocked the bot has it closed."""
        event = TicketEvent(letter.payload["event"])
        ticket_id = int(letter.payload["ticket_id"])
        if result.outcome is Outcome.DELIVERED and result.message_id is not None:
            if event is TicketEvent.ANSWER or event in _SHOWING_TICKET:
                await self.tickets.remember_shown(
                    ticket_id,
                    letter.chat_id,
                    result.message_id,
                    to_citizen=event is TicketEvent.ANSWER,
                )
        elif result.outcome is Outcome.BLOCKED and event is TicketEvent.ANSWER:
            ticket = await self.tickets.get(ticket_id)
            if ticket is not None:
                await self.tickets.close_blocked(ticket)

    async def _topic_of(self, bot: Bot, ticket: Ticket) -> int | None:
        """The ticket's topic in the staff forum, opened with its first message; None when the
        group is no forum or Telegram refuses (the message then goes to the group's General)."""
        if not self.tickets.staff_chat_topics or self.tickets.staff_chat_id is None:
            return None
        if ticket.staff_topic_id is not None:
            return ticket.staff_topic_id
        with self.i18n.context(), self.i18n.use_locale(self.i18n.default_locale):
            name = views.topic_name(ticket, self.regions)
        try:
            topic = await bot.create_forum_topic(self.tickets.staff_chat_id, name)
        except TelegramAPIError as error:
            logger.warning("Could not open a ticket topic: %s", type(error).__name__)
            return None
        await self.tickets.set_staff_topic(ticket, topic.message_thread_id)
        return topic.message_thread_id
