"""Start-up work besides polling is best effort: one Bot API error must not stop the bot.

Registering the command menu is tried once at start-up (messages an import left owed are the
one sender's, which retries by itself); whatever failed (a 500, an HTML 502 from a proxy, a
timeout) is retried in the background with a growing pause while the bot already serves people.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiogram import Bot
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.jobs.tasks import cancel_and_wait

logger = logging.getLogger(__name__)

# Seconds before each retry; the last one repeats until the step succeeds or the bot stops.
RETRY_DELAYS: tuple[float, ...] = (1, 5, 30, 120, 600)


class BestEffortStartup:
    """A dispatcher start-up hook that never raises; shutdown stops the retries."""

    def __init__(
        self,
        register_commands: Callable[[Bot, I18n, Settings], Awaitable[None]],
        delays: Sequence[float] = RETRY_DELAYS,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._register_commands = register_commands
        self._delays = delays
        self._sleep = sleep
        self._task: asyncio.Task[None] | None = None

    async def on_startup(self, *, bot: Bot, i18n: I18n, settings: Settings) -> None:
        async def commands() -> bool:
            await self._register_commands(bot, i18n, settings)
            return True

        steps: dict[str, Callable[[], Awaitable[bool]]] = {"command menu": commands}
        pending = {name: step for name, step in steps.items() if not await _try(name, step)}
        if pending:
            self._task = asyncio.create_task(self._retry(pending), name="startup-retries")

    async def on_shutdown(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _retry(self, pending: dict[str, Callable[[], Awaitable[bool]]]) -> None:
        attempt = 0
        while pending:
            await self._sleep(self._delays[min(attempt, len(self._delays) - 1)])
            attempt += 1
            for name, step in list(pending.items()):
                if await _try(name, step):
                    del pending[name]
                    logger.info("Start-up step done on retry %s: %s", attempt, name)


async def _try(name: str, step: Callable[[], Awaitable[bool]]) -> bool:
    try:
        return await step()
    except Exception as error:  # any failure: the bot serves people and retries later
        # The exception type only: a message could quote a notice's text.
        logger.warning("Start-up step failed, will retry: %s (%s)", name, type(error).__name__)
        return False
