"""Median in-process cost of one update: this bot vs a bare aiogram echo bot, same run.

    .venv/bin/python bench/dispatch_overhead.py [--updates 2000] [--rounds 5]

Both bots get the same plain-text message updates through `Dispatcher.feed_update` and answer
through the same recording session (no network), so the difference is our wiring: locale
middleware, user record, routers, catalogs. Target: at most 2x the echo bot.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Chat, Message, Update, User

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import OFFLINE_TOKEN, build_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.session import LocalSession  # noqa: E402

TEXTS = ["Когда приедет передвижной комплекс", "Сәлеметсіз бе, маған көмек керек", "эко"]
# The same path without the search: a command answered with a fixed text.
COMMAND = "/help"


def make_updates(count: int, users: int = 50, command: bool = False) -> list[Update]:
    updates = []
    for number in range(count):
        # Each user keeps to one language, as people do.
        user_id = 10_000 + number % users
        user = User(id=user_id, is_bot=False, first_name="Bench", language_code="ru")
        message = Message(
            message_id=number + 1,
            date=datetime.now(UTC),
            chat=Chat(id=user_id, type="private"),
            from_user=user,
            text=COMMAND if command else TEXTS[user_id % len(TEXTS)],
        )
        updates.append(Update(update_id=number + 1, message=message))
    return updates


def echo_dispatcher() -> Dispatcher:
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def time_updates(dispatcher: Dispatcher, bot: Bot, updates: list[Update]) -> list[float]:
    timings = []
    for update in updates:
        start = time.perf_counter()
        await dispatcher.feed_update(bot, update)
        timings.append(time.perf_counter() - start)
    return timings


async def main(count: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,
            bot_token=None,  # type: ignore[call-arg]
            database_path=Path(folder) / "bench.sqlite3",
            # 50 users send thousands of updates: measure answering them, not the flood limit.
            messages_per_minute=1_000_000,
        )
        app = await build_app(settings, session=LocalSession())
        echo_bot = Bot(token=OFFLINE_TOKEN, session=LocalSession())
        echo = echo_dispatcher()
        results = {}
        for label, updates in (
            ("plain-text question (knowledge-base answer)", make_updates(count)),
            (
                "/help (the wiring alone: middlewares, routers, catalogs)",
                make_updates(count, command=True),
            ),
        ):
            # Warm-up: first contact creates the users; caches fill.
            await time_updates(app.dispatcher, app.bot, updates[:100])
            await time_updates(echo, echo_bot, updates[:100])
            ours: list[float] = []
            theirs: list[float] = []
            for _ in range(rounds):  # interleaved, so machine noise hits both alike
                ours += await time_updates(app.dispatcher, app.bot, updates)
                theirs += await time_updates(echo, echo_bot, updates)
            results[label] = (statistics.median(ours) * 1e6, statistics.median(theirs) * 1e6)
        await app.close()
    print(f"updates per bot and kind: {rounds * count} ({rounds} rounds of {count})")
    for label, (ours_median, echo_median) in results.items():
        print(f"{label}:")
        print(f"  this bot, median per update:  {ours_median:8.1f} µs")
        print(f"  echo bot, median per update:  {echo_median:8.1f} µs")
        print(f"  ratio: {ours_median / echo_median:.2f}x (target <= 2.00x)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.rounds))
