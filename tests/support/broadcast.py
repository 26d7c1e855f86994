"""Helpers for broadcast tests: a bot under Telegram's rules in virtual time, subscribers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from bot.app import App, build_app
from bot.config import Settings
from bot.db.broadcasts import BroadcastRepository, RunCounts
from bot.db.subscriptions import SubscriptionRepository
from bot.services.broadcasting import Audience, BroadcastService, Draft
from bot.services.outbox import OutboxSender
from bot.services.subscriptions import Topic
from bot.telegram.delivery import create_delivery
from tests.support.clock import VirtualClock
from tests.support.staff import STAFF_ID
from tests.support.telegram import RulesSession, TelegramRules

START = (
    "New announcement. Send its text in Kazakh.\n"
    "To send one text to everyone, press «Same text for all». /cancel stops at any step."
)
TEXTS = {"kk": "Жаңа квоталар бөлінді", "ru": "Выделены новые квоты"}


async def open_app(settings: Settings, rules: TelegramRules, clock: VirtualClock) -> App:
    session = RulesSession(rules)
    return await build_app(settings, session=session, sleep=clock.sleep, clock=clock.now)


def session_of(app: App) -> RulesSession:
    assert isinstance(app.bot.session, RulesSession)
    return app.bot.session


async def add_subscriber(
    app: App,
    user_id: int,
    language: str,
    topics: tuple[Topic, ...] = (Topic.IVF,),
    region: str | None = None,
) -> None:
    users = app.dispatcher["users"]
    await users.set_language(user_id, language)
    if region is not None:
        await users.set_region(user_id, region)
    await SubscriptionRepository(app.db).subscribe_many(user_id, list(topics), datetime.now(UTC))


async def start_sender(app: App) -> OutboxSender:
    await app.dispatcher.emit_startup(bot=app.bot, **app.dispatcher.workflow_data)
    broadcaster: OutboxSender = app.dispatcher["outbox"]
    return broadcaster


async def stop_sender(app: App) -> None:
    await app.dispatcher["outbox"].stop()


async def enqueue(app: App, audience: Audience | None = None, **texts: str) -> int:
    service: BroadcastService = app.dispatcher["broadcasts"]
    draft = Draft(
        author_id=STAFF_ID,
        text_kk=texts.get("kk", TEXTS["kk"]),
        text_ru=texts.get("ru", TEXTS["ru"]),
        audience=audience or Audience(topic=Topic.IVF),
    )
    queued = await service.enqueue(draft, report_chat_id=STAFF_ID)
    assert queued is not None
    return queued.run_id


async def wait_until_idle(app: App, timeout: float = 20.0) -> None:
    repository = BroadcastRepository(app.db)
    broadcaster: OutboxSender = app.dispatcher["outbox"]
    async with asyncio.timeout(timeout):
        while True:
            await asyncio.sleep(0.005)
            if broadcaster.idle.is_set() and await repository.next_run() is None:
                return


async def counts(app: App, run_id: int) -> RunCounts:
    return await BroadcastRepository(app.db).counts(run_id)


async def eventually(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait (in real time) until `predicate()` holds."""
    for _ in range(int(timeout / 0.001)):
        if predicate():
            return
        await asyncio.sleep(0.001)
    raise TimeoutError("condition not reached")


async def send_owed(app: App) -> int:
    """Send the notices and reminders the outbox owes, as the running bot's sender would;
    returns how many were delivered."""
    delivery = create_delivery(app.bot, app.dispatcher["outbox_renderer"], app.settings)
    sent: int = await app.dispatcher["outbox"].flush(delivery)
    return sent
