"""The background task that sends mobile-clinic reminders and notices from the database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.utils.i18n import I18n

from bot.config import SUPPORTED_LOCALES, Settings
from bot.db import Database
from bot.db.mobile_clinics import MobileClinicRepository
from bot.jobs.tasks import cancel_and_wait
from bot.services.mobile_clinics import Clock, MobileClinics
from bot.services.regions import RegionDirectory
from bot.services.settlements import SettlementDirectory
from bot.views.mobile_clinics import render_outgoing

logger = logging.getLogger(__name__)
HISTORY_FILE = "mobile_visits.csv"
DEMO_FILE = "examples/mobile_visits_demo.csv"


class MobileReminderTask:
    """Started with the dispatcher, stopped with it; one `run_due_reminders` step a minute.

    Everything it needs is in the database (what is due, what was sent), so a restart loses
    nothing and repeats nothing.
    """

    def __init__(
        self,
        service: MobileClinics,
        i18n: I18n,
        clock: Clock | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        interval: float = 60.0,
    ) -> None:
        self.service = service
        self.i18n = i18n
        self._clock = clock
        self._sleep = sleep
        self.interval = interval
        self.bot: Bot | None = None
        self._task: asyncio.Task[None] | None = None

    def now(self) -> datetime:
        return (self._clock or self.service.clock)()

    async def on_startup(self, bot: Bot, settings: Settings) -> None:
        result = await self.service.load_history(settings.data_path / HISTORY_FILE)
        if not result.ok:
            logger.error("%s has bad rows: %s", HISTORY_FILE, result.errors)
        if settings.mobile_demo_schedule:
            # Example rows for the console demo only; production never sets this.
            demo = await asyncio.to_thread((settings.data_path / DEMO_FILE).read_bytes)
            await self.service.import_schedule(demo, source=DEMO_FILE)
        self.bot = bot
        self._task = asyncio.create_task(self._run(), name="mobile-reminders")

    async def on_shutdown(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.run_due_reminders(self.now())
            except Exception:
                logger.exception("Mobile-clinic reminders failed; retrying in a minute")
            await self._sleep(self.interval)

    async def run_due_reminders(self, now: datetime, bot: Bot | None = None) -> int:
        """Queue what is due at `now` and send everything pending; returns how many were sent."""
        bot = bot or self.bot
        if bot is None:
            raise RuntimeError("run_due_reminders needs a bot (started by on_startup)")
        await self.service.queue_due_reminders(now)
        sent = 0
        blocked: set[int] = set()
        while messages := await self.service.pending_messages(now):
            for message in messages:
                if message.user_id in blocked:
                    continue
                locale = message.language if message.language in SUPPORTED_LOCALES else None
                with self.i18n.context(), self.i18n.use_locale(locale or self.i18n.default_locale):
                    text = render_outgoing(message, today=now.date())
                try:
                    await bot.send_message(message.user_id, text)
                except TelegramForbiddenError:
                    await self.service.user_blocked_bot(message.user_id, now)
                    blocked.add(message.user_id)
                    continue
                except TelegramBadRequest:
                    # This message can never go (e.g. chat not found): do not hold up the rest.
                    logger.warning("Telegram refused a mobile-clinic %s", message.kind)
                    await self.service.mark_failed(message, now)
                    continue
                except TelegramAPIError:
                    # Left pending: the next step tries again.
                    logger.warning("Could not send a mobile-clinic %s; will retry", message.kind)
                    return sent
                await self.service.mark_sent(message, now)
                sent += 1
        return sent


def create_mobile_clinics(
    settings: Settings, db: Database, i18n: I18n
) -> tuple[MobileClinics, MobileReminderTask]:
    service = MobileClinics.create(
        MobileClinicRepository(db),
        SettlementDirectory.load(settings.data_path / "settlements.yaml"),
        RegionDirectory.load(settings.data_path / "regions.yaml"),
    )
    return service, MobileReminderTask(service, i18n)
