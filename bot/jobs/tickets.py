"""The background task of «Ask a person»: one reminder to staff for a ticket left unanswered
more than two working days, and ticket texts deleted after the retention period."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot

from bot.config import Settings
from bot.jobs.tasks import PeriodicJob
from bot.services.tickets import TicketService
from bot.telegram.ticket_messenger import TicketMessenger

logger = logging.getLogger(__name__)


class TicketReminders(PeriodicJob):
    """Started with the dispatcher, stopped with it; one `run_once` step every `interval`.

    Whether a ticket was reminded is in the database, so a restart repeats no reminder.
    """

    task_name = "ticket-reminders"
    what = "Ticket reminders"

    def __init__(
        self,
        tickets: TicketService,
        messenger: TicketMessenger,
        retention_days: int,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        interval: float = 600.0,
    ) -> None:
        super().__init__(interval, sleep)
        self._tickets = tickets
        self._messenger = messenger
        self._retention_days = retention_days
        self._clock = clock
        self._bot: Bot | None = None

    async def on_startup(self, bot: Bot) -> None:
        self._bot = bot
        self.start()

    async def step(self) -> int:
        assert self._bot is not None, "started by on_startup"
        return await self.run_once(self._bot, self._clock())

    async def run_once(self, bot: Bot, now: float) -> int:
        """Remind staff of every ticket due at `now`; returns how many tickets were reminded."""
        await self._tickets.expire(self._retention_days, now)
        reminded = 0
        for ticket in await self._tickets.due_reminders(now):
            # Marked first: two overlapping runs (or a crash after sending) never remind twice.
            if await self._tickets.mark_reminded(ticket, now):
                await self._messenger.show_ticket(bot, ticket, reminder=True)
                reminded += 1
        return reminded


def create_ticket_reminders(
    settings: Settings, tickets: TicketService, messenger: TicketMessenger
) -> TicketReminders:
    return TicketReminders(tickets, messenger, settings.unanswered_retention_days)
