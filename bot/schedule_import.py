"""`python -m bot import-schedule FILE`: replace regions' mobile-clinic schedules from a CSV."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.db import Database
from bot.db.mobile_clinics import MobileClinicRepository
from bot.mobile_texts import PROBLEM_TEXTS
from bot.services.mobile_clinics import MobileClinics
from bot.services.regions import RegionDirectory
from bot.services.settlements import SettlementDirectory


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
