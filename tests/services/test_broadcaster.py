"""The sender through the real aiogram stack, against a fake Bot API with Telegram's limits."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram.methods import DeleteMessage

from bot.app import App
from bot.config import Settings
from bot.db.subscriptions import SubscriptionRepository
from bot.services.broadcasting import Action, Audience, BroadcastService, QueuedRun
from bot.services.subscriptions import Topic
from tests.support.broadcast import (
    TEXTS,
    add_subscriber,
    counts,
    enqueue,
    eventually,
    open_app,
    session_of,
    start_sender,
    stop_sender,
    wait_until_idle,
)
from tests.support.clock import VirtualClock
from tests.support.staff import STAFF_ID
from tests.support.telegram import TelegramRules

USERS = range(10_000, 10_090)


def language_of(user_id: int) -> str:
    return "kk" if user_id % 2 else "ru"


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def rules(clock: VirtualClock) -> TelegramRules:
    return TelegramRules(clock=clock.now, blocked={10_003, 10_010})


@pytest.fixture
async def app(settings: Settings, rules: TelegramRules, clock: VirtualClock) -> AsyncIterator[App]:
    application = await open_app(settings, rules, clock)
    for user_id in USERS:
        await add_subscriber(application, user_id, language_of(user_id))
    yield application
    await stop_sender(application)
    await application.close()


def sent_texts(rules: TelegramRules, user_id: int) -> list[str]:
    return [text for method, text in rules.received[user_id] if method == "sendMessage"]


async def test_every_reachable_subscriber_gets_one_message_in_their_language(
    app: App, rules: TelegramRules
) -> None:
    rules.failure_rate = 0.1  # timeouts, 5xx and HTML error pages, all retried
    await start_sender(app)
    run_id = await enqueue(app)
    await wait_until_idle(app)
    for user_id in USERS:
        expected = [] if user_id in rules.blocked else [TEXTS[language_of(user_id)]]
        assert sent_texts(rules, user_id) == expected
    result = await counts(app, run_id)
    assert (result.delivered, result.blocked, result.failed) == (88, 2, 0)
    # The sender keeps to the limits by itself: Telegram never had to say 429.
    assert rules.answers["429"] == 0


async def test_blocked_subscribers_are_unsubscribed_and_not_retried(
    app: App, rules: TelegramRules
) -> None:
    await start_sender(app)
    await enqueue(app)
    await wait_until_idle(app)
    subscriptions = SubscriptionRepository(app.db)
    assert await subscriptions.topics(10_003) == set()
    assert await subscriptions.topics(10_004) == {"ivf"}
    assert rules.answers["403"] == 2


async def test_sender_honours_retry_after_for_the_whole_bot(
    app: App, rules: TelegramRules, clock: VirtualClock
) -> None:
    rules.rate_per_second = 10  # a stricter Telegram than the settings assume
    started = clock.now()
    await start_sender(app)
    run_id = await enqueue(app)
    await wait_until_idle(app)
    for user_id in USERS:
        if user_id not in rules.blocked:
            assert len(sent_texts(rules, user_id)) == 1
    assert 0 < rules.answers["429"] < 40
    run = await app.dispatcher["broadcasts"].repository.get_run(run_id)
    # Every 429 a subscriber's message met is in the run's figures. The progress message's
    # own calls run beside the sending and are retried by bot/telegram/retry.py.
    assert run.throttled == sum(rules.throttled_chats[user_id] for user_id in USERS)
    assert rules.answers["429"] - run.throttled <= 1
    assert clock.now() - started >= 8  # 90 requests at 10/s


async def test_sender_paces_at_the_configured_rate(
    app: App, rules: TelegramRules, clock: VirtualClock
) -> None:
    started = clock.now()
    await start_sender(app)
    await enqueue(app)
    await wait_until_idle(app)
    elapsed = clock.now() - started
    # 88 messages and the progress message at 30/s, never a 429: the third window opens after
    # two seconds and fills in 0.8 (the 2 calls refused with 403 give their slots back).
    assert rules.answers["429"] == 0
    assert 2.7 <= elapsed <= 3.6


async def test_broadcast_resumes_after_restart_without_duplicates(
    settings: Settings, app: App, rules: TelegramRules, clock: VirtualClock
) -> None:
    await start_sender(app)
    run_id = await enqueue(app)
    await eventually(lambda: len(rules.received) >= 40)
    await stop_sender(app)
    await app.close()
    assert len(rules.received) < len(USERS)

    restarted = await open_app(settings, rules, clock)
    try:
        await start_sender(restarted)
        await wait_until_idle(restarted)
        for user_id in USERS:
            if user_id not in rules.blocked:
                assert sent_texts(rules, user_id) == [TEXTS[language_of(user_id)]]
        result = await counts(restarted, run_id)
        assert (result.delivered, result.possible_duplicates) == (88, 0)
    finally:
        await stop_sender(restarted)
        await restarted.close()


async def test_killed_sender_resends_only_calls_in_flight_and_reports_them(
    settings: Settings, app: App, rules: TelegramRules, clock: VirtualClock
) -> None:
    # The process dies while calls are in flight; they reached the users, answers were lost.
    session_of(app).freeze_after(30, delivered=True)
    broadcaster = await start_sender(app)
    run_id = await enqueue(app)
    await eventually(lambda: session_of(app).frozen >= 3)
    await broadcaster.abort()  # like kill -9: no clean-up runs
    reached = session_of(app).frozen
    await app.db.close()

    restarted = await open_app(settings, rules, clock)
    try:
        sender = await start_sender(restarted)
        await wait_until_idle(restarted)
        duplicated = [u for u in USERS if len(sent_texts(rules, u)) > 1]
        skipped = [u for u in USERS if not sent_texts(rules, u) and u not in rules.blocked]
        assert skipped == []
        # Only calls caught in flight may duplicate, and every one of them is reported.
        result = await counts(restarted, run_id)
        assert len(duplicated) == reached <= sender.recovered == result.possible_duplicates
        assert sender.recovered <= app.dispatcher["outbox"].limits.max_in_flight
        assert result.delivered == 88
    finally:
        await stop_sender(restarted)
        await restarted.close()


async def test_lost_answers_are_counted_as_possible_duplicates(
    app: App, rules: TelegramRules
) -> None:
    rules.failure_rate = 0.2
    rules.failure_kinds = ("lost",)
    await start_sender(app)
    run_id = await enqueue(app)
    await wait_until_idle(app)
    duplicated = sum(1 for u in USERS if len(sent_texts(rules, u)) > 1)
    result = await counts(app, run_id)
    assert duplicated > 0
    assert result.possible_duplicates >= duplicated
    assert all(sent_texts(rules, u) for u in USERS if u not in rules.blocked)


async def test_broadcasts_queue_one_after_another(app: App, rules: TelegramRules) -> None:
    await start_sender(app)
    first = await enqueue(app, kk="Бірінші", ru="Первое")
    second = await enqueue(app, kk="Екінші", ru="Второе")
    await wait_until_idle(app)
    assert sent_texts(rules, 10_000) == ["Первое", "Второе"]
    assert sent_texts(rules, 10_001) == ["Бірінші", "Екінші"]
    assert (await counts(app, first)).delivered == (await counts(app, second)).delivered == 88
    assert rules.answers["429"] == 0


async def test_audience_filters_by_topic_region_and_language(app: App) -> None:
    await add_subscriber(app, 20_001, "kk", (Topic.MOBILE_CLINICS,), region="abai")
    await add_subscriber(app, 20_002, "ru", (Topic.MOBILE_CLINICS,), region="abai")
    await add_subscriber(app, 20_003, "kk", (Topic.MOBILE_CLINICS,), region="akmola")
    await add_subscriber(app, 20_004, "kk", (Topic.FACILITIES,), region="abai")
    service: BroadcastService = app.dispatcher["broadcasts"]
    assert await service.audience_size(Audience(Topic.MOBILE_CLINICS, "abai")) == {
        "kk": 1,
        "ru": 1,
    }
    assert await service.audience_size(Audience(Topic.MOBILE_CLINICS, "abai", "kk")) == {
        "kk": 1,
        "ru": 0,
    }
    assert await service.audience_size(Audience(Topic.MOBILE_CLINICS)) == {"kk": 2, "ru": 1}
    assert await service.audience_size(Audience(Topic.IVF)) == {"kk": 45, "ru": 45}


async def test_correction_and_retraction_go_through_the_outbox(
    app: App, rules: TelegramRules
) -> None:
    await start_sender(app)
    run_id = await enqueue(app)
    await wait_until_idle(app)
    service: BroadcastService = app.dispatcher["broadcasts"]
    run = await service.repository.get_run(run_id)
    edit = await service.enqueue_change(
        run.broadcast_id,
        Action.EDIT,
        requested_by=STAFF_ID,
        report_chat_id=STAFF_ID,
        text_kk="Түзету",
        text_ru="Поправка",
    )
    assert isinstance(edit, QueuedRun) and edit.recipients == 88
    await wait_until_idle(app)
    edits = [t for m, t in rules.received[10_000] if m == "editMessageText"]
    assert edits == ["Поправка"]
    retraction = await service.enqueue_change(
        run.broadcast_id, Action.DELETE, requested_by=STAFF_ID, report_chat_id=STAFF_ID
    )
    assert isinstance(retraction, QueuedRun)
    await wait_until_idle(app)
    deleted = {c.chat_id for c in session_of(app).calls if isinstance(c, DeleteMessage)}
    assert deleted == {u for u in USERS if u not in rules.blocked}


async def test_user_who_forgets_mid_broadcast_is_not_sent_to(
    app: App, rules: TelegramRules
) -> None:
    run_id = await enqueue(app)
    await app.dispatcher["users"].delete(10_050)  # /forget before the sender reached them
    await start_sender(app)
    await wait_until_idle(app)
    assert sent_texts(rules, 10_050) == []
    assert (await counts(app, run_id)).delivered == 87


async def test_regional_staff_see_and_change_only_their_region(app: App) -> None:
    await add_subscriber(app, 20_001, "kk", (Topic.IVF,), region="abai")
    await start_sender(app)
    await enqueue(app, Audience(Topic.IVF, "abai"))
    await enqueue(app)
    await wait_until_idle(app)
    service: BroadcastService = app.dispatcher["broadcasts"]
    assert [b.id for b, _ in await service.recent(region_code="abai")] == [1]
    assert [b.id for b, _ in await service.recent()] == [2, 1]
    assert await service.changeable(2, region_code="abai") is None
    assert await service.changeable(1, region_code="abai") is not None
