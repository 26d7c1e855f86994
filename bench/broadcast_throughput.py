"""Throughput of the one sender against a local fake Bot API that enforces Telegram's limits.

    .venv/bin/python bench/broadcast_throughput.py [--subscribers 1000] [--notices 150]
        [--reminders 150] [--repeat 1]

Starts an HTTP fake Bot API on 127.0.0.1 (30 messages/s in total, 1/s per chat, 429 with
retry_after beyond that, 403 for blocked chats, a fraction of 5xx / HTML error pages / dropped
answers, each answer after `--latency` seconds) and sends one broadcast through the real
stack: SQLite outbox, `OutboxSender`, `TelegramDelivery`, aiogram's `AiohttpSession` — while
IVF queue-change notices and mobile-clinic reminders (to other chats) are due in the same run,
through the same sender and rate window.
Baseline, measured in the same run: a bare loop sending the same number of messages at exactly
30/s with no outbox, no database, no retries.
Prints medians over `--repeat` runs.
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

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import AiogramError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import PROJECT_ROOT  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.db.broadcasts import BroadcastRepository  # noqa: E402
from bot.db.mobile_clinics import MobileClinicRepository  # noqa: E402
from bot.db.outbox import MessageKind, NewMessage, OutboxRepository, enqueue  # noqa: E402
from bot.db.subscriptions import SubscriptionRepository  # noqa: E402
from bot.db.users import UserRepository  # noqa: E402
from bot.i18n import create_i18n  # noqa: E402
from bot.services.broadcasting import Audience, BroadcastService, Draft  # noqa: E402
from bot.services.mobile_clinics import MobileClinics  # noqa: E402
from bot.services.mobile_schedule import KZ_TZ  # noqa: E402
from bot.services.outbox import OutboxSender, SendLimits  # noqa: E402
from bot.services.regions import RegionDirectory  # noqa: E402
from bot.services.settlements import SettlementDirectory  # noqa: E402
from bot.services.subscriptions import Topic  # noqa: E402
from bot.telegram.delivery import OutboxRenderer, TelegramDelivery  # noqa: E402
from bot.telegram.progress import TelegramProgressReporter  # noqa: E402
from tests.support.staff import STAFF_ID  # noqa: E402
from tests.support.telegram import FakeBotApi, TelegramRules  # noqa: E402

TOKEN = "42:bench-token"
FIRST_USER = 100_000
# The day before a planned visit to Шиели, at 10:00 in Kazakhstan: its reminders are due.
REMINDER_DAY = datetime(2030, 6, 14, 10, 0, tzinfo=KZ_TZ)
SCHEDULE = (
    "region;settlement;vehicle;operator;date_from;date_to;hours;services;source\n"
    "kyzylorda;Шиели;ПМК;ЦРБ;15.06.2030;;10:00-17:00;consultations;bench\n"
)


@dataclass
class Result:
    seconds: float
    delivered: int
    rate: float
    calls_per_second: float
    answers_429: int
    duplicates: int
    lost: int
    blocked: int
    failed: int
    possible_duplicates: int


def make_bot(url: str) -> Bot:
    return Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))


async def baseline(count: int, rate: float, latency: float) -> float:
    """A bare paced loop: the time the limit itself imposes, plus HTTP, nothing else."""
    rules = TelegramRules(clock=time.monotonic, latency=latency)
    api = FakeBotApi(rules)
    bot = make_bot(await api.start())
    started = time.monotonic()
    tasks = []
    for number in range(count):
        delay = started + number / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(bot.send_message(FIRST_USER + number, "baseline")))
    await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.monotonic() - started
    await bot.session.close()
    await api.stop()
    return elapsed


async def owe_notices_and_reminders(
    db: Database, mobile: MobileClinics, first: int, notices: int, reminders: int
) -> list[int]:
    """Queue-change notices and due reminders to chats beside the broadcast's; their ids."""
    users = UserRepository(db)
    notice_users = list(range(first, first + notices))
    reminder_users = list(range(first + notices, first + notices + reminders))
    for n, user_id in enumerate(notice_users + reminder_users):
        await users.set_language(user_id, "kk" if n % 2 else "ru")
    payload = {
        "region_code": "kyzylorda",
        "old_position": 7,
        "old_status": "waiting",
        "new_position": 5,
        "new_status": "waiting",
        "list_date": "2030-06-01",
    }
    async with db.transaction() as conn:
        await enqueue(
            conn,
            [NewMessage(user, MessageKind.QUEUE_CHANGE, payload) for user in notice_users],
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
    assert (await mobile.import_schedule(SCHEDULE.encode(), "bench")).ok
    settlement = mobile.settlements.get("shieli")
    assert settlement is not None
    for user_id in reminder_users:
        await mobile.subscribe(user_id, settlement)
    assert await mobile.queue_due_reminders(REMINDER_DAY) == reminders
    return notice_users + reminder_users


async def broadcast(
    count: int,
    blocked_share: float,
    failure_rate: float,
    latency: float,
    *,
    notices: int = 0,
    reminders: int = 0,
) -> Result:
    rules = TelegramRules(clock=time.monotonic, failure_rate=failure_rate, latency=latency)
    blocked_every = round(1 / blocked_share) if blocked_share else 0
    rules.blocked = {
        FIRST_USER + n for n in range(count) if blocked_every and n % blocked_every == 0
    }
    api = FakeBotApi(rules)
    bot = make_bot(await api.start())
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        users = UserRepository(db)
        subscriptions = SubscriptionRepository(db)
        now = datetime.now(UTC)
        for n in range(count):
            await users.set_language(FIRST_USER + n, "kk" if n % 2 else "ru")
            await subscriptions.subscribe(FIRST_USER + n, Topic.IVF, now)
        repository = BroadcastRepository(db)
        outbox = OutboxRepository(db)
        data = PROJECT_ROOT / "data"
        regions = RegionDirectory.load(data / "regions.yaml")
        mobile = MobileClinics.create(
            MobileClinicRepository(db),
            SettlementDirectory.load(data / "settlements.yaml"),
            regions,
        )
        mobile.clock = lambda: REMINDER_DAY
        others = await owe_notices_and_reminders(
            db, mobile, FIRST_USER + count, notices, reminders
        )
        sender = OutboxSender(repository, outbox, SendLimits())
        service = BroadcastService(repository, subscriptions, "kk", sender.wake)
        i18n = create_i18n(PROJECT_ROOT / "locales", "kk")
        delivery = TelegramDelivery(bot, OutboxRenderer(i18n, regions, mobile))
        started = time.monotonic()
        queued = await service.enqueue(
            Draft(STAFF_ID, "Жаңа квоталар", "Новые квоты", Audience(Topic.IVF)), STAFF_ID
        )
        assert queued is not None
        sender.start(delivery, TelegramProgressReporter(bot, i18n, users, "kk"))
        while True:
            # Told by the sender when it has nothing left, rather than asking the database
            # every 50 ms: the bench must not load the one connection the sender writes through.
            await sender.idle.wait()
            run = await repository.get_run(queued.run_id)
            if run is not None and run.status == "done" and not await outbox.owed():
                break
            await asyncio.sleep(0.05)
        elapsed = time.monotonic() - started
        await sender.stop()
        counts = await repository.counts(queued.run_id)
        row = await db.fetch_one(
            "SELECT COUNT(*) FROM outbox WHERE run_id IS NULL AND status = 'sent'"
        )
        others_delivered = int(row[0]) if row else 0
        await db.close()
    await bot.session.close()
    await api.stop()
    reachable = [FIRST_USER + n for n in range(count) if FIRST_USER + n not in rules.blocked]
    reachable += others
    received = {
        user: sum(1 for method, _ in rules.received.get(user, []) if method == "sendMessage")
        for user in reachable
    }
    delivered = counts.delivered + others_delivered
    return Result(
        seconds=elapsed,
        delivered=delivered,
        rate=delivered / elapsed,
        calls_per_second=sum(rules.answers.values()) / elapsed,
        answers_429=rules.answers["429"],
        duplicates=sum(max(0, n - 1) for n in received.values()),
        lost=sum(1 for n in received.values() if n == 0) - counts.failed,
        blocked=counts.blocked,
        failed=counts.failed,
        possible_duplicates=counts.possible_duplicates,
    )


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--blocked", type=float, default=0.02, help="share of blocked chats")
    parser.add_argument("--failures", type=float, default=0.02, help="share of failed calls")
    parser.add_argument("--latency", type=float, default=0.08, help="seconds per answer")
    parser.add_argument("--notices", type=int, default=150, help="queue notices due")
    parser.add_argument("--reminders", type=int, default=150, help="reminders due")
    args = parser.parse_args()
    limit = SendLimits().rate_per_second
    total = args.subscribers + args.notices + args.reminders
    base_times, results = [], []
    for _ in range(args.repeat):
        base_times.append(await baseline(total, limit, args.latency))
        try:
            results.append(
                await broadcast(
                    args.subscribers,
                    args.blocked,
                    args.failures,
                    args.latency,
                    notices=args.notices,
                    reminders=args.reminders,
                )
            )
        except AiogramError as error:
            print(f"broadcast failed: {error}")
            return 1
    ideal = total / limit
    base = statistics.median(base_times)
    median = {
        field: statistics.median(getattr(r, field) for r in results)
        for field in Result.__dataclass_fields__
    }
    print(
        f"subscribers: {args.subscribers}, blocked {args.blocked:.0%}, failing calls "
        f"{args.failures:.0%}, answers after {args.latency * 1000:.0f} ms, "
        f"runs: {args.repeat} (medians); due beside it: {args.notices} queue notices, "
        f"{args.reminders} reminders"
    )
    print(f"ideal at {limit:.0f}/s:            {ideal:6.1f} s  ({limit:.1f} msg/s)")
    print(f"baseline (bare paced loop): {base:6.1f} s  ({total / base:.1f} msg/s)")
    print(
        f"one sender (outbox+retries): {median['seconds']:6.1f} s  "
        f"({median['rate']:.1f} delivered msg/s; "
        f"{(median['delivered'] + median['blocked'] + median['failed']) / median['seconds']:.1f}"
        f" recipients done/s; {median['calls_per_second']:.1f} API calls/s incl. retries "
        "and progress edits)"
    )
    print(
        f"delivered {median['delivered']:.0f}, blocked {median['blocked']:.0f}, "
        f"failed {median['failed']:.0f}, 429 received {median['answers_429']:.0f}, "
        f"duplicates {median['duplicates']:.0f} (reported possible: "
        f"{median['possible_duplicates']:.0f}), lost {median['lost']:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
