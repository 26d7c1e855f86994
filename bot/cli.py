"""Administrator commands run on the server: `python -m bot import-queue FILE --region CODE`."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

from bot.app import create_bot
from bot.config import Settings
from bot.db import Database
from bot.db.ivf_queue import IvfQueueRepository
from bot.db.users import UserRepository
from bot.i18n import create_i18n
from bot.ivf_queue_notifier import deliver_queue_notices
from bot.ivf_queue_texts import import_report_text
from bot.services.ivf_queue_import import QueueImporter, resolve_region
from bot.services.pii_hash import PiiHasher
from bot.services.regions import RegionDirectory

_TAG = re.compile(r"<[^>]+>")


async def import_queue(
    settings: Settings, path: Path, region_text: str | None, locale: str | None = None
) -> tuple[int, str]:
    """Import a waiting list as a staff upload does; returns (exit code, report for the terminal).

    The change messages owed to subscribers are sent now when BOT_TOKEN is set, otherwise by
    the bot at its next start.
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
        if report.notifications and settings.bot_token is not None:
            bot = create_bot(settings)
            try:
                await deliver_queue_notices(bot, repository, UserRepository(db), i18n, regions)
            finally:
                await bot.session.close()
    finally:
        await db.close()
    return (0 if report.ok else 1), text
