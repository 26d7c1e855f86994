"""Background tasks started with the dispatcher and stopped with it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

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
