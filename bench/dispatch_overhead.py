"""Median in-process cost of one update: this bot vs a bare aiogram echo bot, same run.

    .venv/bin/python bench/dispatch_overhead.py [--updates 2000] [--rounds 5]

Both bots get the same message updates through `Dispatcher.feed_update` and answer through the
same recording session (no network), so the difference is our wiring: middlewares, routers,
catalogs, and for typed text the understanding step. Each update goes to our bot and then to
the echo bot, so a busy machine slows both alike. Targets (issue 13): `/help` and a main-menu
button at most 1.5x the echo bot, a typed question at most 5 ms, a 4,096-character message at
most 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Chat, Message, Update, User

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import OFFLINE_TOKEN, build_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.session import LocalSession  # noqa: E402
from bot.views.common import MenuButton  # noqa: E402

QUESTIONS = ["Когда приедет передвижной комплекс", "Сәлеметсіз бе, маған көмек керек", "эко"]
# The longest message Telegram delivers: Kazakh and Russian, words run together without
# spaces, and digits shaped like IINs and phones, which the redaction must mask in one pass.
LONG_MESSAGE = (
    "Сәлеметсіз бе! Менің ЖСН 900115403014, телефоным +7 (701) 555-00-02, 8.701.555.00.03. "
    "Здравствуйте, у меня вопрос по ЭКО: ИИН 9001 1540 3014, квота, очередь, документы. "
    + "ааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааа" * 12
    + " 12345678901234567890123456789012345678901234567890 "
    + "бағдарламасыбойыншатегінЭКОалуғаболадыма " * 20
    + "1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0, " * 15
    + "Когда приедет передвижной комплекс в наше село? " * 40
)[:4096]
HELP = "/help"


@dataclass(frozen=True)
class Kind:
    label: str
    text: str
    target: str  # what issue 13 asks, for the printout
    limit_ratio: float | None = None
    limit_us: float | None = None


def make_updates(count: int, text: str, users: int = 50) -> list[Update]:
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
            text=text,
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


async def time_update(dispatcher: Dispatcher, bot: Bot, update: Update) -> float:
    start = time.perf_counter()
    await dispatcher.feed_update(bot, update)
    return time.perf_counter() - start


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
        button = app.i18n.gettext(MenuButton.TOPICS, locale="ru")
        kinds = [
            Kind("/help (middlewares, routers, catalogs)", HELP, "<= 1.5x echo", limit_ratio=1.5),
            Kind(f"main-menu button «{button}»", button, "<= 1.5x echo", limit_ratio=1.5),
            Kind("typed question (understanding step)", "", "<= 5 ms", limit_us=5_000),
            Kind("4,096-character message", LONG_MESSAGE, "<= 20 ms", limit_us=20_000),
        ]
        results: dict[str, tuple[float, float]] = {}
        echo_all: list[float] = []
        for kind in kinds:
            if kind.text:
                updates = make_updates(count, kind.text)
            else:  # each user asks one of the questions
                updates = [
                    update
                    for number, question in enumerate(QUESTIONS)
                    for update in make_updates(count, question)[number :: len(QUESTIONS)]
                ]
            # Warm-up: first contact creates the users; caches fill.
            for update in updates[:100]:
                await time_update(app.dispatcher, app.bot, update)
                await time_update(echo, echo_bot, update)
            ours: list[float] = []
            theirs: list[float] = []
            for _ in range(rounds):
                for update in updates:  # interleaved per update: noise hits both alike
                    ours.append(await time_update(app.dispatcher, app.bot, update))
                    theirs.append(await time_update(echo, echo_bot, update))
            echo_all += theirs
            results[kind.label] = (statistics.median(ours) * 1e6, statistics.median(theirs) * 1e6)
        await app.close()
    print(f"updates per bot and kind: {rounds * count} ({rounds} rounds of {count})")
    print(f"echo bot (baseline), median per update: {statistics.median(echo_all) * 1e6:8.1f} µs")
    for kind in kinds:
        ours_median, echo_median = results[kind.label]
        ratio = ours_median / echo_median
        met = (kind.limit_ratio is None or ratio <= kind.limit_ratio) and (
            kind.limit_us is None or ours_median <= kind.limit_us
        )
        print(
            f"{kind.label}: {ours_median:8.1f} µs, echo {echo_median:6.1f} µs, "
            f"{ratio:5.2f}x (target {kind.target}: {'met' if met else 'NOT met'})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.rounds))
