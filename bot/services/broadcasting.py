"""Composing announcements and the sender that drains the outbox at Telegram's limits.

Nothing here knows aiogram: the sender talks to Telegram through a `Delivery` (see
`bot/telegram/delivery.py`) and shows progress through a `ProgressReporter`.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.db.broadcasts import (
    BroadcastRecord,
    BroadcastRepository,
    OutboxItem,
    RunCounts,
    RunRecord,
)
from bot.db.subscriptions import Recipient, SubscriptionRepository
from bot.services.staff import StaffRole
from bot.services.subscriptions import Topic

logger = logging.getLogger(__name__)

# Telegram lets a bot edit or delete its own messages for 48 hours.
CHANGE_WINDOW = timedelta(hours=48)
# Telegram's limits: a message holds 4096 characters, a photo's or document's caption 1024.
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


class Action(StrEnum):
    SEND = "send"
    EDIT = "edit"
    DELETE = "delete"


class Outcome(StrEnum):
    DELIVERED = "delivered"
    BLOCKED = "blocked"  # 403: blocked or deactivated; final, the user is unsubscribed
    RETRY_AFTER = "retry_after"  # 429: the whole sender waits
    TRANSIENT = "transient"  # network error, 5xx, an undecodable answer: retried, bounded
    REJECTED = "rejected"  # 400 and the like: retrying would not help


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    outcome: Outcome
    message_id: int | None = None
    retry_after: float = 0.0
    # The request may have reached Telegram although no answer came back.
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class Letter:
    """One API call of a run: send, edit or delete one recipient's message."""

    action: Action
    chat_id: int
    language: str
    text: str
    media_kind: str | None = None
    media_file_id: str | None = None
    message_id: int | None = None


class Delivery(Protocol):
    async def deliver(self, letter: Letter) -> DeliveryResult: ...


@dataclass(frozen=True, slots=True)
class Progress:
    run: RunRecord
    broadcast: BroadcastRecord
    counts: RunCounts
    busy_seconds: float
    throttled: int
    eta_seconds: float | None

    @property
    def processed(self) -> int:
        return self.counts.delivered + self.counts.blocked + self.counts.failed

    @property
    def rate(self) -> float:
        """Messages per second while sending (pauses and restarts excluded)."""
        return self.processed / self.busy_seconds if self.busy_seconds > 0 else 0.0


class ProgressReporter(Protocol):
    async def show(self, progress: Progress) -> int | None:
        """Create or edit the progress message; returns the id of a newly created one."""

    async def finished(self, progress: Progress) -> None: ...


@dataclass(frozen=True, slots=True)
class SendLimits:
    # Telegram: about 30 messages per second in total and 1 per second to one chat.
    rate_per_second: float = 30.0
    per_chat_interval: float = 1.0
    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_in_flight: int = 30
    progress_interval: float = 5.0
    # Seconds added to the 1-second window: requests reach Telegram with varying delays.
    margin: float = 0.02
    # Least gap between two calls, as a share of 1/rate: smooths bursts within the window.
    spread: float = 0.8


@dataclass(frozen=True, slots=True)
class Audience:
    topic: Topic
    region_code: str | None = None
    language: str | None = None  # None: both languages


class ChangeRefusal(StrEnum):
    """Why a correction or a retraction was not queued."""

    TOO_LATE = "too_late"  # 48 hours passed, still sending, retracted, or not this region's
    ALREADY_QUEUED = "already_queued"  # the same confirmation pressed twice
    CAPTION_TOO_LONG = "caption_too_long"  # a photo's or document's caption holds 1024


def new_draft_key() -> str:
    """The key of one draft: a run is created once per key, however often «Send» is pressed."""
    return uuid.uuid4().hex


def text_limit(media_kind: str | None) -> int:
    """How long an announcement's text may be: with a photo or document it is a caption."""
    return CAPTION_LIMIT if media_kind else MESSAGE_LIMIT


@dataclass(frozen=True, slots=True)
class Draft:
    author_id: int
    text_kk: str
    text_ru: str
    audience: Audience
    media_kind: str | None = None
    media_file_id: str | None = None
    # Taken when the preview is shown; the same key queues one run at most.
    key: str = field(default_factory=new_draft_key)


@dataclass(frozen=True, slots=True)
class QueuedRun:
    run_id: int
    recipients: int


def _utcnow() -> datetime:
    return datetime.now(UTC)


