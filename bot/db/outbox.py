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
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

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
    # «Ask a person»: a ticket shown to staff, a staff answer relayed to its citizen, a reminder
    TICKET = "ticket"


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
    # Where it goes: the user's own chat, or (a ticket) a staff member's or the staff group's.
    chat_id: int = 0

    @property
    def chat(self) -> int:
        return self.chat_id or self.user_id


@dataclass(frozen=True, slots=True)
class NewMessage:
    # Whose data it carries: /forget deletes the row with the user.
    user_id: int
    kind: MessageKind
    payload: Mapping[str, Any]
    dedup_key: str | None = None
    chat_id: int | None = None  # None: the user's own chat


@dataclass(frozen=True, slots=True)
class SentRow:
    """A row whose call Telegram carried out: recorded with others in one transaction."""

    row_id: int
    message_id: int | None
    sent_at: datetime


Result = TypeVar("Result")

# The language is the recipient's (a group chat has none: the default).
_ROW_COLUMNS = (
    "o.id, o.user_id, o.kind, o.run_id, o.attempts, o.uncertain, o.message_id, o.payload, "
    "COALESCE(o.chat_id, o.user_id) AS chat_id, "
    "COALESCE(u.language, u.inferred_language) AS language"
)
_ROWS_FROM = "FROM outbox o LEFT JOIN users u ON u.id = COALESCE(o.chat_id, o.user_id)"


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
        chat_id=row["chat_id"],
    )


async def _insert(
    conn: aiosqlite.Connection,
    message: NewMessage,
    created_at: str,
    claimed_by: str | None = None,
) -> aiosqlite.Cursor:
    """One row, skipped when its `dedup_key` was used; with `claimed_by`, "sending" already."""
    return await conn.execute(
        "INSERT OR IGNORE INTO outbox (user_id, kind, payload, dedup_key, chat_id, status, "
        "claimed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            message.user_id,
            message.kind,
            json.dumps(dict(message.payload), ensure_ascii=False),
            message.dedup_key,
            message.chat_id,
            "pending" if claimed_by is None else "sending",
            claimed_by,
            created_at,
        ),
    )


async def enqueue(
    conn: aiosqlite.Connection, messages: Iterable[NewMessage], created_at: str
) -> int:
    """Queue messages inside the caller's transaction; a `dedup_key` already used is skipped.
    Returns how many were queued."""
    queued = 0
    for message in messages:
        queued += (await _insert(conn, message, created_at)).rowcount
    return queued


def _marks(ids: Sequence[int]) -> str:
    return ", ".join("?" * len(ids))


class OutboxRepository:
    """The sender's side of the outbox: read what is owed, claim, record the outcome."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _in_transaction(
        self, work: Callable[[aiosqlite.Connection], Awaitable[Result]], what: str
    ) -> Result:
        """`work` in one transaction, tried again while another process holds the write lock."""
        for attempt in range(_LOCKED_RETRIES):
            try:
                async with self._db.transaction() as conn:
                    return await work(conn)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == _LOCKED_RETRIES - 1:
                    raise
                logger.warning("Outbox %s waited for another writer; retrying", what)
                await asyncio.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable: the last attempt raises")

    async def _write(self, sql: str, params: tuple[object, ...]) -> int:
        async def run(conn: aiosqlite.Connection) -> int:
            async with conn.execute(sql, params) as cursor:
                return cursor.rowcount

        return await self._in_transaction(run, "write")

    async def pending_messages(
        self, limit: int = 500, kind: str | None = None, after_id: int = 0
    ) -> list[OutboxRow]:
        """Rows owed outside broadcast runs (notices, reminders), oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_ROW_COLUMNS} {_ROWS_FROM} "
            "WHERE o.status = 'pending' AND o.run_id IS NULL AND o.id > ? "
            "AND (? IS NULL OR o.kind = ?) ORDER BY o.id LIMIT ?",
            (after_id, kind, kind, limit),
        )
        return [outbox_row(row) for row in rows]

    async def pending_of_run(self, run_id: int) -> list[OutboxRow]:
        rows = await self._db.fetch_all(
            f"SELECT {_ROW_COLUMNS} {_ROWS_FROM} "
            "WHERE o.run_id = ? AND o.status = 'pending' ORDER BY o.id",
            (run_id,),
        )
        return [outbox_row(row) for row in rows]

    async def claim(self, rows: Sequence[OutboxRow], owner: str) -> set[int]:
        """Compare-and-set pending → sending for a few rows in one statement; the ids taken.
        A row missing from the answer was taken by another sender, sent, cancelled, or is gone
        (the user used /forget meanwhile)."""
        ids = [row.id for row in rows]

        async def claim(conn: aiosqlite.Connection) -> set[int]:
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
                f"claimed_by = ? WHERE id IN ({_marks(ids)}) AND status = 'pending' "
                "RETURNING id",
                (owner, *ids),
            )
            return {row[0] for row in await cursor.fetchall()}

        return await self._in_transaction(claim, "claim")

    async def release(self, ids: Sequence[int], owner: str) -> None:
        """Rows claimed but never called (a pause, a stop) go back to the queue as they were."""
        if ids:
            await self._write(
                "UPDATE outbox SET status = 'pending', attempts = attempts - 1, "
                f"claimed_by = NULL WHERE id IN ({_marks(ids)}) AND status = 'sending' "
                "AND claimed_by = ?",
                (*ids, owner),
            )

    async def enqueue_claimed(
        self, messages: Sequence[NewMessage], owner: str, now: datetime
    ) -> list[OutboxRow]:
        """Queue messages already claimed by `owner`, who sends them at once (a reply that
        says whether they arrived); a crash leaves them to the recovery like any claimed row."""
        async with self._db.transaction() as conn:
            ids = [
                int((await _insert(conn, message, _iso(now), owner)).lastrowid or 0)
                for message in messages
            ]
        rows = await self._db.fetch_all(
            f"SELECT {_ROW_COLUMNS} {_ROWS_FROM} WHERE o.id IN ({_marks(ids)}) ORDER BY o.id",
            ids,
        )
        return [outbox_row(row) for row in rows]

    async def mark_retry(self, row: OutboxRow, uncertain: bool) -> None:
        """A failed attempt, tried again later by the sender that holds the row."""
        await self._write(
            "UPDATE outbox SET attempts = attempts + 1, uncertain = MAX(uncertain, ?) "
            "WHERE id = ?",
            (int(uncertain), row.id),
        )

    async def mark_sent(self, sent: Sequence[SentRow]) -> None:
        """Rows Telegram carried out, in one transaction (one commit for many, not one a row)."""
        params = [(row.message_id, _iso(row.sent_at), row.row_id) for row in sent]

        async def mark(conn: aiosqlite.Connection) -> None:
            await conn.executemany(
                "UPDATE outbox SET status = 'sent', message_id = COALESCE(?, message_id), "
                "sent_at = ? WHERE id = ?",
                params,
            )

        if params:
            await self._in_transaction(mark, "record")

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
        chat = row.chat  # who blocked: the recipient (a ticket's row may go to a staff chat)
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE outbox SET status = 'blocked' WHERE id = ?", (row.id,))
            await conn.execute(
                "UPDATE outbox SET status = 'blocked' "
                "WHERE COALESCE(chat_id, user_id) = ? AND status = 'pending'",
                (chat,),
            )
            await conn.execute("DELETE FROM subscriptions WHERE user_id = ?", (chat,))
            await conn.execute("DELETE FROM mobile_subscriptions WHERE user_id = ?", (chat,))
            await conn.execute("UPDATE ivf_queue_links SET notify = 0 WHERE user_id = ?", (chat,))

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
