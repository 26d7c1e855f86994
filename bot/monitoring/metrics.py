"""Prometheus metrics (the official prometheus-client), one registry per app.

Labels hold only kinds and outcomes: never a user id, a chat id or any text.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

from aiogram.types import TelegramObject, Update
from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

# Handler latency buckets: a command takes a few ms, a typed question tens of ms; a reply
# waiting out a 429 or a slow Bot API takes seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@dataclass
class UpdateContext:
    """What the logs and metrics know about the update being handled."""

    update_id: int
    decision: str | None = None


_current_update: ContextVar[UpdateContext | None] = ContextVar("current_update", default=None)


def current_update() -> UpdateContext | None:
    return _current_update.get()


def note_decision(kind: str) -> None:
    """Record what the understanding step decided («entry», «feature», «not_found»,
    «emergency», …) for the update being handled: counted once it is answered, and logged."""
    context = _current_update.get()
    if context is not None:
        context.decision = str(kind)


class Metrics:
    """Counters and histograms of one running bot."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = self._counter("bot_updates", "Updates handled, by kind", "kind")
        self.answers = self._counter(
            "bot_answers",
            "Typed questions answered, by the understanding step's decision",
            "decision",
        )
        self.errors = self._counter(
            "bot_errors", "Updates whose handling raised, by exception type", "error"
        )
        self.sends = self._counter(
            "bot_sends", "Outbox API calls by outcome: sent, 429, 403, failed", "outcome"
        )
        self.outbox_rows = Gauge(
            "bot_outbox_rows",
            "Outbox rows by outbox and state",
            ["outbox", "state"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "bot_handler_seconds",
            "Time to handle one update, by kind",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.last_update_at: float | None = None

    def _counter(self, name: str, documentation: str, label: str) -> Counter:
        """A counter of this bot's registry with one label (a kind or an outcome, never an id)."""
        return Counter(name, documentation, [label], registry=self.registry)

    def record_send(self, outcome: str) -> None:
        """One call of the sender: sent, 429, 403, 400, failed, retried or skipped."""
        self.sends.labels(outcome=outcome).inc()

    def set_outbox_rows(self, rows: Mapping[tuple[str, str], int]) -> None:
        """Replace the outbox gauge with fresh counts of (outbox, state) -> rows."""
        self.outbox_rows.clear()
        for (outbox, state), count in rows.items():
            self.outbox_rows.labels(outbox=outbox, state=state).set(count)

    def render(self) -> bytes:
        return generate_latest(self.registry)


@dataclass(frozen=True, slots=True)
class UpdateTiming:
    """One update being handled: its kind, when it started, what logs and metrics know of it."""

    kind: str
    started: float
    context: UpdateContext


class UpdateMetrics:
    """Counts updates by kind, times them, counts errors, and carries the update id and
    decision for the JSON logs; one of the jobs of bot.telegram.middlewares.UpdateMiddleware.
    No SQL, no personal data."""

    def __init__(self, metrics: Metrics, clock: Callable[[], float] = time.perf_counter) -> None:
        self._metrics = metrics
        self._clock = clock
        # prometheus-client checks label values at each labels() call: once per kind here.
        self._by_kind: dict[str, tuple[Histogram, Counter]] = {}

    def started(self, event: TelegramObject) -> UpdateTiming:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        update_id = event.update_id if isinstance(event, Update) else 0
        context = UpdateContext(update_id=update_id)
        # Not reset when the update is done: aiogram logs «Update id=… is handled» after the
        # middleware returns, and that line should carry the update id and decision too. Each
        # update has its own task in polling and webhook mode, so nothing leaks between them.
        _current_update.set(context)
        self._metrics.last_update_at = time.time()
        return UpdateTiming(kind, self._clock(), context)

    def failed(self, error: Exception) -> None:
        self._metrics.errors.labels(error=type(error).__name__).inc()

    def finished(self, timing: UpdateTiming) -> None:
        latency, updates = self._series(timing.kind)
        latency.observe(self._clock() - timing.started)
        updates.inc()
        if timing.context.decision is not None:
            self._metrics.answers.labels(decision=timing.context.decision).inc()

    def _series(self, kind: str) -> tuple[Histogram, Counter]:
        series = self._by_kind.get(kind)
        if series is None:
            metrics = self._metrics
            series = metrics.latency.labels(kind=kind), metrics.updates.labels(kind=kind)
            self._by_kind[kind] = series
        return series


OutboxRowsReader = Callable[[], Awaitable[Mapping[tuple[str, str], int]]]


def metrics_handler(
    metrics: Metrics, read_outbox_rows: OutboxRowsReader
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """GET /metrics: the outbox gauge is read from the database at scrape time."""

    async def serve_metrics(_request: web.Request) -> web.Response:
        metrics.set_outbox_rows(await read_outbox_rows())
        return web.Response(body=metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    return serve_metrics
