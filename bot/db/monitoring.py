"""Read-only queries for /healthz and /metrics: outbox depth and whether the file answers."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.db.database import Database

# Today's three outboxes and the state column of each; issue 14 merges them into one table,
# after which this becomes one GROUP BY.
_OUTBOX_STATES = {
    "broadcast": "SELECT status AS state, COUNT(*) AS n FROM broadcast_outbox GROUP BY status",
    "mobile": "SELECT COALESCE(outcome, 'pending') AS state, COUNT(*) AS n "
    "FROM mobile_outbox GROUP BY state",
    # Queue notices are deleted once sent: every row is pending.
    "ivf_queue": "SELECT 'pending' AS state, COUNT(*) AS n FROM ivf_queue_notifications",
}
# Rows still to be sent (or caught mid-call by a crash).
WAITING_STATES = frozenset({"pending", "sending"})


class MonitoringRepository:
    """What operations ask of the database; nothing here is personal."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def outbox_rows_by_state(self) -> dict[tuple[str, str], int]:
        """(outbox, state) -> rows, for the `bot_outbox_rows` gauge."""
        counts: dict[tuple[str, str], int] = {}
        for outbox, sql in _OUTBOX_STATES.items():
            for row in await self._db.fetch_all(sql):
                if row["n"]:
                    counts[(outbox, row["state"])] = int(row["n"])
        return counts

    async def outbox_depth(self) -> int:
        """Rows waiting to be sent in every outbox."""
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
