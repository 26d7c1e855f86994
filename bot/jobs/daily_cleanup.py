"""Once a day, delete what is kept only for a while: old unanswered questions (a setting,
90 days by default) and look-up attempts no limit looks at any more (older than a day)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.db.ivf_queue import ATTEMPT_MEMORY, IvfQueueRepository
from bot.db.questions import QuestionLogRepository
from bot.jobs.tasks import cancel_and_wait

logger = logging.getLogger(__name__)

DAY = 86_400.0


class DailyCleanup:
    """Runs at start-up and then every day; started and stopped with the dispatcher."""

    def __init__(
        self,
        question_log: QuestionLogRepository,
        ivf_queue: IvfQueueRepository,
        retention_days: int,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._question_log = question_log
        self._ivf_queue = ivf_queue
        self._retention_days = retention_days
        self._clock = clock
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> None:
        questions = await self._question_log.delete_older_than(self._retention_days)
        attempts = await self._ivf_queue.forget_attempts_before(self._clock() - ATTEMPT_MEMORY)
        logger.info(
            "Daily clean-up: %s old questions, %s old look-up attempts", questions, attempts
        )

    async def on_startup(self) -> None:
        self._task = asyncio.create_task(self._run(), name="daily-cleanup")

    async def on_shutdown(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception as error:  # a clean-up missed today is done tomorrow
                logger.warning("Daily clean-up failed: %s", type(error).__name__)
            # The real clock, even in tests (their fake sleep returns at once): a day is a day.
            await asyncio.sleep(DAY)
