"""The daily clean-up with a virtual clock: each kind of data goes when its period is over,
and not a day before; what is still to be sent is never deleted."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.app import App
from bot.config import Settings
from bot.db.broadcasts import BroadcastRepository
from bot.db.fsm_storage import SQLiteStorage
from bot.db.retention import RetentionRepository
from bot.jobs.daily_cleanup import CleanupReport, DailyCleanup, RetentionPeriods
from tests.support.broadcast import (
    VirtualClock,
    add_subscriber,
    enqueue,
    open_app,
    start_sender,
    stop_sender,
    wait_until_idle,
)
from tests.support.telegram import TelegramRules

DAY = 86_400
SUBSCRIBERS = (30_001, 30_002, 30_003)
DIALOG = StorageKey(bot_id=42, chat_id=30_001, user_id=30_001)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    clock = VirtualClock()
    application = await open_app(settings, TelegramRules(clock=clock.now), clock)
    yield application
    await stop_sender(application)
    await application.close()


@pytest.fixture
async def run_id(app: App) -> int:
    """A finished broadcast to three subscribers, a reminder sent and one still due, a dialog
    left half-way and an unanswered question, all as of today."""
    for user_id in SUBSCRIBERS:
        await add_subscriber(app, user_id, "ru")
    await start_sender(app)
    run = await enqueue(app)
    await wait_until_idle(app)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    # The sender is stopped first: the reminder still due must stay due.
    await stop_sender(app)
    for visit_id, status in ((1, "sent"), (2, "pending")):
        await app.db.execute(
            "INSERT INTO outbox (user_id, kind, payload, dedup_key, status, created_at, sent_at) "
            "VALUES (?, 'mobile_visit', '{}', ?, ?, ?, ?)",
            (30_002, f"mobile:30002:{visit_id}", status, now, now if status == "sent" else None),
        )
    storage: SQLiteStorage = app.dispatcher.storage  # type: ignore[assignment]
    await storage.set_state(DIALOG, "EligibilityForm:entering_age")
    await storage.set_data(DIALOG, {"age": 34})
    await app.dispatcher["question_log"].record_unanswered("как дела", "как дела", "ru")
    return run


def cleanup_on_day(app: App, day: int) -> DailyCleanup:
    start = time.time()
    return DailyCleanup(
        app.dispatcher["question_log"],
        app.dispatcher["ivf_queue"],
        RetentionRepository(app.db),
        app.dispatcher.storage,  # type: ignore[arg-type]
        RetentionPeriods(),  # the defaults the README states
        clock=lambda: start + day * DAY,
    )


async def _count(app: App, table: str) -> int:
    row = await app.db.fetch_one(f"SELECT COUNT(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


async def test_each_period_ends_on_its_day_and_not_before(app: App, run_id: int) -> None:
    storage: SQLiteStorage = app.dispatcher.storage  # type: ignore[assignment]
    nothing = CleanupReport(0, 0, 0, 0, 0, 0)
    assert await cleanup_on_day(app, 29).run_once() == nothing
    assert await storage.get_state(DIALOG) == "EligibilityForm:entering_age"

    day_31 = await cleanup_on_day(app, 31).run_once()
    assert day_31 == CleanupReport(
        questions=0,
        lookup_attempts=0,
        broadcast_rows=len(SUBSCRIBERS),
        notice_rows=1,
        dialog_states=1,
        broadcasts=0,
    )
    # The abandoned dialog is gone from the database and from the storage's cache.
    assert await storage.get_state(DIALOG) is None
    assert await storage.get_data(DIALOG) == {}
    # The audit keeps the run's counts after its outbox rows went.
    run = await BroadcastRepository(app.db).get_run(run_id)
    assert run is not None and run.delivered == len(SUBSCRIBERS)
    assert await _count(app, "unanswered_questions") == 1

    assert (await cleanup_on_day(app, 89).run_once()).questions == 0
    assert (await cleanup_on_day(app, 91).run_once()).questions == 1
    assert (await cleanup_on_day(app, 364).run_once()).broadcasts == 0
    assert (await cleanup_on_day(app, 366).run_once()).broadcasts == 1
    assert await _count(app, "broadcasts") == 0
    assert await _count(app, "broadcast_runs") == 0
    # The reminder still due is never deleted, however old.
    assert await _count(app, "outbox WHERE kind = 'mobile_visit'") == 1


async def test_a_broadcast_still_running_is_kept_past_its_year(app: App, run_id: int) -> None:
    await app.db.execute("UPDATE broadcast_runs SET status = 'paused' WHERE id = ?", (run_id,))
    assert (await cleanup_on_day(app, 400).run_once()).broadcasts == 0
    assert await _count(app, "broadcasts") == 1


def test_periods_come_from_the_settings(settings: Settings) -> None:
    assert RetentionPeriods.from_settings(settings) == RetentionPeriods(90, 30, 30, 365)
    changed = settings.model_copy(update={"outbox_retention_days": 7})
    assert RetentionPeriods.from_settings(changed).outbox_rows_days == 7
