"""The background task that queues mobile-clinic reminders when they fall due; the one sender
(`bot/services/outbox.py`) sends them, and the visit notices an import queued."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime

from aiogram import Bot
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.db import Database
from bot.db.mobile_clinics import MobileClinicRepository
from bot.jobs.tasks import PeriodicJob
from bot.services.mobile_clinics import Clock, MobileClinics
from bot.services.outbox import OutboxSender
from bot.services.regions import RegionDirectory
from bot.services.settlements import SettlementDirectory
from bot.telegram.delivery import OutboxRenderer, create_delivery

logger = logging.getLogger(__name__)
HISTORY_FILE = "mobile_visits.csv"
DEMO_FILE = "examples/mobile_visits_demo.csv"


@dataclass(eq=False)
class MobileReminderTask(PeriodicJob):
    """Started with the dispatcher, stopped with it; what is due is queued once a minute.

    Everything it needs is in the database (what is due, what was sent), so a restart loses
    nothing and repeats nothing.
    """

    task_name = "mobile-reminders"
    what = "Mobile-clinic reminders"

    service: MobileClinics
    i18n: I18n
    clock: Clock | None = field(default=None, kw_only=True)
    interval: float = field(default=60.0, kw_only=True)
    # Set at start-up (on_startup, use_sender).
    bot: Bot | None = field(default=None, init=False)
    _sender: OutboxSender | None = field(default=None, init=False)
    _renderer: OutboxRenderer | None = field(default=None, init=False)
    _settings: Settings | None = field(default=None, init=False)

    def use_sender(
        self, sender: OutboxSender, renderer: OutboxRenderer, settings: Settings
    ) -> None:
        self._sender = sender
        self._renderer = renderer
        self._settings = settings

    def now(self) -> datetime:
        return (self.clock or self.service.clock)()

    async def on_startup(self, bot: Bot, settings: Settings) -> None:
        result = await self.service.load_history(settings.data_path / HISTORY_FILE)
        if not result.ok:
            logger.error("%s has bad rows: %s", HISTORY_FILE, result.errors)
        if settings.mobile_demo_schedule:
            # Example rows for the console demo only; production never sets this.
            demo = await asyncio.to_thread((settings.data_path / DEMO_FILE).read_bytes)
            await self.service.import_schedule(demo, source=DEMO_FILE)
        self.bot = bot
        self.start()

    async def step(self) -> None:
        if await self.service.queue_due_reminders(self.now()) and self._sender:
            self._sender.wake()

    async def run_due_reminders(self, now: datetime, bot: Bot | None = None) -> int:
        """Queue what is due at `now` and send everything owed through the one sender (with its
        limits, claims and retries); returns how many messages were delivered."""
        bot = bot or self.bot
        if bot is None or self._sender is None or self._renderer is None:
            raise RuntimeError("run_due_reminders needs a bot and the sender")
        assert self._settings is not None
        await self.service.queue_due_reminders(now)
        return await self._sender.flush(create_delivery(bot, self._renderer, self._settings))


def create_mobile_clinics(
    settings: Settings, db: Database, i18n: I18n
) -> tuple[MobileClinics, MobileReminderTask]:
    service = MobileClinics.create(
        MobileClinicRepository(db),
        SettlementDirectory.load(settings.data_path / "settlements.yaml"),
        RegionDirectory.load(settings.data_path / "regions.yaml"),
    )
    return service, MobileReminderTask(service, i18n)
