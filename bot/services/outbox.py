"""The one sender: drains the one outbox (`bot/db/outbox.py`) at Telegram's limits.

Broadcast runs (send, correction, retraction), IVF queue-change notices, mobile-clinic
reminders and visit notices all leave through here, so they share one rate window (30 a second
in total, 1 a second per chat) and a 429 pauses them all. Every row is claimed with a
compare-and-set (pending → sending) right before its call, so a second process over the same
database never sends a row twice; retries are bounded with backoff; 400 and 403 are final for
that row only; a 403 ends every subscription of the user in one transaction.

Nothing here knows aiogram: the sender talks to Telegram through a `Delivery` (see
`bot/telegram/delivery.py`, which renders a row in the recipient's language and classifies the
answer) and shows a run's progress through a `ProgressReporter`.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import os
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from bot.db.broadcasts import BroadcastRecord, BroadcastRepository, RunCounts, RunRecord
from bot.db.outbox import MessageKind, NewMessage, OutboxRepository, OutboxRow, SentRow

logger = logging.getLogger(__name__)


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
    # No answer at all (a timeout): the likeliest case of a message that arrived unseen.
    unanswered: bool = False


@dataclass(frozen=True, slots=True)
class Letter:
    """One API call: send, edit or delete one recipient's message. A broadcast's text is set
    by the sender; other kinds are rendered from `payload` by the delivery."""

    action: Action
    chat_id: int
    language: str
    text: str
    media_kind: str | None = None
    media_file_id: str | None = None
    message_id: int | None = None
    kind: str = MessageKind.BROADCAST
    payload: Mapping[str, Any] = field(default_factory=dict)
    # Set by the delivery, opaque here: the buttons, and the forum topic of a staff group.
    markup: object | None = None
    thread_id: int | None = None


class Delivery(Protocol):
    async def prepare(self, letter: Letter) -> Letter | None:
        """The letter with its text rendered; None when no longer worth sending."""

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
    # Seconds added to the 1-second window: requests reach Telegram with varying delays. A call
    # answered counts from its own delay beyond the fastest answer; one not answered (yet) from
    # the spread of the answer times (`margin` until enough are known). Kept at `margin_floor`
    # or more, the spread below `margin_cap`; widened after every 429.
    margin: float = 0.05
    margin_floor: float = 0.005
    margin_cap: float = 0.25
    # Rows claimed in one compare-and-set: a third of a second's worth, one commit for them.
    claim_batch: int = 10
    # Least gap between two calls, as a share of 1/rate: smooths bursts within the window.
    spread: float = 0.8
    # Seconds (sender clock) between looks for notices owed while a run is being sent.
    notice_poll_interval: float = 1.0
    # Real seconds between looks at the outbox while idle: another process (the CLI import)
    # may have queued messages.
    idle_poll_interval: float = 5.0


# Senders of this process that are running: rows another live sender holds are not recovered.
_LIVE_SENDERS: set[str] = set()


def sender_is_alive(owner: str) -> bool:
    """Whether the sender named `owner` ("pid:token") still runs. One host: SQLite's WAL needs
    every process over the database on one machine anyway."""
    pid_text, _, _token = owner.partition(":")
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return owner in _LIVE_SENDERS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(eq=False, slots=True)
class _Slot:
    """One call in the rate window: when it left, and how long its answer took."""

    left: float
    answered_after: float | None = None  # None: no answer that tells when it arrived (yet)


@dataclass
class _Run:
    run: RunRecord
    broadcast: BroadcastRecord
    started: float
    reporting: asyncio.Task[None] | None = None  # a progress edit waiting for its answer


@dataclass
class _Batch:
    """Rows on their way: a run's, and the notices taken in beside them."""

    delivery: Delivery
    run: _Run | None = None
    queue: deque[OutboxRow] = field(default_factory=deque)
    deferred: list[tuple[float, int, OutboxRow]] = field(default_factory=list)
    in_flight: set[asyncio.Task[None]] = field(default_factory=set)
    held: set[int] = field(default_factory=set)  # notice ids this batch has taken
    claimed: set[int] = field(default_factory=set)  # rows "sending" for this batch, not final
    outcomes: dict[int, Outcome] = field(default_factory=dict)  # final ones, by row id
    sent: list[SentRow] = field(default_factory=list)  # delivered, not recorded yet
    recording: asyncio.Task[None] | None = None
    last_notice_id: int = 0
    throttled: int = 0
    delivered: int = 0


