"""How far one process goes: the figures of the README's «Scale» section.

    .venv/bin/python bench/scale.py [--updates 1000] [--users 10000] [--subscribers 100000]

1. Updates per second one process handles, fed one after another through the real dispatcher
   (recording session, no network): a typed question and a command (/help).
2. Memory (RSS) at rest after start-up, and after 10,000 different users have each written.
3. A broadcast to 100,000 subscribers: the outbox is written for real, then drained by the real
   sender against an instant in-process delivery with no rate limit, which gives the sender's
   own ceiling. The time at Telegram's 30 msg/s and at paid broadcasts' 1,000 msg/s is the
   queueing time plus the count divided by the lower of that rate and the measured ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dispatch_overhead import make_updates  # noqa: E402
from bot.app import build_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.session import LocalSession  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.db.broadcasts import BroadcastRepository  # noqa: E402
from bot.db.outbox import OutboxRepository  # noqa: E402
from bot.db.subscriptions import SubscriptionRepository  # noqa: E402
from bot.services.broadcasting import Audience, BroadcastService, Draft  # noqa: E402
from bot.services.outbox import (  # noqa: E402
    DeliveryResult,
    Letter,
    OutboxSender,
    Outcome,
    Progress,
    SendLimits,
)
from bot.services.subscriptions import Topic  # noqa: E402

STAFF_ID = 777
FIRST_SUBSCRIBER = 5_000_000


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def updates_per_second(settings: Settings, count: int) -> dict[str, float]:
    app = await build_app(settings, session=LocalSession())
    rates = {}
    for label, updates in (
        ("question", make_updates(count)),
        ("command", make_updates(count, command=True)),
    ):
        for update in updates[:50]:  # warm-up: users created, caches filled
            await app.dispatcher.feed_update(app.bot, update)
        started = time.perf_counter()
        for update in updates:
            await app.dispatcher.feed_update(app.bot, update)
        rates[label] = count / (time.perf_counter() - started)
    await app.close()
    return rates


async def memory(settings: Settings, users: int) -> tuple[float, float]:
    session = LocalSession()
    app = await build_app(settings, session=session)
    await app.dispatcher.feed_update(app.bot, make_updates(1, command=True)[0])
    gc.collect()
    at_rest = rss_mb()
    # Each user writes once: a users row and what the bot keeps of them in memory (user and
    # dialog-state caches, a message-rate slot).
    for number, update in enumerate(make_updates(users, users=users, command=True)):
        await app.dispatcher.feed_update(app.bot, update)
        if number % 500 == 0:
            forget_recorded_calls(session)
    forget_recorded_calls(session)
    gc.collect()
    after = rss_mb()
    await app.close()
    return at_rest, after


def forget_recorded_calls(session: LocalSession) -> None:
    # The recording session keeps every reply for tests; production's HTTP session does not.
    session.calls.clear()
    session.results.clear()


class InstantDelivery:
    async def prepare(self, letter: Letter) -> Letter | None:
        return letter  # a broadcast's text is set already

    async def deliver(self, letter: Letter) -> DeliveryResult:
        return DeliveryResult(Outcome.DELIVERED, message_id=1)


class SilentReporter:
    async def show(self, progress: Progress) -> int | None:
        return None

    async def finished(self, progress: Progress) -> None:
        return None


async def broadcast(path: Path, subscribers: int) -> tuple[float, float]:
    """(seconds to queue the outbox, the sender's ceiling in rows per second)."""
    db = await Database.open(path)
    now = datetime.now(UTC).isoformat()
    ids = range(FIRST_SUBSCRIBER, FIRST_SUBSCRIBER + subscribers)
    async with db.transaction() as conn:  # setup only: 100,000 subscribers at once
        await conn.executemany(
            "INSERT INTO users (id, language, first_seen, last_seen) VALUES (?, ?, ?, ?)",
            [(i, "kk" if i % 2 else "ru", now, now) for i in ids],
        )
        await conn.executemany(
            "INSERT INTO subscriptions (user_id, topic, created_at) VALUES (?, ?, ?)",
            [(i, str(Topic.IVF), now) for i in ids],
        )
    repository = BroadcastRepository(db)
    # No rate limit: what the sender itself (outbox writes, bookkeeping) can do.
    limits = SendLimits(rate_per_second=1_000_000, per_chat_interval=1.0, max_in_flight=100)
    broadcaster = OutboxSender(repository, OutboxRepository(db), limits)
    service = BroadcastService(
        repository, SubscriptionRepository(db), "kk", broadcaster.wake
    )
    started = time.perf_counter()
    queued = await service.enqueue(
        Draft(STAFF_ID, "Жаңа квоталар", "Новые квоты", Audience(Topic.IVF)), STAFF_ID
    )
    queueing = time.perf_counter() - started
    assert queued is not None
    started = time.perf_counter()
    broadcaster.start(InstantDelivery(), SilentReporter())
    while True:
        await asyncio.sleep(0.05)
        run = await repository.get_run(queued.run_id)
        if run is not None and run.status == "done":
            break
    draining = time.perf_counter() - started
    await broadcaster.stop()
    counts = await repository.counts(queued.run_id)
    await db.close()
    assert counts.delivered == subscribers, counts
    return queueing, subscribers / draining


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 120 else f"{seconds:.1f} s"


async def main(count: int, users: int, subscribers: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,
            bot_token=None,  # type: ignore[call-arg]
            database_path=Path(folder) / "scale.sqlite3",
            messages_per_minute=1_000_000,  # measure answering, not the flood limit
        )
        rates = await updates_per_second(settings, count)
        print(f"updates per second, one process, one after another ({count} each):")
        print(f"  typed question: {rates['question']:7.0f}/s")
        print(f"  command /help:  {rates['command']:7.0f}/s")
        memory_settings = settings.model_copy(
            update={"database_path": Path(folder) / "memory.sqlite3"}
        )
        at_rest, after = await memory(memory_settings, users)
        print(f"memory (RSS): at rest {at_rest:.0f} MB, after {users:,} users {after:.0f} MB")
        queueing, ceiling = await broadcast(Path(folder) / "broadcast.sqlite3", subscribers)
        print(f"broadcast to {subscribers:,} subscribers:")
        print(f"  outbox written in one transaction: {queueing:.1f} s")
        print(f"  sender's own ceiling (no rate limit, instant API): {ceiling:.0f} msg/s")
        for rate in (30, 1000):
            total = queueing + subscribers / min(rate, ceiling)
            print(f"  at {rate:>4} msg/s: {minutes(total)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--subscribers", type=int, default=100_000)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.users, args.subscribers))
