"""IVF queue: import of a 100,000-row list and look-ups on it, beside plain SQLite.

Run: `.venv/bin/python bench/ivf_queue_import.py [--rows 100000] [--lookups 1000]`
Targets (issue 6): import < 10 s and < 200 MB peak; look-up median < 5 ms.
The baseline is the same number of plain `sqlite3` inserts (one transaction, executemany) and
primary-key selects, measured in the same run on the same disk.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from itertools import islice
from pathlib import Path

from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import PROJECT_ROOT  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.db.ivf_queue import IvfQueueRepository  # noqa: E402
from bot.db.users import UserRepository  # noqa: E402
from bot.services.iin import parse_iin  # noqa: E402
from bot.services.ivf_queue import LookupOutcome, QueueLookup  # noqa: E402
from bot.services.ivf_queue_import import QueueImporter  # noqa: E402
from bot.services.phone import normalize_phone  # noqa: E402
from bot.services.pii_hash import PiiHasher  # noqa: E402
from bot.services.regions import RegionDirectory  # noqa: E402
from tests.support.factories import queue_csv, synthetic_iins  # noqa: E402

HASHER = PiiHasher(SecretStr("bench-secret"))
USER = 1


def make_file(rows: int) -> tuple[bytes, list[str], list[str]]:
    iins = list(islice(synthetic_iins(), rows))
    phones = [
        f"8 (70{i % 8}) {i // 10_000 % 1000:03d}-{i // 100 % 100:02d}-{i % 100:02d}"
        for i in range(rows)
    ]
    statuses = ("ожидает", "кезекте", "направлена в клинику", "done")
    table = [
        [iin, phone, "Кызылорда", str(i + 1), statuses[i % 4], "01.11.2026"]
        for i, (iin, phone) in enumerate(zip(iins, phones, strict=True))
    ]
    return queue_csv(table, bom=True), iins, phones


def plain_sqlite(folder: Path, rows: int, lookups: int) -> tuple[float, list[float]]:
    """Plain inserts of `rows` 32-byte keys and selects by primary key, no parsing."""
    conn = sqlite3.connect(folder / "plain.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE t (k BLOB PRIMARY KEY, p BLOB, pos INTEGER, s TEXT, d TEXT) WITHOUT ROWID"
    )
    keys = [HASHER._digest(str(i).encode()) for i in range(rows)]  # noqa: SLF001
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?, 'waiting', '2026-11-01')",
        ((k, k, i) for i, k in enumerate(keys)),
    )
    conn.execute("COMMIT")
    insert_time = time.perf_counter() - started
    selects = []
    for i in range(lookups):
        key = keys[(i * 7919) % rows]
        started = time.perf_counter()
        conn.execute("SELECT pos, s, d FROM t WHERE k = ? AND p = ?", (key, key)).fetchall()
        selects.append(time.perf_counter() - started)
    conn.close()
    return insert_time, selects


async def run(rows: int, lookups: int, repeats: int) -> None:
    regions = RegionDirectory.load(PROJECT_ROOT / "data" / "regions.yaml")
    content, iins, phones = make_file(rows)
    print(f"file: {rows:,} rows, {len(content) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = await Database.open(folder / "bot.sqlite3")
        repository = IvfQueueRepository(db)
        importer = QueueImporter(repository, HASHER)
        await UserRepository(db).touch(USER)

        import_times = []
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for _ in range(repeats):  # the first loads a new region, the next ones replace it
            started = time.perf_counter()
            report = await importer.import_csv(content, regions)
            import_times.append(time.perf_counter() - started)
            assert report.ok, report.bad_rows[:3]
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        await importer.import_csv(content, regions)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        now = [2_000_000_000.0]
        lookup = QueueLookup(repository, HASHER, clock=lambda: now[0])
        full, find_only = [], []
        for i in range(lookups):
            index = (i * 7919) % rows
            iin = parse_iin(iins[index])
            phone_hash = lookup.phone_hash(normalize_phone(phones[index]))
            now[0] += 3600  # stay under the hourly limit
            started = time.perf_counter()
            result = await lookup.look_up(USER, iin, phone_hash)
            full.append(time.perf_counter() - started)
            assert result.outcome is LookupOutcome.FOUND
            started = time.perf_counter()
            await repository.find(HASHER.iin(iin), phone_hash)
            find_only.append(time.perf_counter() - started)
        await db.close()
        plain_insert, plain_select = plain_sqlite(folder, rows, lookups)

    ms = 1000
    lines = [
        (f"import, median of {repeats} runs", statistics.median(import_times), "s", "< 10 s"),
        ("plain sqlite3 inserts of the same rows", plain_insert, "s", ""),
        ("import peak Python memory (tracemalloc)", traced_peak / 2**20, "MB", "< 200 MB"),
        ("process peak RSS after the imports", rss_peak / 1024, "MB", ""),
        ("  of which before the imports", rss_before / 1024, "MB", ""),
        (
            "look-up median (limit, find, attempt, link)",
            statistics.median(full) * ms,
            "ms",
            "< 5 ms",
        ),
        ("look-up p95", statistics.quantiles(full, n=20)[-1] * ms, "ms", ""),
        ("repository find median (one SELECT)", statistics.median(find_only) * ms, "ms", ""),
        ("plain sqlite3 select median", statistics.median(plain_select) * ms, "ms", ""),
    ]
    print(f"{'measure':46} {'value':>10}      target")
    for name, value, unit, target in lines:
        print(f"{name:46} {value:>10.3f} {unit:<4} {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.lookups, args.repeats))


if __name__ == "__main__":
    main()
