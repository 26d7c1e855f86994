"""The one outbox: every message the bot sends unasked is a row here until it is sent.

Other repositories enqueue inside their own transactions (an import and the messages it causes
commit together). The sender claims a row with a compare-and-set (pending → sending) right
before its API call, so two senders over one database never send a row twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import aiosqlite

from bot.db.database import Database

logger = logging.getLogger(__name__)
# Another process may hold SQLite's write lock past busy_timeout under load: the sender's own
# bookkeeping is retried rather than a row left "sending".
_LOCKED_RETRIES = 5


class MessageKind(StrEnum):
    BROADCAST = "broadcast"  # a row of a broadcast run: send, edit or delete
    QUEUE_CHANGE = "queue_change"  # an IVF list import changed a subscriber's record
    MOBILE_VISIT = "mobile_visit"  # a reminder the day before a visit, or a visit moved/cancelled


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    user_id: int
    kind: str
    run_id: int | None
    attempts: int
    uncertain: bool
    message_id: int | None
    # The recipient's language now (chosen, else last written in); None: not known.
    language: str | None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NewMessage:
    user_id: int
    kind: MessageKind
    payload: Mapping[str, Any]
    dedup_key: str | None = None


_ROW_COLUMNS = (
    "o.id, o.user_id, o.kind, o.run_id, o.attempts, o.uncertain, o.message_id, o.payload, "
    "COALESCE(u.language, u.inferred_language) AS language"
)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def outbox_row(row: aiosqlite.Row) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        run_id=row["run_id"],
        attempts=row["attempts"],
        uncertain=bool(row["uncertain"]),
        message_id=row["message_id"],
        language=row["language"],
        payload=json.loads(row["payload"]),
    )


async def enqueue(
    conn: aiosqlite.Connection, messages: Iterable[NewMessage], created_at: str
) -> int:
    """Queue messages inside the caller's transaction; a `dedup_key` already used is skipped.
    Returns how many were queued."""
    queued = 0
    for message in messages:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO outbox (user_id, kind, payload, dedup_key, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                message.user_id,
                message.kind,
                json.dumps(dict(message.payload), ensure_ascii=False),
                message.dedup_key,
                created_at,
            ),
        )
        queued += cursor.rowcount
    return queued


class OutboxRepository:
    """The sender's side of the outbox: read what is owed, claim, record the outcome."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _write(self, sql: str, params: tuple[object, ...]) -> int:
        for attempt in range(_LOCKED_RETRIES):
            try:
                return await self._db.execute(sql, params)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == _LOCKED_RETRIES - 1:
                    raise
                logger.warning("Outbox write waited for another writer; retrying")
                await asyncio.sleep(0.05 * (attempt + 1))
        return 0

    async def pending_messages(
        self, limit: int = 500, kind: str | None = None, after_id: int = 0
    ) -> list[OutboxRow]:
        """Rows owed outside broadcast runs (notices, reminders), oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_ROW_COLUMNS} FROM outbox o JOIN users u ON u.id = o.user_id "
            "WHERE o.status = 'pending' AND o.run_id IS NULL AND o.id > ? "
            "AND (? IS NULL OR o.kind = ?) ORDER BY o.id LIMIT ?",
            (after_id, kind, kind, limit),
        )
        return [outbox_row(row) for row in rows]

    async def pending_of_run(self, run_id: int) -> list[OutboxRow]:
        rows = await self._db.fetch_all(
            f"SELECT {_ROW_COLUMNS} FROM outbox o JOIN users u ON u.id = o.user_id "
            "WHERE o.run_id = ? AND o.status = 'pending' ORDER BY o.id",
            (run_id,),
        )
        return [outbox_row(row) for row in rows]

    async def claim(self, row: OutboxRow, owner: str) -> bool:
        """Compare-and-set pending → sending; False when another sender took it, it was sent,
        cancelled, or is gone (the user used /forget meanwhile)."""
        changed = await self._write(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_by = ? "
            "WHERE id = ? AND status = 'pending'",
            (owner, row.id),
        )
        return changed > 0

    async def mark_sent(self, row: OutboxRow, message_id: int | None, now: datetime) -> None:
        await self._write(
            "UPDATE outbox SET status = 'sent', message_id = COALESCE(?, message_id), "
            "sent_at = ? WHERE id = ?",
            (message_id, _iso(now), row.id),
        )

    async def mark_pending(self, row: OutboxRow, uncertain: bool) -> None:
        await self._write(
            "UPDATE outbox SET status = 'pending', uncertain = MAX(uncertain, ?) WHERE id = ?",
            (int(uncertain), row.id),
        )

    async def mark_final(
        self, row: OutboxRow, status: str, now: datetime, uncertain: bool = False
    ) -> None:
        """failed, skipped or unsure: never tried again."""
        await self._write(
            "UPDATE outbox SET status = ?, uncertain = MAX(uncertain, ?), sent_at = ? "
            "WHERE id = ?",
            (status, int(uncertain), _iso(now), row.id),
        )

    async def block_user(self, row: OutboxRow) -> None:
        """The user blocked the bot: in ONE transaction the row is final, every subscription of
        theirs ends (announcements, mobile clinics, queue changes) and nothing more is owed."""
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE outbox SET status = 'blocked' WHERE id = ?", (row.id,))
            await conn.execute(
                "UPDATE outbox SET status = 'blocked' WHERE user_id = ? AND status = 'pending'",
                (row.user_id,),
            )
            await conn.execute("DELETE FROM subscriptions WHERE user_id = ?", (row.user_id,))
            await conn.execute(
                "DELETE FROM mobile_subscriptions WHERE user_id = ?", (row.user_id,)
            )
            await conn.execute(
                "UPDATE ivf_queue_links SET notify = 0 WHERE user_id = ?", (row.user_id,)
            )

    async def recover_interrupted(self, is_alive: Callable[[str], bool]) -> int:
        """Rows left "sending" by a sender that is gone (a crash) go back to the queue, flagged
        as uncertain; rows a live sender holds are left alone."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT claimed_by FROM outbox WHERE status = 'sending'"
        )
        dead = [row[0] for row in rows if row[0] is None or not is_alive(row[0])]
        recovered = 0
        for owner in dead:
            recovered += await self._write(
                "UPDATE outbox SET status = 'pending', uncertain = 1, claimed_by = NULL "
                "WHERE status = 'sending' AND claimed_by IS ?",
                (owner,),
            )
        return recovered

    async def owed(self) -> int:
        """Rows waiting outside runs."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM outbox WHERE run_id IS NULL AND status = 'pending'"
        )
        return int(row[0]) if row else 0