class OutboxSender:
    """Drains the outbox: notices as they come, runs one after another, all in one window."""

    def __init__(
        self,
        repository: BroadcastRepository,
        outbox: OutboxRepository,
        limits: SendLimits,
        *,
        default_language: str = "kk",
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        now: Callable[[], datetime] = _utcnow,
        on_outcome: Callable[[str], object] | None = None,
    ) -> None:
        self._repo = repository
        self._outbox = outbox
        self._delivery: Delivery | None = None
        self._reporter: ProgressReporter | None = None
        self.limits = limits
        self._default_language = default_language
        self._clock = clock
        self._sleep = sleep
        self._now = now
        # Told the outcome of every call (sent, 429, 403, 400, failed, retried, skipped):
        # room for a metrics counter.
        self.on_outcome = on_outcome
        self.owner = f"{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._requests: dict[int, str] = {}
        # The latest calls: at most `window_size` of them may reach Telegram in
        # `window_seconds`. Twice as many are kept, as a slow call may arrive after later ones.
        self._window_size = max(1, int(limits.rate_per_second))
        self._window_seconds = self._window_size / limits.rate_per_second
        self._recent: deque[_Slot] = deque(maxlen=2 * self._window_size)
        self._spacing = limits.spread / limits.rate_per_second
        self._paused_until = 0.0
        self._chat_ready: dict[int, float] = {}
        self._sequence = itertools.count()
        self._current_run_id: int | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        # Answer times of the latest calls: their spread sizes the window's margin.
        self._answer_times: deque[float] = deque(maxlen=100)
        self._extra_margin = 0.0
        self.recovered = 0
        self.idle = asyncio.Event()

    # Lifecycle --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """The sending loop is alive (for /healthz)."""
        return self._task is not None and not self._task.done()

    def start(self, delivery: Delivery, reporter: ProgressReporter) -> None:
        """Start draining in the background (the bot's API session exists only by now)."""
        self._delivery = delivery
        self._reporter = reporter
        if self._task is None:
            self._stopping = False
            _LIVE_SENDERS.add(self.owner)
            self._task = asyncio.create_task(self.run_forever(), name="outbox-sender")

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
                logger.warning("Sender did not stop in %s s; aborting", timeout)
                await self.abort()
            self._task = None
        # Its runs and rows may be taken over now (nothing of it is "sending" any more).
        _LIVE_SENDERS.discard(self.owner)

    def wake(self) -> None:
        self.idle.clear()  # there is work: whoever waits for idle must wait for it
        self._wake.set()

    async def abort(self) -> None:
        """Stop at once with no clean-up, as `kill -9` would (for tests of the recovery)."""
        tasks = [task for task in (self._task, *self._in_flight) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
        _LIVE_SENDERS.discard(self.owner)

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
        state = _Run(run=run, broadcast=broadcast, started=self._clock())
        await self._finish(state, "cancelled")
        return True

    # Owed messages outside runs ----------------------------------------------------------
    async def flush(self, delivery: Delivery | None = None) -> int:
        """Send every notice and reminder owed now, retries included; returns how many were
        delivered. The background loop does the same; claims keep the two from doubling."""
        delivery = delivery or self._delivery
        if delivery is None:
            raise RuntimeError("flush needs a delivery (given by start)")
        # Its claims are its own while it lives; `abort` (a simulated kill -9) ends that.
        _LIVE_SENDERS.add(self.owner)
        batch = _Batch(delivery=delivery)
        await self._pump(batch)
        return batch.delivered

    async def send_now(
        self, messages: Sequence[NewMessage], delivery: Delivery
    ) -> list[Outcome | None]:
        """Queue `messages` and send them at once, in the one rate window with its retries and
        403 handling, for a reply that says whether they arrived; the outcome of each (None:
        no longer worth sending). The background loop never sees them: they are claimed."""
        _LIVE_SENDERS.add(self.owner)
        rows = await self._outbox.enqueue_claimed(messages, self.owner, self._now())
        batch = _Batch(delivery=delivery, queue=deque(rows), claimed={row.id for row in rows})
        while await self._step(batch):
            pass
        await self._settle(batch)
        return [batch.outcomes.get(row.id) for row in rows]

    async def _flush_owed(self) -> int:
        """`flush` with the started delivery; returns how many rows it took up."""
        assert self._delivery is not None
        batch = _Batch(delivery=self._delivery)
        await self._pump(batch)
        return len(batch.held)

    # The loop -----------------------------------------------------------------------------
    async def run_forever(self) -> None:
        self.recovered = await self._outbox.recover_interrupted(sender_is_alive)
        if self.recovered:
            logger.warning(
                "Restart: %s messages were being sent when the bot stopped; "
                "they are resent and counted as possible duplicates",
                self.recovered,
            )
        while not self._stopping:
            self._wake.clear()
            self.idle.clear()
            run = await self._repo.take_next_run(self.owner, sender_is_alive)
            if run is not None:
                # Notices owed go out beside the run, ahead of its rows, in the same window.
                self._current_run_id = run.id
                try:
                    await self._drain(run)
                except Exception:  # a bug must not stop every later broadcast
                    logger.exception("Broadcast run %s stopped by an error", run.id)
                    await self._repo.set_status(run.id, "paused")
                finally:
                    self._current_run_id = None
                continue
            taken = 0
            try:
                taken = await self._flush_owed()
            except Exception:  # a bug must not stop every later message
                logger.exception("Sending owed notices stopped by an error")
            if taken and not self._stopping:
                continue  # more may have come meanwhile
            self.idle.set()
            try:
                await asyncio.wait_for(self._wake.wait(), self.limits.idle_poll_interval)
            except TimeoutError:
                # Another process may have queued rows (or left some behind in a crash).
                await self._outbox.recover_interrupted(sender_is_alive)

    async def _drain(self, record: RunRecord) -> None:
        broadcast = await self._repo.get_broadcast(record.broadcast_id)
        assert broadcast is not None and self._delivery is not None
        if record.status == "queued":
            await self._repo.set_status(record.id, "running", started_at=self._now())
        run = _Run(run=await self._refresh(record), broadcast=broadcast, started=self._clock())
        batch = _Batch(
            delivery=self._delivery, run=run, queue=deque(await self._repo.pending(record.id))
        )
        await self._report(batch, run, beside=True)
        next_report = self._clock() + self.limits.progress_interval
        next_notices = self._clock()
        while True:
            request = self._requests.get(record.id)
            if request is not None or self._stopping:
                await self._reported(run)
                await self._release(batch)
                if request == "cancel":
                    await self._repo.cancel_pending(record.id)
                    await self._finish(run, "cancelled", batch)
                elif request == "pause":
                    await self._save_activity(run, batch)
                    await self._report(batch, run)
                else:
                    await self._save_activity(run, batch)
                self._requests.pop(record.id, None)
                return
            if self._clock() >= next_notices or self._wake.is_set():
                # Notices owed meanwhile go out beside the run, in the same window.
                self._wake.clear()
                await self._take_notices(batch, front=True)
                next_notices = self._clock() + self.limits.notice_poll_interval
            if not await self._step(batch):
                await self._finish(run, "done", batch)
                return
            if self._clock() >= next_report:
                await self._report(batch, run, beside=True)
                next_report = self._clock() + self.limits.progress_interval

    async def _pump(self, batch: _Batch) -> None:
        """Send notices until none is owed, waiting out backoffs and 429 pauses."""
        await self._take_notices(batch)
        while not self._stopping:
            if not await self._step(batch) and not await self._take_notices(batch):
                await self._recorded(batch)
                return
        await self._release(batch)

    async def _take_notices(self, batch: _Batch, front: bool = False) -> int:
        rows = [
            row
            for row in await self._outbox.pending_messages(after_id=batch.last_notice_id)
            if row.id not in batch.held
        ]
        if not rows:
            return 0
        batch.last_notice_id = rows[-1].id
        batch.held.update(row.id for row in rows)
        if front:
            batch.queue.extendleft(reversed(rows))
        else:
            batch.queue.extend(rows)
        return len(rows)

    async def _step(self, batch: _Batch) -> bool:
        """Start the next call allowed now; False when the batch has nothing left."""
        row = await self._next_row(batch)
        if row is None:
            if batch.in_flight:
                await asyncio.wait(batch.in_flight, return_when=asyncio.FIRST_COMPLETED)
                return True
            return bool(batch.deferred)
        while len(batch.in_flight) >= self.limits.max_in_flight:
            await asyncio.wait(batch.in_flight, return_when=asyncio.FIRST_COMPLETED)
        if row.id not in batch.claimed and not await self._claim(batch, row):
            return True  # another sender took it, or it is gone (/forget)
        # Rendered before the slot is taken: a notice's text may need a database read.
        try:
            letter = await batch.delivery.prepare(self._letter(batch, row))
        except Exception:  # a row that cannot be rendered must not stay "sending"
            logger.exception("Outbox row %s could not be rendered", row.id)
            await self._outbox.mark_final(row, "failed", self._now())
            self._settled(batch, row, Outcome.REJECTED, "failed")
            return True
        if letter is None:
            await self._outbox.mark_final(row, "skipped", self._now())
            batch.claimed.discard(row.id)
            self._tell("skipped")
            return True
        # The slot is taken right before the call, so the times we count are the times
        # the calls leave (a database write in between would blur the window).
        slot = await self._wait_for_slot()
        self._remember_chat(row.chat)
        task = asyncio.create_task(self._send(batch, row, letter, slot))
        batch.in_flight.add(task)
        task.add_done_callback(batch.in_flight.discard)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        await asyncio.sleep(0)  # let the call leave now, inside its slot
        return True

    async def _claim(self, batch: _Batch, row: OutboxRow) -> bool:
        """Claim `row` and the next few of the queue in one compare-and-set (one commit, not
        one a row); rows another sender took, or that are gone, leave the queue."""
        # The rows answered are recorded before any new row is taken, as when each row had a
        # commit of its own: a crash caught later calls in flight, never these unrecorded.
        await self._recorded(batch)
        ahead: list[OutboxRow] = []
        while batch.queue and len(ahead) < self.limits.claim_batch - 1:
            ahead.append(batch.queue.popleft())
        wanted = [row, *(other for other in ahead if other.id not in batch.claimed)]
        taken = await self._outbox.claim(wanted, self.owner)
        batch.claimed |= taken
        batch.queue.extendleft(reversed([other for other in ahead if other.id in batch.claimed]))
        return row.id in taken

    def _beside(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """`work` goes on beside the sending; `abort` ends it like the calls in flight."""
        task = asyncio.create_task(work)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return task

    def _record_soon(self, batch: _Batch) -> None:
        """Record the rows delivered so far, beside the sending (which need not wait for it).

        At once, as a crash before the commit resends them (counted as possible duplicates),
        but in one transaction for all answered while the last one was being written: one
        commit a row would cap the sender's pace (paid broadcasts go up to 1000 a second)."""
        if batch.sent and (batch.recording is None or batch.recording.done()):
            batch.recording = self._beside(self._record_in_background(batch))

    async def _record_in_background(self, batch: _Batch) -> None:
        try:
            await self._record(batch)
        except Exception:  # kept for the next attempt, which the sender awaits
            logger.exception("Outbox rows not recorded as sent yet")

    async def _record(self, batch: _Batch) -> None:
        while batch.sent:
            sent, batch.sent = batch.sent, []
            try:
                await self._outbox.mark_sent(sent)
            except BaseException:
                batch.sent[:0] = sent
                raise

    async def _recorded(self, batch: _Batch) -> None:
        """Every row delivered so far is recorded: before reading counts, or returning."""
        if batch.recording is not None:
            await asyncio.wait([batch.recording])
        await self._record(batch)

    async def _release(self, batch: _Batch) -> None:
        """Settle the calls in flight, then give back the rows claimed but never called."""
        await self._settle(batch)
        await self._outbox.release(sorted(batch.claimed), self.owner)
        batch.claimed.clear()

    def _settled(self, batch: _Batch, row: OutboxRow, outcome: Outcome, told: str) -> None:
        batch.claimed.discard(row.id)
        batch.outcomes[row.id] = outcome
        self._tell(told)

    @property
    def margin(self) -> float:
        """Seconds added to the window: the spread of the latest answer times, since requests
        reach Telegram with that much jitter; the configured margin until enough are known."""
        limits = self.limits
        if len(self._answer_times) < 10:
            measured = limits.margin
        else:
            measured = max(self._answer_times) - min(self._answer_times)
        return min(limits.margin_cap, max(limits.margin_floor, measured) + self._extra_margin)

    async def _next_row(self, batch: _Batch) -> OutboxRow | None:
        """The next row allowed to go now; waits for deferred rows when nothing else is left."""
        while True:
            now = self._clock()
            while batch.deferred and batch.deferred[0][0] <= now:
                batch.queue.append(heapq.heappop(batch.deferred)[2])
            if batch.queue:
                row = batch.queue.popleft()
                ready = self._chat_ready.get(row.chat, 0.0)
                if ready > now:
                    self._defer(batch, row, ready)
                    continue
                return row
            if batch.in_flight or not batch.deferred:
                return None
            await self._sleep(max(0.0, batch.deferred[0][0] - now))
            if (batch.run and self._requests.get(batch.run.run.id)) or self._stopping:
                return None

    async def _wait_for_slot(self, chat_id: int | None = None) -> _Slot:
        """Wait for the global rate (and, for progress messages, the chat's own limit).

        A sliding window like Telegram's own: the call `rate` places back must have reached
        Telegram more than a second ago. Calls are also spread out a little, so the window never
        fills in one burst. No catching up after a pause: a burst would only earn another 429.
        """
        while (wait := self._ready_at(chat_id) - self._clock()) > 0:
            await self._sleep(wait)
        slot = _Slot(self._clock())
        self._recent.append(slot)
        if chat_id is not None:
            self._remember_chat(chat_id)
        return slot

    def _ready_at(self, chat_id: int | None = None) -> float:
        ready = self._paused_until
        if self._recent:
            ready = max(ready, self._recent[-1].left + self._spacing)
        if len(self._recent) >= self._window_size:
            ready = max(ready, self._window_free_at())
        if chat_id is not None:
            ready = max(ready, self._chat_ready.get(chat_id, 0.0))
        return ready

    def _window_free_at(self) -> float:
        """When the window holds a free place: the call `rate` places back in the order the
        calls reached Telegram is then a second old.

        The moment a call reached Telegram at the latest is read on a clock that runs behind by
        the fastest trip there: the call left `lag` later than the fastest call would have, where
        `lag` is its own answer's delay beyond the fastest answer (a slow trip there makes a slow
        answer). Without an answer, the spread of the answer times stands in."""
        limits = self.limits
        unanswered = self.margin
        fastest = min(self._answer_times) if len(self._answer_times) >= 10 else None
        reached = sorted(
            (
                slot.left + unanswered
                if slot.answered_after is None or fastest is None
                else slot.left
                + max(limits.margin_floor, slot.answered_after - fastest)
                + self._extra_margin
                for slot in self._recent
            ),
            reverse=True,
        )
        return reached[self._window_size - 1] + self._window_seconds

    def _answered(self, slot: _Slot) -> None:
        """The call was carried out and answered now: its answer time places it in the window."""
        slot.answered_after = self._clock() - slot.left
        self._answer_times.append(slot.answered_after)

    def _refund(self, slot: _Slot, chat_id: int) -> None:
        """A call answered with a refusal (429, 403, 400, 5xx) sent no message: its slot, and
        its chat's second, are free again (Telegram counts messages, as the fake Bot API in
        tests/support/telegram.py does). A call with no answer or an unreadable one (it may
        have been carried out) keeps them."""
        with contextlib.suppress(ValueError):  # already out of the window
            self._recent.remove(slot)
        self._chat_ready.pop(chat_id, None)  # allowed when it left: nothing reached it since

    async def _send(self, batch: _Batch, row: OutboxRow, letter: Letter, slot: _Slot) -> None:
        try:
            result = await batch.delivery.deliver(letter)
        except Exception:  # never lose a row to an unexpected error: count it as failed
            logger.exception("Delivery of outbox row %s crashed", row.id)
            result = DeliveryResult(Outcome.REJECTED)
        now = self._now()
        if result.outcome is Outcome.DELIVERED:
            self._answered(slot)
            batch.sent.append(SentRow(row.id, result.message_id, now))
            self._record_soon(batch)
            batch.delivered += 1
            self._settled(batch, row, result.outcome, "sent")
        elif result.outcome is Outcome.BLOCKED:
            self._refund(slot, row.chat)
            await self._outbox.block_user(row)
            self._settled(batch, row, result.outcome, "403")
        elif result.outcome is Outcome.RETRY_AFTER:
            batch.throttled += 1
            self._refund(slot, row.chat)
            self._paused_until = max(self._paused_until, self._clock() + result.retry_after)
            # The margin was too small for this network: widen it for good.
            self._extra_margin = min(self.limits.margin_cap, self._extra_margin + 0.02)
            batch.queue.appendleft(row)  # still claimed: tried again first, not counted
            self._tell("429")
        elif result.outcome is Outcome.TRANSIENT:
            if not result.uncertain:
                self._refund(slot, row.chat)
            await self._after_transient(batch, row, result, now)
        else:
            self._refund(slot, row.chat)
            await self._outbox.mark_final(row, "failed", now)
            self._settled(batch, row, result.outcome, "400")

    async def _after_transient(
        self, batch: _Batch, row: OutboxRow, result: DeliveryResult, now: datetime
    ) -> None:
        if row.run_id is None and result.unanswered:
            # Telegram has no idempotency key: a notice or reminder that got no answer may
            # have arrived, and two copies of it are what citizens complained about. A run's
            # rows are retried instead and counted as possible duplicates for staff.
            await self._outbox.mark_final(row, "unsure", now, uncertain=True)
            self._settled(batch, row, Outcome.TRANSIENT, "failed")
        elif row.attempts + 1 < self.limits.max_attempts:
            # Still claimed while it waits: no other sender may take it meanwhile.
            await self._outbox.mark_retry(row, uncertain=result.uncertain)
            retry = replace(
                row, attempts=row.attempts + 1, uncertain=row.uncertain or result.uncertain
            )
            delay = min(self.limits.backoff_cap, self.limits.backoff_base * 2**row.attempts)
            self._defer(batch, retry, self._clock() + delay)
            self._tell("retried")
        else:
            await self._outbox.mark_final(row, "failed", now, uncertain=result.uncertain)
            self._settled(batch, row, Outcome.TRANSIENT, "failed")

    def _tell(self, outcome: str) -> None:
        if self.on_outcome is not None:
            try:
                self.on_outcome(outcome)
            except Exception:  # an observer must never stop the sending
                logger.exception("Outcome observer failed")

    def _letter(self, batch: _Batch, row: OutboxRow) -> Letter:
        language = row.language or self._default_language
        if row.run_id is None:
            return Letter(
                action=Action.SEND,
                chat_id=row.chat,
                language=language,
                text="",
                kind=row.kind,
                payload=row.payload,
            )
        assert batch.run is not None
        run, broadcast = batch.run.run, batch.run.broadcast
        if run.action == Action.EDIT:
            text = (run.text_kk if language == "kk" else run.text_ru) or ""
        else:
            text = broadcast.text(language)
        return Letter(
            action=Action(run.action),
            chat_id=row.user_id,
            language=language,
            text=text,
            media_kind=broadcast.media_kind,
            media_file_id=broadcast.media_file_id,
            message_id=row.message_id,
        )

    def _defer(self, batch: _Batch, row: OutboxRow, at: float) -> None:
        heapq.heappush(batch.deferred, (at, next(self._sequence), row))

    def _remember_chat(self, chat_id: int) -> None:
        # Bounded: only chats reached within the last interval matter.
        if len(self._chat_ready) > 100_000:
            now = self._clock()
            self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > now}
        self._chat_ready[chat_id] = self._clock() + self.limits.per_chat_interval

    async def _settle(self, batch: _Batch) -> None:
        if batch.in_flight:
            await asyncio.wait(batch.in_flight)
        await self._recorded(batch)

    async def _refresh(self, run: RunRecord) -> RunRecord:
        fresh = await self._repo.get_run(run.id)
        assert fresh is not None
        return fresh

    async def _save_activity(self, run: _Run, batch: _Batch | None = None) -> None:
        busy = self._clock() - run.started
        throttled = batch.throttled if batch else 0
        await self._repo.add_activity(run.run.id, busy, throttled)
        run.started = self._clock()
        if batch:
            batch.throttled = 0
        run.run = await self._refresh(run.run)

    async def _progress(self, run: _Run, batch: _Batch | None = None) -> Progress:
        counts = await self._repo.counts(run.run.id)
        busy = run.run.busy_seconds + (self._clock() - run.started)
        progress = Progress(
            run=run.run,
            broadcast=run.broadcast,
            counts=counts,
            busy_seconds=busy,
            throttled=run.run.throttled + (batch.throttled if batch else 0),
            eta_seconds=None,
        )
        speed = progress.rate if busy >= 2 and progress.rate > 0 else self.limits.rate_per_second
        return replace(progress, eta_seconds=counts.left / speed)

    async def _report(self, batch: _Batch, run: _Run, *, beside: bool = False) -> None:
        """Show the run's progress; `beside`: the next calls need not wait for the answer."""
        await self._reported(run)
        await self._recorded(batch)
        run.run = await self._refresh(run.run)
        if self._reporter is None:
            return
        progress = await self._progress(run, batch)
        # A progress edit is an API call too: it takes a slot of the global rate.
        slot = await self._wait_for_slot(run.run.report_chat_id)
        if beside:
            run.reporting = self._beside(self._show(run, progress, slot))
        else:
            await self._show(run, progress, slot)

    async def _show(self, run: _Run, progress: Progress, slot: _Slot) -> None:
        assert self._reporter is not None
        try:
            message_id = await self._reporter.show(progress)
        except Exception:  # progress is a courtesy: never stop the sending for it
            logger.exception("Progress of run %s not shown", run.run.id)
            return
        # Its answer places it in the window (not among the answer times: a database read of
        # the reporter's is in it too, which only makes it count as later).
        slot.answered_after = self._clock() - slot.left
        # The staff chat's next call waits a second from this answer: the edit may have been
        # retried after a 429 (bot/telegram/retry.py), later than its slot.
        self._remember_chat(run.run.report_chat_id)
        if message_id is not None:
            await self._repo.set_progress_message(run.run.id, message_id)
            run.run = await self._refresh(run.run)

    @staticmethod
    async def _reported(run: _Run) -> None:
        """The progress edit under way, if any, is answered (the next one edits its message)."""
        if run.reporting is not None:
            await asyncio.wait([run.reporting])

    async def _finish(self, run: _Run, status: str, batch: _Batch | None = None) -> None:
        await self._reported(run)
        if batch is not None:
            await self._recorded(batch)
        await self._save_activity(run, batch)
        counts = await self._repo.counts(run.run.id)
        await self._repo.store_counts(run.run.id, counts)
        if run.run.action == Action.EDIT:
            await self._repo.apply_correction(run.run.id)
        await self._repo.set_status(run.run.id, status, finished_at=self._now())
        run.run = await self._refresh(run.run)
        progress = await self._progress(run)
        logger.info(
            "Broadcast run %s %s: %s delivered, %s blocked, %s failed, %s possible duplicates",
            run.run.id,
            status,
            counts.delivered,
            counts.blocked,
            counts.failed,
            counts.possible_duplicates,
        )
        if self._reporter is None:
            return
        await self._wait_for_slot(run.run.report_chat_id)
        try:
            await self._reporter.finished(progress)
        except Exception:
            logger.exception("Report of run %s not shown", run.run.id)
