"""kill -9 in the middle of a broadcast, start again, count duplicates and losses.

    .venv/bin/python bench/broadcast_kill_restart.py [--subscribers 300] [--kill-after 100]

The parent serves a fake Bot API on 127.0.0.1 (Telegram's limits; answers take 80 ms, so some
calls are always in flight) and writes the outbox; a child process drains it with the real
`OutboxSender`; the parent kills it with SIGKILL once `--kill-after` messages have arrived,
starts a new child over the same SQLite file, and when the broadcast is done compares what
every chat received with what the bot reported.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.db import Database  # noqa: E402
from bot.db.broadcasts import BroadcastRepository  # noqa: E402
from bot.db.outbox import OutboxRepository  # noqa: E402
from bot.db.subscriptions import SubscriptionRepository  # noqa: E402
from bot.db.users import UserRepository  # noqa: E402
from bot.services.broadcasting import Audience, BroadcastService, Draft  # noqa: E402
from bot.services.outbox import OutboxSender, Progress, SendLimits  # noqa: E402
from bot.services.subscriptions import Topic  # noqa: E402
from bot.telegram.delivery import TelegramDelivery  # noqa: E402
from tests.support.staff import STAFF_ID  # noqa: E402
from tests.support.telegram import FakeBotApi, TelegramRules  # noqa: E402

FIRST_USER = 200_000


class SilentReporter:
    async def show(self, progress: Progress) -> int | None:
        return None

    async def finished(self, progress: Progress) -> None:
        return None


async def child(url: str, database: Path) -> int:
    """Drain the outbox until the broadcast is done (or until SIGKILL)."""
    db = await Database.open(database)
    bot = Bot("42:kill-test", session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
    repository = BroadcastRepository(db)
    broadcaster = OutboxSender(repository, OutboxRepository(db), SendLimits())
    broadcaster.start(TelegramDelivery(bot), SilentReporter())
    await asyncio.sleep(0.1)
    print(f"child {os.getpid()}: resent after restart {broadcaster.recovered}", flush=True)
    await broadcaster.idle.wait()
    await broadcaster.stop()
    await bot.session.close()
    await db.close()
    return 0


async def parent(count: int, kill_after: int) -> int:
    rules = TelegramRules(clock=time.monotonic, latency=0.08)
    api = FakeBotApi(rules)
    url = await api.start()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "kill.sqlite3"
        db = await Database.open(database)
        users, subscriptions = UserRepository(db), SubscriptionRepository(db)
        for n in range(count):
            await users.set_language(FIRST_USER + n, "kk" if n % 2 else "ru")
            await subscriptions.subscribe(FIRST_USER + n, Topic.IVF, datetime.now(UTC))
        service = BroadcastService(BroadcastRepository(db), subscriptions, "kk", lambda: None)
        queued = await service.enqueue(
            Draft(STAFF_ID, "Жаңа квоталар", "Новые квоты", Audience(Topic.IVF)), STAFF_ID
        )
        command = [sys.executable, __file__, "--child", url, str(database)]
        first = await asyncio.create_subprocess_exec(*command)
        before = 0
        for _ in range(60_000):  # at most 5 minutes
            before = sum(len(calls) for calls in rules.received.values())
            if before >= kill_after:
                break
            await asyncio.sleep(0.005)
        os.kill(first.pid, signal.SIGKILL)
        await first.wait()
        print(f"killed the sender with SIGKILL after {before} messages")
        second = await asyncio.create_subprocess_exec(*command)
        await second.wait()
        counts = await BroadcastRepository(db).counts(queued.run_id)
        await db.close()
    await api.stop()
    received = [len(rules.received.get(FIRST_USER + n, [])) for n in range(count)]
    duplicates = sum(max(0, n - 1) for n in received)
    lost = sum(1 for n in received if n == 0)
    print(
        f"subscribers {count}: delivered {counts.delivered}, duplicates {duplicates} "
        f"(reported as possible: {counts.possible_duplicates}), lost {lost}"
    )
    ok = lost == 0 and duplicates <= counts.possible_duplicates
    return 0 if ok else 1


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        return asyncio.run(child(sys.argv[2], Path(sys.argv[3])))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=300)
    parser.add_argument("--kill-after", type=int, default=100, help="messages before SIGKILL")
    args = parser.parse_args()
    return asyncio.run(parent(args.subscribers, args.kill_after))


if __name__ == "__main__":
    sys.exit(main())
