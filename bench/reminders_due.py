"""How long picking and queueing 100,000 reminders due in one day takes, beside a plain scan.

Run: .venv/bin/python bench/reminders_due.py [--subscriptions 100000] [--runs 5]

The database holds N subscriptions due tomorrow (N/100 settlements with a visit, 100 subscribers
each), as many subscriptions that are not due, and a year of other visits. Measured, each run:
  queue   MobileClinics.queue_due_reminders(now): one INSERT ... SELECT into the outbox
  pick    reading every queued reminder back, joined with its visit and the user's language
  scan    the baseline: a plain sqlite3 full read of the subscriptions table, same file
Target: queue + pick under 2 s for 100,000.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import PROJECT_ROOT  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.db.mobile_clinics import MobileClinicRepository  # noqa: E402
from bot.db.outbox import OutboxRepository  # noqa: E402
from bot.services.mobile_clinics import MobileClinics  # noqa: E402
from bot.services.mobile_schedule import KZ_TZ  # noqa: E402
from bot.services.regions import RegionDirectory  # noqa: E402
from bot.services.settlements import SettlementDirectory  # noqa: E402

VISIT_DAY = date(2030, 6, 15)
NOW = datetime(2030, 6, 14, 10, 0, tzinfo=KZ_TZ)
PER_SETTLEMENT = 100


def fill(path: Path, due: int) -> None:
    settlements = due // PER_SETTLEMENT
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO users (id, language, first_seen, last_seen) VALUES (?, ?, ?, ?)",
            (
                (uid, "kk" if uid % 2 else "ru", "2030-01-01", "2030-01-01")
                for uid in range(1, 2 * due + 1)
            ),
        )
        visits = []
        for number in range(2 * settlements):
            code = f"s{number}"
            # The first half of the settlements has a visit tomorrow; all have others later.
            if number < settlements:
                visits.append((code, VISIT_DAY.isoformat()))
            for offset in range(2, 12):
                visits.append((code, (VISIT_DAY + timedelta(days=offset * 7)).isoformat()))
        conn.executemany(
            "INSERT INTO mobile_visits (region_code, settlement_code, vehicle, operator, "
            "starts_on, ends_on, services, source, imported_at) "
            "VALUES ('kyzylorda', ?, 'complex', 'bench', ?, ?, 'lab', 'bench', '2030-01-01')",
            ((code, day, day) for code, day in visits),
        )
        conn.executemany(
            "INSERT INTO mobile_subscriptions (user_id, settlement_code, created_at) "
            "VALUES (?, ?, '2030-01-01')",
            ((uid, f"s{(uid - 1) // PER_SETTLEMENT}") for uid in range(1, 2 * due + 1)),
        )
    conn.execute("ANALYZE")
    conn.close()


async def create(path: Path) -> None:
    db = await Database.open(path)  # creates the file and applies the migrations
    await db.close()


def plain_scan(path: Path) -> tuple[float, int]:
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    rows = conn.execute("SELECT user_id, settlement_code FROM mobile_subscriptions").fetchall()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, len(rows)


async def measure(path: Path, runs: int) -> dict[str, list[float]]:
    db = await Database.open(path)
    repository = MobileClinicRepository(db)
    data = PROJECT_ROOT / "data"
    service = MobileClinics.create(
        repository,
        SettlementDirectory.load(data / "settlements.yaml"),
        RegionDirectory.load(data / "regions.yaml"),
    )
    timings: dict[str, list[float]] = {"queue": [], "pick": [], "queue+pick": [], "scan": []}
    try:
        for _ in range(runs):
            await db.execute("DELETE FROM outbox")
            started = time.perf_counter()
            queued = await service.queue_due_reminders(NOW)
            queued_at = time.perf_counter()
            picked = await OutboxRepository(db).pending_messages(limit=10**9)
            done = time.perf_counter()
            assert queued == len(picked), (queued, len(picked))
            timings["queue"].append(queued_at - started)
            timings["pick"].append(done - queued_at)
            timings["queue+pick"].append(done - started)
            scan, _rows = plain_scan(path)
            timings["scan"].append(scan)
    finally:
        await db.close()
    print(f"queued and picked {queued:,} reminders per run")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        asyncio.run(create(path))
        fill(path, args.subscriptions)
        timings = asyncio.run(measure(path, args.runs))
    for name, values in timings.items():
        print(
            f"{name:>11}: median {statistics.median(values) * 1000:8.1f} ms  "
            f"(min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f}, {len(values)} runs)"
        )
    total = statistics.median(timings["queue+pick"])
    print(f"target queue+pick < 2000 ms: {'met' if total < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
