"""The background task of «Ask a person»: one reminder to staff for a ticket left unanswered
more than two working days, and ticket texts deleted after the retention period."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiogram import Bot

from bot.config import Settings
from bot.jobs.tasks import PeriodicJob
from bot.services.tickets import TicketService
from bot.telegram.ticket_messenger import TicketMessenger

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class TicketReminders(PeriodicJob):
    """Started with the dispatcher, stopped with it; one `run_once` step every `interval`.

    Whether a ticket was reminded is in the database, so a restart repeats no reminder.
    """

    task_name = "ticket-reminders"
    what = "Ticket reminders"

    tickets: TicketService
    messenger: TicketMessenger
    retention_days: int
    clock: Callable[[], float] = field(default=time.time, kw_only=True)
    interval: float = field(default=600.0, kw_only=True)
    # Set by on_startup: the step sends through it.
    bot: Bot | None = field(default=None, init=False)

    async def on_startup(self, bot: Bot) -> None:
        self.bot = bot
        self.start()

    async def step(self) -> int:
        assert self.bot is not None, "started by on_startup"
        return await self.run_once(self.bot, self.clock())

    async def run_once(self, bot: Bot, now: float) -> int:
        """Remind staff of every ticket due at `now`; returns how many tickets were reminded."""
        await self.tickets.expire(self.retention_days, now)
        reminded = 0
        for ticket in await self.tickets.due_reminders(now):
            # Marked first: two overlapping runs (or a crash after sending) never remind twice.
            if await self.tickets.mark_reminded(ticket, now):
                await self.messenger.show_ticket(bot, ticket, reminder=True)
                reminded += 1
        return reminded


def create_ticket_reminders(
    settings: Settings, tickets: TicketService, messenger: TicketMessenger
) -> TicketReminders:
    return TicketReminders(tickets, messenger, settings.unanswered_retention_days)
