"""Administrator commands run on the server: `python -m bot import-queue FILE --region CODE`,
`python -m bot import-schedule FILE`, `python -m bot backup PATH`, `python -m bot check-data`."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.db import Database
from bot.db.backup import BackupError, backup_database
from bot.db.ivf_queue import IvfQueueRepository
from bot.db.mobile_clinics import MobileClinicRepository
from bot.i18n import create_i18n
from bot.services.data_check import check_data
from bot.services.ivf_queue_import import QueueImporter, resolve_region
from bot.services.mobile_clinics import MobileClinics
from bot.services.pii_hash import PiiHasher
from bot.services.regions import RegionDirectory
from bot.services.settlements import SettlementDirectory
from bot.views.ivf_queue import import_report_text
from bot.views.mobile_clinics import PROBLEM_TEXTS

_TAG = re.compile(r"<[^>]+>")


async def import_queue(
    settings: Settings, path: Path, region_text: str | None, locale: str | None = None
) -> tuple[int, str]:
    """Import a waiting list as a staff upload does; returns (exit code, report for the terminal).

    The change messages owed to subscribers are only queued, in the import's transaction: the
    running bot's one sender sends them within seconds (or at its next start).
    """
    regions = RegionDirectory.load(settings.data_path / "regions.yaml")
    region = resolve_region(regions, region_text) if region_text else None
    if region_text and region is None:
        codes = ", ".join(item.code for item in regions.all())
        return 2, f"Unknown region {region_text!r}. Codes: {codes}"
    try:
        content = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        return 2, f"Cannot read {path}: {error.strerror}"
    i18n = create_i18n(settings.locales_path, settings.default_locale)
    db = await Database.open(settings.database_path)
    try:
        repository = IvfQueueRepository(db)
        importer = QueueImporter(repository, PiiHasher(settings.pii_secret))
        report = await importer.import_csv(content, regions, region)
        with i18n.context(), i18n.use_locale(locale or settings.default_locale):
            text = html.unescape(_TAG.sub("", import_report_text(report, regions)))
    finally:
        await db.close()
    return (0 if report.ok else 1), text


async def import_schedule_file(settings: Settings, path: Path, out: TextIO) -> int:
    """Import `path` into the bot's database; print the outcome; 0 on success, 1 if refused."""
    try:
        content = await asyncio.to_thread(path.read_bytes)
    except OSError as failure:
        print(f"Cannot read {path}: {failure.strerror}", file=out)
        return 1
    db = await Database.open(settings.database_path)
    try:
        service = MobileClinics.create(
            MobileClinicRepository(db),
            SettlementDirectory.load(settings.data_path / "settlements.yaml"),
            RegionDirectory.load(settings.data_path / "regions.yaml"),
        )
        result = await service.import_schedule(content, source=f"file: {path.name}")
    finally:
        await db.close()
    if not result.ok:
        print("Nothing was imported; the schedule is unchanged. Fix these rows:", file=out)
        for error in result.errors:
            reason = PROBLEM_TEXTS[error.problem].format(value=error.value)
            print(f"  row {error.line}: {reason}" if error.line else f"  {reason}", file=out)
        return 1
    print(
        f"Imported {result.rows} rows for {', '.join(result.region_codes)}: "
        f"{result.added} new, {result.rescheduled} moved, {result.cancelled} cancelled. "
        "Subscribers of moved and cancelled visits are told when the bot runs.",
        file=out,
    )
    return 0


async def backup(settings: Settings, target: Path, out: TextIO) -> int:
    """Copy the live database to `target` (the bot may keep running); 0 when the copy is good."""
    try:
        result = await backup_database(settings.database_path, target)
    except BackupError as error:
        print(f"Backup failed: {error}", file=out)
        return 1
    if not result.ok:
        print(
            f"The copy failed its integrity check ({result.integrity}); kept as "
            f"{result.path} for inspection.",
            file=out,
        )
        return 1
    print(f"Backup written to {result.path}: {_size(result.size_bytes)}, integrity ok.", file=out)
    return 0


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1_000_000:.1f} MB" if size_bytes >= 100_000 else f"{size_bytes} bytes"


def check_data_files(settings: Settings, out: TextIO) -> int:
    """Print every problem in `data/` (file:line: what); 0 when there is none."""
    problems = check_data(settings.data_path, settings.facts_path)
    for problem in problems:
        print(problem, file=out)
    if problems:
        print(f"{len(problems)} problem(s) in {settings.data_path}.", file=out)
        return 1
    return 0
