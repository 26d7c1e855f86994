"""`python -m bot console --demo`: example data in a separate database, for trying features.

Nothing here runs in production: `poll` refuses the demo settings (bot/__main__.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from bot.db import Database
from bot.db.ivf_queue import IvfQueueRepository
from bot.services.ivf_queue_import import ImportReport, QueueImporter
from bot.services.pii_hash import PiiHasher
from bot.services.regions import RegionDirectory

DEMO_DATABASE = "console-demo.sqlite3"
DEMO_QUEUE_FILE = "examples/ivf_queue_demo.csv"
# The demo list is hashed with its own key, so it can never be looked up with production's.
DEMO_PII_SECRET = SecretStr("console-demo-only-not-a-production-secret")
# The first row of data/examples/ivf_queue_demo.csv: a synthetic IIN with a valid control
# digit and the phone the console's «Share my phone number» button sends.
DEMO_IIN = "900115499900"
DEMO_PHONE = "+77011234567"


@dataclass(frozen=True)
class DemoQueue:
    report: ImportReport
    iin: str = DEMO_IIN
    phone: str = DEMO_PHONE


def demo_settings(settings: Settings) -> Settings:
    """The console demo's settings: example visits on, its own database and PII key."""
    return settings.model_copy(
        update={
            "mobile_demo_schedule": True,
            "database_path": settings.database_path.with_name(DEMO_DATABASE),
            "pii_secret": DEMO_PII_SECRET,
        }
    )


async def load_demo_queue(settings: Settings, db: Database) -> DemoQueue:
    """Load the example IVF waiting list (replacing the demo database's lists of its regions)."""
    regions = RegionDirectory.load(settings.data_path / "regions.yaml")
    path: Path = settings.data_path / DEMO_QUEUE_FILE
    content = await asyncio.to_thread(path.read_bytes)
    importer = QueueImporter(IvfQueueRepository(db), PiiHasher(settings.pii_secret))
    return DemoQueue(report=await importer.import_csv(content, regions))