class BroadcastService:
    """The staff side: count an audience, queue a broadcast, an edit or a retraction."""

    def __init__(
        self,
        repository: BroadcastRepository,
        subscriptions: SubscriptionRepository,
        default_language: str,
        wake_sender: Callable[[], None],
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._repo = repository
        self._subscriptions = subscriptions
        self._default_language = default_language
        self._wake = wake_sender
        self._now = now

    async def audience_size(self, audience: Audience) -> dict[str, int]:
        """Recipients per language (`kk`, `ru`)."""
        sizes = {"kk": 0, "ru": 0}
        for recipient in await self._recipients(audience):
            sizes[recipient.language] = sizes.get(recipient.language, 0) + 1
        return sizes

    async def enqueue(self, draft: Draft, report_chat_id: int) -> QueuedRun | None:
        """Write the broadcast and its whole outbox, then let the sender start; None when this
        draft was queued already."""
        recipients = await self._recipients(draft.audience)
        run_id = await self._repo.create(
            author_id=draft.author_id,
            report_chat_id=report_chat_id,
            text_kk=draft.text_kk,
            text_ru=draft.text_ru,
            media_kind=draft.media_kind,
            media_file_id=draft.media_file_id,
            topic=draft.audience.topic,
            region_code=draft.audience.region_code,
            language=draft.audience.language,
            recipients=recipients,
            now=self._now(),
            claim=draft.key,
        )
        if run_id is None:
            return None
        self._wake()
        return QueuedRun(run_id=run_id, recipients=len(recipients))

    async def changeable(
        self, broadcast_id: int, region_code: str | None = None
    ) -> BroadcastRecord | None:
        """The broadcast when it may still be edited or retracted (sent within 48 hours, by
        staff of its region when `region_code` is given)."""
        broadcast = await self._repo.get_broadcast(broadcast_id)
        if broadcast is None or self._now() - broadcast.created_at > CHANGE_WINDOW:
            return None
        if region_code is not None and broadcast.region_code != region_code:
            return None
        runs = await self._repo.runs_of(broadcast_id)
        if any(run.status in ("queued", "running", "paused") for run in runs):
            # Rows still waiting would go out with whichever text they were loaded with.
            return None
        if any(run.action == Action.DELETE and run.status != "cancelled" for run in runs):
            return None  # nothing is left to correct or retract
        return broadcast

    async def may_control(self, role: StaffRole, run_id: int) -> bool:
        """Whether `role` may pause, resume or stop the run (its author, or staff of its
        region); False for an unknown run."""
        run = await self._repo.get_run(run_id)
        broadcast = await self._repo.get_broadcast(run.broadcast_id) if run else None
        if run is None or broadcast is None:
            return False
        return role.may_control(run.requested_by, broadcast.region_code)

    async def enqueue_change(
        self,
        broadcast_id: int,
        action: Action,
        *,
        requested_by: int,
        report_chat_id: int,
        claim: str | None = None,
        text_kk: str | None = None,
        text_ru: str | None = None,
        region_code: str | None = None,
    ) -> QueuedRun | ChangeRefusal:
        """Queue an edit or a retraction of what went out, or say why not. `claim` names the
        confirmation (a retraction is claimed by its broadcast): pressed twice, it queues once."""
        if action == Action.DELETE:
            claim = f"delete:{broadcast_id}"
        broadcast = await self.changeable(broadcast_id, region_code)
        if broadcast is None:
            return ChangeRefusal.TOO_LATE
        limit = text_limit(broadcast.media_kind)
        if max(len(text_kk or ""), len(text_ru or "")) > limit:
            return ChangeRefusal.CAPTION_TOO_LONG
        created = await self._repo.create_followup(
            broadcast_id=broadcast_id,
            action=action,
            requested_by=requested_by,
            report_chat_id=report_chat_id,
            text_kk=text_kk,
            text_ru=text_ru,
            sent_after=self._now() - CHANGE_WINDOW,
            now=self._now(),
            claim=claim or new_draft_key(),
        )
        if created is None:
            return ChangeRefusal.ALREADY_QUEUED
        run_id, count = created
        self._wake()
        return QueuedRun(run_id=run_id, recipients=count)

    async def recent(
        self, limit: int = 10, region_code: str | None = None
    ) -> list[tuple[BroadcastRecord, list[RunRecord]]]:
        """The latest broadcasts with their runs: who sent what to whom, when."""
        return [
            (broadcast, await self._repo.runs_of(broadcast.id))
            for broadcast in await self._repo.recent(limit, region_code)
        ]

    async def _recipients(self, audience: Audience) -> list[Recipient]:
        return await self._subscriptions.recipients(
            audience.topic, audience.region_code, audience.language, self._default_language
        )


@dataclass
class _RunState:
    run: RunRecord
    broadcast: BroadcastRecord
    queue: deque[OutboxItem]
    deferred: list[tuple[float, int, OutboxItem]] = field(default_factory=list)
    in_flight: set[asyncio.Task[None]] = field(default_factory=set)
    throttled: int = 0
    started: float = 0.0


class Broadcaster:
    """Drains the outbox run after run: ≤ `rate_per_second` in total, ≤ 1 per chat per
    `per_chat_interval`, a 429 pauses everything, and each row is marked "sending" before
    its API call and "sent" after, so a restart resends only what was caught in between."""

    def __init__(
        self,
        repository: BroadcastRepository,
        limits: SendLimits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._repo = repository
        self._delivery: Delivery | None = None
        self._reporter: ProgressReporter | None = None
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._now = now
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._requests: dict[int, str] = {}
        # Start times of the latest calls: at most `window_size` of them in `window_seconds`.
        self._window_size = max(1, int(limits.rate_per_second))
        self._window_seconds = self._window_size / limits.rate_per_second
        self._recent: deque[float] = deque(maxlen=self._window_size)
        self._paused_until = 0.0
        self._chat_ready: dict[int, float] = {}
        self._sequence = itertools.count()
        self._current_run_id: int | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self.recovered = 0
        self.idle = asyncio.Event()

    # Lifecycle --------------------------------------------------------------------------
    def start(self, delivery: Delivery, reporter: ProgressReporter) -> None:
        """Start draining in the background (the bot's API session exists only by now)."""
        self._delivery = delivery
        self._reporter = reporter
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self.run_forever(), name="broadcaster")

    async def stop(self, timeout: float = 10.0) -> None:
        """Finish the calls in flight and stop; unsent rows stay in the outbox."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            except TimeoutError:
                # E.g. waiting out a long retry_after: rows caught mid-call stay "sending" and
                # are counted as possible duplicates on the next start.
                logger.warning("Broadcaster did not stop in %s s; aborting", timeout)
                await self.abort()
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def abort(self) -> None:
        """Stop at once with no clean-up, as `kill -9` would (for tests of the recovery)."""
        tasks = [task for task in (self._task, *self._in_flight) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None

    # Buttons ------------------------------------------------------------------------------
    async def pause(self, run_id: int) -> bool:
        if not await self._repo.change_status(run_id, ("queued", "running"), "paused"):
            return False
        self._requests[run_id] = "pause"
        return True

    async def resume(self, run_id: int) -> bool:
        if not await self._repo.change_status(run_id, ("paused",), "queued"):
            return False
        self._requests.pop(run_id, None)
        self._wake.set()
        return True

    async def cancel(self, run_id: int) -> bool:
        if run_id == self._current_run_id:
            self._requests[run_id] = "cancel"
            return True
        # Not being sent right now: close it here.
        if not await self._repo.change_status(run_id, ("queued", "paused"), "cancelled"):
            return False
        self._requests.pop(run_id, None)
        run = await self._repo.get_run(run_id)
        broadcast = await self._repo.get_broadcast(run.broadcast_id) if run else None
        assert run is not None and broadcast is not None
        await self._repo.cancel_pending(run_id)
        state = _RunState(run=run, broadcast=broadcast, queue=deque(), started=self._clock())
        await self._finish(state, "cancelled")
        return True

    # The loop -----------------------------------------------------------------------------
    async def run_forever(self) -> None:
        self.recovered = await self._repo.recover_interrupted()
        if self.recovered:
            logger.warning(
                "Restart: %s messages were being sent when the bot stopped; "
                "they are resent and counted as possible duplicates",
                self.recovered,
            )
        while not self._stopping:
            self._wake.clear()
            run = await self._repo.next_run()
            if run is None:
                self.idle.set()
                await self._wake.wait()
                continue
            self.idle.clear()
            self._current_run_id = run.id
            try:
                await self._drain(run)
            except Exception:  # a bug must not stop every later broadcast
                logger.exception("Broadcast run %s stopped by an error", run.id)
                await self._repo.set_status(run.id, "paused")
            finally:
                self._current_run_id = None

    async def _drain(self, run: RunRecord) -> None:
        broadcast = await self._repo.get_broadcast(run.broadcast_id)
        assert broadcast is not None
        if run.status == "queued":
            await self._repo.set_status(run.id, "running", started_at=self._now())
        run = await self._refresh(run)
        state = _RunState(
            run=run,
            broadcast=broadcast,
            queue=deque(await self._repo.pending(run.id)),
            started=self._clock(),
        )
        await self._report(state)
        next_report = self._clock() + self.limits.progress_interval
        while True:
            request = self._requests.get(run.id)
            if request is not None or self._stopping:
                await self._settle(state)
                if request == "cancel":
                    await self._repo.cancel_pending(run.id)
                    await self._finish(state, "cancelled")
                elif request == "pause":
                    await self._save_activity(state)
                    await self._report(state)
                else:
                    await self._save_activity(state)
                self._requests.pop(run.id, None)
                return
            item = await self._next_item(state)
            if item is None:
                if state.in_flight:
                    await asyncio.wait(state.in_flight, return_when=asyncio.FIRST_COMPLETED)
                    continue
                if state.deferred:
                    continue
                await self._finish(state, "done")
                return
            while len(state.in_flight) >= self.limits.max_in_flight:
                await asyncio.wait(state.in_flight, return_when=asyncio.FIRST_COMPLETED)
            if not await self._repo.mark_sending(item):
                continue  # gone meanwhile (/forget)
            # The slot is taken right before the call, so the times we count are the times
            # the calls leave (a database write in between would blur the window).
            await self._wait_for_slot()
            self._remember_chat(item.user_id)
            task = asyncio.create_task(self._send(state, item))
            state.in_flight.add(task)
            task.add_done_callback(state.in_flight.discard)
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
            await asyncio.sleep(0)  # let the call leave now, inside its slot
            if self._clock() >= next_report:
                await self._report(state)
                next_report = self._clock() + self.limits.progress_interval

    async def _next_item(self, state: _RunState) -> OutboxItem | None:
        """The next row allowed to go now; waits for deferred rows when nothing else is left."""
        while True:
            now = self._clock()
            while state.deferred and state.deferred[0][0] <= now:
                state.queue.append(heapq.heappop(state.deferred)[2])
            if state.queue:
                item = state.queue.popleft()
                ready = self._chat_ready.get(item.user_id, 0.0)
                if ready > now:
                    self._defer(state, item, ready)
                    continue
                return item
            if state.in_flight or not state.deferred:
                return None
            await self._sleep(max(0.0, state.deferred[0][0] - now))
            if self._requests.get(state.run.id) or self._stopping:
                return None

    async def _wait_for_slot(self, chat_id: int | None = None) -> None:
        """Wait for the global rate (and, for progress messages, the chat's own limit).

        A sliding window like Telegram's own: the call `rate` places back must be more than a
        second (plus a margin for network jitter) old. Calls are also spread out a little, so
        the window never fills in one burst. No catching up after a pause: a burst would only
        earn another 429.
        """
        spacing = self.limits.spread / self.limits.rate_per_second
        while True:
            ready = self._paused_until
            if self._recent:
                ready = max(ready, self._recent[-1] + spacing)
            if len(self._recent) == self._window_size:
                ready = max(ready, self._recent[0] + self._window_seconds + self.limits.margin)
            if chat_id is not None:
                ready = max(ready, self._chat_ready.get(chat_id, 0.0))
            if (wait := ready - self._clock()) <= 0:
                break
            await self._sleep(wait)
        self._recent.append(self._clock())
        if chat_id is not None:
            self._remember_chat(chat_id)

    async def _send(self, state: _RunState, item: OutboxItem) -> None:
        letter = self._letter(state, item)
        assert self._delivery is not None
        try:
            result = await self._delivery.deliver(letter)
        except Exception:  # never lose a row to an unexpected error: count it as failed
            logger.exception("Delivery of run %s crashed", item.run_id)
            result = DeliveryResult(Outcome.REJECTED)
        if result.outcome is Outcome.DELIVERED:
            await self._repo.mark_sent(item, result.message_id, self._now())
        elif result.outcome is Outcome.BLOCKED:
            await self._repo.mark_blocked(item)
        elif result.outcome is Outcome.RETRY_AFTER:
            state.throttled += 1
            self._paused_until = max(self._paused_until, self._clock() + result.retry_after)
            await self._repo.mark_pending(item, uncertain=False)
            state.queue.appendleft(item)
        elif result.outcome is Outcome.TRANSIENT and item.attempts + 1 < self.limits.max_attempts:
            await self._repo.mark_pending(item, uncertain=result.uncertain)
            retry = replace(
                item, attempts=item.attempts + 1, uncertain=item.uncertain or result.uncertain
            )
            delay = min(self.limits.backoff_cap, self.limits.backoff_base * 2**item.attempts)
            self._defer(state, retry, self._clock() + delay)
        else:
            await self._repo.mark_failed(item)

    def _letter(self, state: _RunState, item: OutboxItem) -> Letter:
        run, broadcast = state.run, state.broadcast
        if run.action == Action.EDIT:
            text = (run.text_kk if item.language == "kk" else run.text_ru) or ""
        else:
            text = broadcast.text(item.language)
        return Letter(
            action=Action(run.action),
            chat_id=item.user_id,
            language=item.language,
            text=text,
            media_kind=broadcast.media_kind,
            media_file_id=broadcast.media_file_id,
            message_id=item.message_id,
        )

    def _defer(self, state: _RunState, item: OutboxItem, at: float) -> None:
        heapq.heappush(state.deferred, (at, next(self._sequence), item))

    def _remember_chat(self, chat_id: int) -> None:
        # Bounded: only chats reached within the last interval matter.
        if len(self._chat_ready) > 100_000:
            now = self._clock()
            self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > now}
        self._chat_ready[chat_id] = self._clock() + self.limits.per_chat_interval

    async def _settle(self, state: _RunState) -> None:
        if state.in_flight:
            await asyncio.wait(state.in_flight)

    async def _refresh(self, run: RunRecord) -> RunRecord:
        fresh = await self._repo.get_run(run.id)
        assert fresh is not None
        return fresh

    async def _save_activity(self, state: _RunState) -> None:
        busy = self._clock() - state.started
        await self._repo.add_activity(state.run.id, busy, state.throttled)
        state.started = self._clock()
        state.throttled = 0
        state.run = await self._refresh(state.run)

    async def _progress(self, state: _RunState) -> Progress:
        counts = await self._repo.counts(state.run.id)
        busy = state.run.busy_seconds + (self._clock() - state.started)
        progress = Progress(
            run=state.run,
            broadcast=state.broadcast,
            counts=counts,
            busy_seconds=busy,
            throttled=state.run.throttled + state.throttled,
            eta_seconds=None,
        )
        speed = progress.rate if busy >= 2 and progress.rate > 0 else self.limits.rate_per_second
        return replace(progress, eta_seconds=counts.left / speed)

    async def _report(self, state: _RunState) -> None:
        state.run = await self._refresh(state.run)
        # A progress edit is an API call too: it takes a slot of the global rate.
        if self._reporter is None:
            return
        progress = await self._progress(state)
        await self._wait_for_slot(state.run.report_chat_id)
        try:
            message_id = await self._reporter.show(progress)
        except Exception:  # progress is a courtesy: never stop the sending for it
            logger.exception("Progress of run %s not shown", state.run.id)
            return
        if message_id is not None:
            await self._repo.set_progress_message(state.run.id, message_id)
            state.run = await self._refresh(state.run)

    async def _finish(self, state: _RunState, status: str) -> None:
        await self._save_activity(state)
        counts = await self._repo.counts(state.run.id)
        await self._repo.store_counts(state.run.id, counts)
        if state.run.action == Action.EDIT:
            await self._repo.apply_correction(state.run.id)
        await self._repo.set_status(state.run.id, status, finished_at=self._now())
        state.run = await self._refresh(state.run)
        progress = await self._progress(state)
        logger.info(
            "Broadcast run %s %s: %s delivered, %s blocked, %s failed, %s possible duplicates",
            state.run.id,
            status,
            counts.delivered,
            counts.blocked,
            counts.failed,
            counts.possible_duplicates,
        )
        if self._reporter is None:
            return
        await self._wait_for_slot(state.run.report_chat_id)
        try:
            await self._reporter.finished(progress)
        except Exception:
            logger.exception("Report of run %s not shown", state.run.id)
