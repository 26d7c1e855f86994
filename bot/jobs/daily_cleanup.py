"""Once a day, delete what is kept only for a while. Periods are settings (bot/config.py):
unanswered questions 90 days, finished outbox rows 30 days, abandoned dialogs 30 days, finished
broadcasts a year (the audit); look-up attempts a day, the longest any limit looks back.
`/forget` does not wait for this: it deletes a person's data at once."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.db.fsm_storage import SQLiteStorage
from bot.db.ivf_queue import ATTEMPT_MEMORY, IvfQueueRepository
from bot.db.questions import QuestionLogRepository
from bot.db.retention import RetentionRepository
from bot.jobs.tasks import PeriodicJob

logger = logging.getLogger(__name__)

DAY = 86_400.0


@dataclass(frozen=True)
class RetentionPeriods:
    unanswered_questions_days: int = 90
    outbox_rows_days: int = 30
    dialog_states_days: int = 30
    broadcasts_days: int = 365

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPeriods:
        return cls(
            unanswered_questions_days=settings.unanswered_retention_days,
            outbox_rows_days=settings.outbox_retention_days,
            dialog_states_days=settings.dialog_state_retention_days,
            broadcasts_days=settings.broadcast_retention_days,
        )


@dataclass(frozen=True)
class CleanupReport:
    questions: int
    lookup_attempts: int
    broadcast_rows: int
    notice_rows: int
    dialog_states: int
    broadcasts: int


@dataclass(eq=False)
class DailyCleanup(PeriodicJob):
    """Runs at start-up and then every day; started and stopped with the dispatcher. A clean-up
    that fails is done the next day."""

    task_name = "daily-cleanup"
    what = "Daily clean-up"

    question_log: QuestionLogRepository
    ivf_queue: IvfQueueRepository
    retention: RetentionRepository
    dialog_states: SQLiteStorage
    periods: RetentionPeriods
    clock: Callable[[], float] = field(default=time.time, kw_only=True)
    interval: float = field(default=DAY, init=False)
    # The real sleep, even in tests (their fake sleep returns at once): a day is a day. (A factory:
    # a plain function default would live on the class and be bound as a method.)
    sleep: Callable[[float], Awaitable[Any]] = field(
        default_factory=lambda: asyncio.sleep, init=False
    )

    async def run_once(self) -> CleanupReport:
        now = datetime.fromtimestamp(self.clock(), UTC)
        periods = self.periods

        def days_ago(days: int) -> datetime:
            return now - timedelta(days=days)

        report = CleanupReport(
            questions=await self.question_log.delete_older_than(
                periods.unanswered_questions_days, today=now.date()
            ),
            lookup_attempts=await self.ivf_queue.forget_attempts_before(
                self.clock() - ATTEMPT_MEMORY
            ),
            broadcast_rows=await self.retention.delete_finished_broadcast_rows(
                days_ago(periods.outbox_rows_days)
            ),
            notice_rows=await self.retention.delete_finished_notice_rows(
                days_ago(periods.outbox_rows_days)
            ),
            dialog_states=await self.dialog_states.forget_abandoned(
                days_ago(periods.dialog_states_days)
            ),
            broadcasts=await self.retention.delete_finished_broadcasts(
                days_ago(periods.broadcasts_days)
            ),
        )
        logger.info("Daily clean-up: %s", report)
        return report

    async def step(self) -> CleanupReport:
        return await self.run_once()

    async def on_startup(self) -> None:
        self.start()
