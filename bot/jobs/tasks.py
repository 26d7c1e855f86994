"""Background tasks started with the dispatcher and stopped with it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

logger = logging.getLogger(__name__)


async def cancel_and_wait(task: asyncio.Task[None] | None) -> None:
    """Stop a background loop and wait until it has stopped: shutdown must not cut it half-way."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def repeat(
    step: Callable[[], Awaitable[object]],
    interval: float,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    what: str = "A background step",
) -> None:
    """Run `step` every `interval` seconds until cancelled; a failed step is logged and tried
    again next time, never the end of the loop."""
    while True:
        try:
            await step()
        except Exception:
            logger.exception("%s failed; trying again later", what)
        await sleep(interval)


@dataclass(kw_only=True, eq=False)
class PeriodicJob:
    """A step run every `interval` seconds from start-up until shutdown (see `repeat`).

    Subclasses name the job and define `step`; their start-up hook calls `start` once it has what
    the step needs, and `on_shutdown` stops the loop. Subclasses are dataclasses too: they hold
    their dependencies and set `interval`.
    """

    # The asyncio task's name, and what a log line calls the job when a step fails.
    task_name: ClassVar[str]
    what: ClassVar[str]

    interval: float
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
    _task: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    async def step(self) -> object:
        raise NotImplementedError

    def start(self) -> None:
        loop = repeat(self.step, self.interval, self.sleep, self.what)
        self._task = asyncio.create_task(loop, name=self.task_name)

    async def on_shutdown(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
