"""Read-only queries for /healthz and /metrics: outbox depth and whether the file answers."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.db.database import Database, Repository

# The one outbox, by kind (broadcast, queue_change, mobile_visit) and state.
_OUTBOX_STATES = "SELECT kind, status, COUNT(*) AS n FROM outbox GROUP BY kind, status"
# Rows still to be sent (or caught mid-call by a crash).
WAITING_STATES = frozenset({"pending", "sending"})


class MonitoringRepository(Repository):
    """What operations ask of the database; nothing here is personal."""

    async def outbox_rows_by_state(self) -> dict[tuple[str, str], int]:
        """(kind, state) -> rows, for the `bot_outbox_rows` gauge."""
        rows = await self._db.fetch_all(_OUTBOX_STATES)
        return {(row["kind"], row["status"]): int(row["n"]) for row in rows if row["n"]}

    async def outbox_depth(self) -> int:
        """Rows waiting to be sent."""
        rows = await self.outbox_rows_by_state()
        return sum(n for (_outbox, state), n in rows.items() if state in WAITING_STATES)


def database_file_answers(path: Path, timeout: float = 2.0) -> bool:
    """Open the file afresh, read-only, and read its schema: the bot's own long-lived
    connection keeps working from cached pages after the file is damaged or gone."""
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        connection = sqlite3.connect(uri, uri=True, timeout=timeout)
    except sqlite3.Error:
        return False
    try:
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return True


async def database_answers(db: Database, path: Path) -> bool:
    """The bot's connection answers a query and the file on disk opens and reads."""
    try:
        await db.fetch_one("SELECT 1")
    except (sqlite3.Error, ValueError):
        return False
    return await asyncio.to_thread(database_file_answers, path)
