"""The one outbox and its one sender: each case of issue 14's "three outboxes, three senders".

Everything the bot sends unasked (broadcasts, queue-change notices, mobile-clinic reminders
and visit notices, the messages of «Ask a person») goes through one table and one sender,
against a fake Bot API that keeps Telegram's limits (30 messages a second in total, 1 a second
per chat, 429 otherwise).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_app
from bot.config import Settings
from bot.console.user import LocalUser
from bot.db.ivf_queue import IvfQueueRepository, QueueEntry
from bot.services.iin import parse_iin
from bot.services.mobile_clinics import MobileClinics
from bot.services.mobile_schedule import KZ_TZ
from bot.services.phone import normalize_phone
from bot.services.subscriptions import Topic
from bot.telegram.ticket_messenger import Sent
from tests.conftest import STAFF_ID
from tests.support.broadcast import (
    TEXTS,
    VirtualClock,
    add_subscriber,
    enqueue,
    open_app,
    session_of,
    wait_until_idle,
)
from tests.support.catalog import tr, trn
from tests.support.factories import queue_csv
from tests.support.queue_steps import CHANGED, IINS, KYZYLORDA, LOADED, rows
from tests.support.staff import start_staff
from tests.support.telegram import TelegramRules

DATA = Path(__file__).resolve().parents[2] / "data"
SUBSCRIBERS = range(20_000, 20_010)
HEADER = "region;settlement;vehicle;operator;date_from;date_to;hours;services;source\n"
SHIELI_VISIT = "kyzylorda;Шиели;ПМК;ЦРБ;15.06.2030;;10:00-17:00;consultations;test\n"
TOMORROW = "🔔 Tomorrow the {vehicle} comes to {place}."


class FakeClock:
    def __init__(self, local: str) -> None:
        self.now = datetime.fromisoformat(local).replace(tzinfo=KZ_TZ)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def rules(clock: VirtualClock) -> TelegramRules:
    return TelegramRules(clock=clock.now)


@pytest.fixture
async def app(settings: Settings, rules: TelegramRules, clock: VirtualClock) -> AsyncIterator[App]:
    application = await open_app(settings, rules, clock)
    yield application
    await application.dispatcher.emit_shutdown(
        bot=application.bot, **application.dispatcher.workflow_data
    )
    await application.close()


async def start(app: App) -> None:
    await app.dispatcher.emit_startup(bot=app.bot, **app.dispatcher.workflow_data)


def sends_to(rules: TelegramRules, chat_id: int) -> list[str]:
    return [text for method, text in rules.received[chat_id] if method == "sendMessage"]


async def queue_subscribers(app: App, user_ids: range, locale: str = "ru") -> None:
    """Each user looked up their record (IINS[0]'s hash stands in) and asked for changes."""
    repository: IvfQueueRepository = app.dispatcher["ivf_queue"]
    hasher = app.dispatcher["pii_hasher"]
    for offset, user_id in enumerate(user_ids):
        await app.dispatcher["users"].set_language(user_id, locale)
        entry = QueueEntry("kyzylorda", 1 + offset % 3, "waiting", datetime.now(UTC).date())
        iin = IINS[offset % 3]
        phone = ["77011234567", "77021112233", "77051234567"][offset % 3]
        await repository.save_links(
            user_id, hasher.iin(parse_iin(iin)), hasher.phone(normalize_phone(phone)), [entry]
        )
        await repository.set_notify(user_id, True)


async def owe_queue_notices(app: App, user_ids: range) -> None:
    await app.dispatcher["queue_importer"].import_csv(
        queue_csv(rows((1, 2, 3))), app.dispatcher["regions"]
    )
    await queue_subscribers(app, user_ids)
    report = await app.dispatcher["queue_importer"].import_csv(
        queue_csv(rows((3, 1, 2))), app.dispatcher["regions"]
    )
    assert report.notifications == len(user_ids)


async def mobile_subscribers(app: App, user_ids: range) -> FakeClock:
    service: MobileClinics = app.dispatcher["mobile_clinics"]
    fake = FakeClock("2030-06-14T10:00")
    service.clock = fake
    staff_file = HEADER + SHIELI_VISIT
    assert (await service.import_schedule(staff_file.encode(), "test")).ok
    settlement = service.settlements.get("shieli")
    assert settlement is not None
    for user_id in user_ids:
        await app.dispatcher["users"].set_language(user_id, "ru")
        await service.subscribe(user_id, settlement)
    return fake


# Queue-change notices ------------------------------------------------------------------------
async def staff_with_a_loaded_queue(app: App) -> LocalUser:
    """The administrator, in Russian, after loading a queue; SUBSCRIBERS follow it."""
    staff = await start_staff(lambda **user: LocalUser(app.dispatcher, app.bot, **user))
    await staff.send_document("queue.csv", queue_csv(rows((1, 2, 3))))
    await queue_subscribers(app, SUBSCRIBERS)
    return staff


async def test_two_staff_uploads_at_once_send_each_queue_notice_once(
    app: App, rules: TelegramRules
) -> None:
    staff = await staff_with_a_loaded_queue(app)
    session = session_of(app)
    answer = session.make_request

    async def answer_after_a_moment(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.001)  # as over the network: the two uploads interleave
        return await answer(*args, **kwargs)

    session.make_request = answer_after_a_moment  # type: ignore[method-assign]
    await start(app)
    await asyncio.gather(
        staff.send_document("queue.csv", queue_csv(rows((3, 1, 2)))),
        staff.send_document("queue.csv", queue_csv(rows((2, 3, 1)))),
    )
    await wait_until_idle(app)
    # Each import changed every subscriber's place once: two notices each, none twice.
    for user_id in SUBSCRIBERS:
        texts = sends_to(rules, user_id)
        assert len(texts) == 2, user_id
        assert len(set(texts)) == 2 and all(t.startswith(tr(CHANGED, "ru")) for t in texts)


async def test_staff_upload_is_answered_before_any_notice_goes_out(
    app: App, rules: TelegramRules
) -> None:
    staff = await staff_with_a_loaded_queue(app)
    replies = await staff.send_document("queue.csv", queue_csv(rows((3, 1, 2))))
    loaded = trn(LOADED, "ru", 3, count="3", regions=KYZYLORDA["ru"])
    assert replies[0].text.startswith(loaded)
    # The handler only queued them: none has gone out yet, all are owed.
    assert all(sends_to(rules, user_id) == [] for user_id in SUBSCRIBERS)
    assert len(await app.dispatcher["ivf_queue"].pending_notices()) == len(SUBSCRIBERS)


async def test_a_notice_refused_with_chat_not_found_does_not_block_later_notices(
    app: App, rules: TelegramRules
) -> None:
    await owe_queue_notices(app, SUBSCRIBERS)
    session_of(app).fail_next("bad_request", message="chat not found", method="SendMessage")
    await start(app)
    await wait_until_idle(app)
    reached = [user_id for user_id in SUBSCRIBERS if sends_to(rules, user_id)]
    assert len(reached) == len(SUBSCRIBERS) - 1
    assert await app.dispatcher["ivf_queue"].pending_notices() == []


async def test_a_broadcast_beside_queue_notices_keeps_one_rate_window(
    app: App, rules: TelegramRules, clock: VirtualClock
) -> None:
    broadcast_users = range(30_000, 30_090)
    for user_id in broadcast_users:
        await add_subscriber(app, user_id, "kk" if user_id % 2 else "ru")
    await owe_queue_notices(app, range(20_000, 20_060))
    await start(app)
    await enqueue(app)
    await wait_until_idle(app)
    assert all(len(sends_to(rules, user_id)) == 1 for user_id in broadcast_users)
    assert all(len(sends_to(rules, user_id)) == 1 for user_id in range(20_000, 20_060))
    # Both kinds share one window: Telegram never had to say 429.
    assert rules.answers["429"] == 0


async def test_a_429_pauses_every_kind_of_message(
    app: App, rules: TelegramRules, clock: VirtualClock
) -> None:
    await owe_queue_notices(app, SUBSCRIBERS)
    session_of(app).fail_next("retry_after", retry_after=7, method="SendMessage")
    before = clock.now()
    await start(app)
    await wait_until_idle(app)
    assert all(len(sends_to(rules, user_id)) == 1 for user_id in SUBSCRIBERS)
    assert clock.now() - before >= 7


# Reminders -----------------------------------------------------------------------------------
async def remind_now(app: App) -> int:
    """The reminders due at the mobile clinics' time, sent; how many."""
    clinics = app.dispatcher["mobile_clinics"]
    return await app.dispatcher["mobile_reminders"].run_due_reminders(clinics.clock(), app.bot)


def fail_some_calls(rules: TelegramRules, kind: str, *, rate: float) -> None:
    rules.failure_rate = rate
    rules.failure_kinds = (kind,)


async def test_a_failing_reminder_chat_does_not_hold_up_the_others_nor_does_an_html_page(
    app: App, rules: TelegramRules
) -> None:
    await mobile_subscribers(app, SUBSCRIBERS)
    session = session_of(app)
    session.fail_next("server_error", times=10, method="SendMessage")  # one chat keeps failing
    await start(app)
    await remind_now(app)
    await wait_until_idle(app)
    reached = [user_id for user_id in SUBSCRIBERS if sends_to(rules, user_id)]
    assert len(reached) >= len(SUBSCRIBERS) - 1
    vehicle = tr("Mobile medical complex", "ru").lower()
    for user_id in reached:
        [text] = sends_to(rules, user_id)
        assert text.startswith(tr(TOMORROW, "ru", vehicle=vehicle, place="Шиели"))


async def test_an_html_error_page_is_retried_and_the_batch_goes_on(
    app: App, rules: TelegramRules
) -> None:
    await mobile_subscribers(app, SUBSCRIBERS)
    fail_some_calls(rules, "html", rate=0.3)
    sent = await remind_now(app)
    assert sent == len(SUBSCRIBERS)
    assert all(len(sends_to(rules, user_id)) == 1 for user_id in SUBSCRIBERS)


async def test_a_reminder_whose_answer_was_lost_is_not_sent_twice(
    app: App, rules: TelegramRules
) -> None:
    await mobile_subscribers(app, SUBSCRIBERS)
    fail_some_calls(rules, "lost", rate=0.5)
    reminders = app.dispatcher["mobile_reminders"]
    now = app.dispatcher["mobile_clinics"].clock()
    await reminders.run_due_reminders(now, app.bot)
    await reminders.run_due_reminders(now, app.bot)
    assert rules.answers["lost"] > 0
    assert all(len(sends_to(rules, user_id)) == 1 for user_id in SUBSCRIBERS)


async def test_two_processes_over_one_database_send_owed_reminders_once(
    app: App, rules: TelegramRules, clock: VirtualClock
) -> None:
    fake = await mobile_subscribers(app, SUBSCRIBERS)
    second = await open_app(app.settings, rules, clock)
    second.dispatcher["mobile_clinics"].clock = fake
    try:
        await asyncio.gather(
            app.dispatcher["mobile_reminders"].run_due_reminders(fake(), app.bot),
            second.dispatcher["mobile_reminders"].run_due_reminders(fake(), second.bot),
        )
    finally:
        await second.close()
    assert all(len(sends_to(rules, user_id)) == 1 for user_id in SUBSCRIBERS)


# 403 -----------------------------------------------------------------------------------------
async def test_a_user_who_blocks_the_bot_is_unsubscribed_from_every_channel_at_once(
    app: App, rules: TelegramRules
) -> None:
    user_id = SUBSCRIBERS[0]
    await mobile_subscribers(app, range(user_id, user_id + 1))
    await queue_subscribers(app, range(user_id, user_id + 1))
    await add_subscriber(app, user_id, "ru", topics=(Topic.IVF, Topic.MOBILE_CLINICS))
    rules.blocked.add(user_id)
    await remind_now(app)
    for sql in (
        "SELECT COUNT(*) FROM subscriptions WHERE user_id = ?",
        "SELECT COUNT(*) FROM mobile_subscriptions WHERE user_id = ?",
        "SELECT COUNT(*) FROM ivf_queue_links WHERE user_id = ? AND notify = 1",
        "SELECT COUNT(*) FROM outbox WHERE user_id = ? AND status = 'pending'",
    ):
        row = await app.db.fetch_one(sql, (user_id,))
        assert row is not None and row[0] == 0, sql


# Broadcasts still work ----------------------------------------------------------------------
async def test_broadcast_rows_are_rendered_in_the_language_the_user_has_when_sent(
    app: App, rules: TelegramRules
) -> None:
    await add_subscriber(app, 40_001, "kk")
    await enqueue(app)
    await app.dispatcher["users"].set_language(40_001, "ru")
    await start(app)
    await wait_until_idle(app)
    assert sends_to(rules, 40_001) == [TEXTS["ru"]]


async def test_a_second_sender_over_the_same_database_sends_nothing_twice(
    app: App, rules: TelegramRules, clock: VirtualClock
) -> None:
    for user_id in range(50_000, 50_060):
        await add_subscriber(app, user_id, "ru")
    await owe_queue_notices(app, SUBSCRIBERS)
    second = await build_app(app.settings, session=session_of(app), sleep=clock.sleep)
    second.dispatcher["mobile_clinics"].clock = app.dispatcher["mobile_clinics"].clock
    await enqueue(app)
    try:
        await start(app)
        await second.dispatcher.emit_startup(bot=second.bot, **second.dispatcher.workflow_data)
        await wait_until_idle(app)
        await wait_until_idle(second)
    finally:
        await second.dispatcher.emit_shutdown(bot=second.bot, **second.dispatcher.workflow_data)
        await second.db.close()
    # One progress message and one report: only one sender worked on the run.
    assert len(sends_to(rules, STAFF_ID)) == 2
    assert all(len(sends_to(rules, u)) == 1 for u in [*range(50_000, 50_060), *SUBSCRIBERS])


@pytest.mark.parametrize("outcome", ["sent", "403", "400", "429", "retried"])
async def test_every_outcome_is_reported_to_the_observer(
    app: App, rules: TelegramRules, outcome: str
) -> None:
    seen: list[str] = []
    app.dispatcher["outbox"].on_outcome = seen.append
    await owe_queue_notices(app, SUBSCRIBERS)
    session = session_of(app)
    failure = {"403": "forbidden", "400": "bad_request", "429": "retry_after"}.get(outcome)
    if failure:
        session.fail_next(failure, message="message text is empty", method="SendMessage")
    if outcome == "retried":
        session.fail_next("server_error", method="SendMessage")
    await start(app)
    await wait_until_idle(app)
    assert outcome in seen


# «Ask a person» --------------------------------------------------------------------------------
async def test_a_staff_answer_is_an_outbox_row_and_waits_out_a_429_of_the_whole_bot(
    app: App, rules: TelegramRules, clock: VirtualClock
) -> None:
    citizen = SUBSCRIBERS[0]
    await app.dispatcher["users"].set_language(citizen, "ru")
    submission = await app.dispatcher["tickets"].submit(citizen, "ru", "abai", "Где очередь?")
    session_of(app).fail_next("retry_after", retry_after=5, method="SendMessage")
    before = clock.now()
    sent = await app.dispatcher["messenger"].answer_citizen(
        app.bot, submission.ticket, "В поликлинике."
    )
    assert sent is Sent.DELIVERED
    assert clock.now() - before >= 5
    [text] = sends_to(rules, citizen)
    assert text.endswith("В поликлинике.")
    row = await app.db.fetch_one("SELECT kind, status FROM outbox WHERE chat_id = ?", (citizen,))
    assert row is not None and tuple(row) == ("ticket", "sent")


async def test_a_citizen_who_blocked_the_bot_is_unsubscribed_and_the_ticket_closed(
    app: App, rules: TelegramRules
) -> None:
    citizen = SUBSCRIBERS[0]
    await add_subscriber(app, citizen, "kk")
    submission = await app.dispatcher["tickets"].submit(citizen, "kk", "abai", "Кезек қайда?")
    rules.blocked = {citizen}
    sent = await app.dispatcher["messenger"].answer_citizen(app.bot, submission.ticket, "Жауап")
    assert sent is Sent.BLOCKED
    ticket = await app.dispatcher["tickets"].get(submission.ticket.id)
    assert ticket is not None and ticket.is_closed
    left = await app.db.fetch_one(
        "SELECT COUNT(*) FROM subscriptions WHERE user_id = ?", [citizen]
    )
    assert left is not None and left[0] == 0
