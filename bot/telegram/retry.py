"""What a failed API call means: after Telegram's 429 or a timeout it is retried, a bounded
number of times; a button press too old to answer is passed over (bot/telegram/refusals.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType

from bot.telegram.refusals import is_late_press_answer

if TYPE_CHECKING:
    from aiogram import Bot

logger = logging.getLogger(__name__)

# Set by callers that handle 429s and retries themselves (the broadcast sender must slow down
# as a whole instead of one call sleeping here).
_bypass: ContextVar[bool] = ContextVar("api_retry_bypass", default=False)


@contextmanager
def without_retries() -> Iterator[None]:
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


class RetryMiddleware(BaseRequestMiddleware):
    """Honours `retry_after` on 429 and retries timeouts with backoff; never loops forever.
    A press answered too late does not stop its handler."""

    def __init__(
        self,
        max_retries: int = 3,
        max_wait: float = 30.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.max_retries = max_retries
        self.max_wait = max_wait
        self._sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        # Long polling has its own backoff in aiogram; retrying it here would double it.
        if isinstance(method, GetUpdates):
            return await make_request(bot, method)  # type: ignore[arg-type]
        if _bypass.get():
            return await make_request(bot, method)
        attempt = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                attempt += 1
                if attempt > self.max_retries or error.retry_after > self.max_wait:
                    raise
                logger.warning(
                    "429 on %s: waiting %s s (try %s)",
                    type(method).__name__,
                    error.retry_after,
                    attempt,
                )
                await self._sleep(error.retry_after)
            except TelegramBadRequest as error:
                if not is_late_press_answer(method, error):
                    raise
                logger.info("A button press was too old to answer; going on")
                # aiogram's middleware chain passes the method's result (True) through as is.
                result: Any = True
                return result
            except TelegramNetworkError:
                attempt += 1
                if attempt > self.max_retries:
                    raise
                delay = min(self.max_wait, 0.5 * 2**attempt)
                logger.warning(
                    "Network error on %s: retrying in %.1f s", type(method).__name__, delay
                )
                await self._sleep(delay)
