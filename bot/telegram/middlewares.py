"""Dispatcher middlewares that are wiring, not business: they run no feature SQL."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject, Update
from aiogram.utils.i18n import I18n

from bot.db.users import UserRecord
from bot.states import TYPED_ANSWER_STATES

if TYPE_CHECKING:
    # Both import NextHandler from here: named for the types only.
    from bot.i18n import UserLocaleMiddleware
    from bot.monitoring.metrics import UpdateMetrics
    from bot.telegram.filters import ButtonText

logger = logging.getLogger(__name__)

# What an update middleware is given to call next (aiogram's BaseMiddleware signature).
NextHandler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


@dataclass
class UpdateMiddleware(BaseMiddleware):
    """The one outer middleware on updates: the jobs every update needs, in this order.

    Counted as in flight (a graceful stop waits for it), timed and counted for /metrics, the
    user record and the reply language loaded, then a message is held to the rate limit (in the
    person's language) and, if it opens another feature, ends a dialog waiting for a typed
    answer. aiogram builds and awaits one layer per middleware for every update:
    one layer doing each job in sequence, instead of five, keeps a command close to a bare
    bot's cost (bench/dispatch_overhead.py).
    """

    in_flight: InFlightTracker
    metrics: UpdateMetrics
    locale: UserLocaleMiddleware
    rate_limit: MessageRateLimit

    async def __call__(
        self, handler: NextHandler, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        self.in_flight.started()
        timing = self.metrics.started(event)
        try:
            inner = event.event if isinstance(event, Update) else event
            locale = await self.locale.prepare(inner, data)
            # New messages only: edits and button presses are not counted.
            message = event.message if isinstance(event, Update) else None
            i18n = self.locale.i18n
            with i18n.context(), i18n.use_locale(locale):
                if message is not None:
                    if not await self.rate_limit.admits(message, data):
                        return None
                    await leave_dialog_for_another_feature(message, i18n, data)
                return await handler(event, data)
        except Exception as error:
            self.metrics.failed(error)
            raise
        finally:
            self.metrics.finished(timing)
            self.in_flight.finished()


# Commands a dialog waiting for a typed answer lives through: /cancel ends it itself (and says
# so), /help and /language only inform or change the language.
DIALOG_COMMANDS = frozenset({"cancel", "help", "language"})


def opens_something_else(text: str) -> bool:
    """Whether a message is a command other than DIALOG_COMMANDS (/ivf, /menu, /stop…)."""
    if not text.startswith("/") or not text[1:].strip():
        return False
    name = text[1:].split(maxsplit=1)[0].partition("@")[0]
    return name.casefold() not in DIALOG_COMMANDS


@functools.cache
def _menu_buttons() -> ButtonText:
    # Imported when first needed: bot.views and bot.telegram.filters import bot.i18n, which
    # imports this module.
    from bot.telegram.filters import ButtonText
    from bot.views.common import MENU_LABELS

    return ButtonText(*MENU_LABELS)


async def leave_dialog_for_another_feature(
    message: Message, i18n: I18n, data: dict[str, Any]
) -> None:
    """A main-menu button or another feature's command ends a dialog waiting for a typed answer
    (bot/states.py TYPED_ANSWER_STATES): else the next thing typed is read as its answer (a
    village, a region, a question sent to staff). Here, before the routers, because the button's
    or command's own router may come before the dialog's."""
    if data.get("raw_state") not in TYPED_ANSWER_STATES:
        return
    if not (opens_something_else(message.text or "") or _menu_buttons().matches(message, i18n)):
        return
    state: FSMContext = data["state"]
    await state.clear()
    data["raw_state"] = None  # what the routers' state filters read


class InFlightTracker:
    """Counts updates being handled, so a graceful stop can wait for them to finish."""

    def __init__(self) -> None:
        self._active = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def started(self) -> None:
        self._active += 1
        self._idle.clear()

    def finished(self) -> None:
        self._active -= 1
        if self._active == 0:
            self._idle.set()

    @property
    def active(self) -> int:
        return self._active

    async def wait_idle(self, timeout: float) -> bool:
        """Wait until no update is being handled; False when `timeout` ran out first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True


class MessageRateLimit:
    """At most `limit` messages a minute from one person; beyond it one polite note, then
    silence until the minute has passed.

    Kept in memory: a flood must cost neither a database write nor a search, and losing the
    counts on a restart is harmless. Asked for messages only (not edits), after the reply
    language is chosen so the note is in the person's language. Staff are not counted (a day's
    CSV uploads come in bursts). Button presses are not counted either: they are cheap to
    answer (no free-text search), double taps are common, and Telegram already rate-limits
    inline presses per chat.
    """

    def __init__(
        self,
        note: Callable[[], str],
        is_exempt: Callable[[Message, dict[str, Any]], Awaitable[bool]],
        limit: int = 20,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._note = note
        self._is_exempt = is_exempt
        self._accepted: dict[int, deque[float]] = {}
        self._told: set[int] = set()
        self._calls = 0

    async def admits(self, message: Message, data: dict[str, Any]) -> bool:
        """True when the message may be answered; the first one over the limit gets the note."""
        user = message.from_user
        if user is None:
            return True
        now = self.clock()
        self._forget_idle(now)
        accepted = self._accepted.setdefault(user.id, deque())
        while accepted and accepted[0] <= now - self.window:
            accepted.popleft()
        # Exempt (asked only over the limit): staff, and an emergency: 103 first, even in a flood.
        if len(accepted) < self.limit or await self._is_exempt(message, data):
            accepted.append(now)
            self._told.discard(user.id)
            return True
        if user.id not in self._told:
            self._told.add(user.id)
            logger.info("Update from a user over the message limit: told once, then ignored")
            await message.answer(self._note())
        return False

    def _forget_idle(self, now: float) -> None:
        # Now and then drop the people who have been quiet for a minute: the map stays small.
        self._calls += 1
        if self._calls % 1000:
            return
        idle = [
            user_id
            for user_id, accepted in self._accepted.items()
            if not accepted or accepted[-1] <= now - self.window
        ]
        for user_id in idle:
            del self._accepted[user_id]
            self._told.discard(user_id)


class OwnLanguageMiddleware(BaseMiddleware):
    """Staff type announcements in both languages: answer them in the language they chose,
    not in the language of the text they just typed."""

    async def __call__(
        self, handler: NextHandler, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        record: UserRecord | None = data.get("user_record")
        i18n: I18n | None = data.get("i18n")
        if record is None or i18n is None or record.language not in i18n.available_locales:
            return await handler(event, data)
        with i18n.use_locale(record.language):
            return await handler(event, data)
