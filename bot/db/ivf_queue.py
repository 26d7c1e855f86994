"""IVF waiting lists (hashes only), look-up links, attempts and notifications owed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import aiosqlite

from bot.db.database import Repository, columns_of, record_from_row
from bot.db.outbox import MessageKind, NewMessage, OutboxRepository, enqueue

T = TypeVar("T")
# The longest any look-up limit looks back (the pause after failures is at most an hour, the
# hourly limit an hour): attempts older than a day are deleted.
ATTEMPT_MEMORY = 86_400


@dataclass(frozen=True, slots=True)
class Attempt:
    at: float  # Unix time
    found: bool | None  # None: the look-up is still running


@dataclass(frozen=True, slots=True)
class NewQueueEntry:
    iin_hash: bytes
    phone_hash: bytes
    region_code: str
    position: int
    status: str
    list_date: date


@dataclass(frozen=True, slots=True)
class QueueEntry:
    region_code: str
    position: int
    status: str
    list_date: date


@dataclass(frozen=True, slots=True)
class QueueLink:
    """What the user saw at their last look-up of one region's list."""

    region_code: str
    last_position: int
    last_status: str
    last_lookup_at: datetime
    notify: bool


@dataclass(frozen=True, slots=True)
class QueueNotice:
    """A change of a subscriber's record found by an import, still to be sent."""

    id: int
    user_id: int
    region_code: str
    old_position: int | None
    old_status: str | None
    new_position: int | None
    new_status: str | None
    list_date: date | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class IvfQueueRepository(Repository):
    # Lists ----------------------------------------------------------------------------------
    async def replace_lists(
        self, entries: Sequence[NewQueueEntry], region_codes: Iterable[str]
    ) -> int:
        """Replace the lists of `region_codes` with `entries` in ONE transaction.

        Subscribers whose record changed get a notification row in the same transaction, so a
        failed import changes nothing at all. Returns the number of notifications queued.
        """
        codes = sorted(set(region_codes))
        now = _now()
        queued = 0
        async with self._db.transaction() as conn:
            for code in codes:
                before = await self._subscribed_records(conn, code)
                await conn.execute("DELETE FROM ivf_queue_entries WHERE region_code = ?", (code,))
                region_entries = [entry for entry in entries if entry.region_code == code]
                await conn.execute(
                    "INSERT INTO ivf_queue_lists (region_code, imported_at, row_count) "
                    "VALUES (?, ?, ?) ON CONFLICT(region_code) DO UPDATE SET "
                    "imported_at = excluded.imported_at, row_count = excluded.row_count",
                    (code, now, len(region_entries)),
                )
                await conn.executemany(
                    "INSERT INTO ivf_queue_entries "
                    "(iin_hash, region_code, phone_hash, position, status, list_date) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        (
                            e.iin_hash,
                            code,
                            e.phone_hash,
                            e.position,
                            e.status,
                            e.list_date.isoformat(),
                        )
                        for e in region_entries
                    ),
                )
                after = await self._subscribed_records(conn, code)
                queued += await self._queue_notices(conn, code, before, after, now)
        return queued

    @staticmethod
    async def _subscribed_records(
        conn: aiosqlite.Connection, region_code: str
    ) -> dict[int, tuple[int | None, str | None, str | None]]:
        """Each subscriber's (position, status, list date) in the region's list right now."""
        async with conn.execute(
            "SELECT l.user_id, e.position, e.status, e.list_date FROM ivf_queue_links l "
            "LEFT JOIN ivf_queue_entries e ON e.iin_hash = l.iin_hash "
            "AND e.region_code = l.region_code AND e.phone_hash = l.phone_hash "
            "WHERE l.region_code = ? AND l.notify = 1",
            (region_code,),
        ) as cursor:
            rows = await cursor.fetchall()
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    @staticmethod
    async def _queue_notices(
        conn: aiosqlite.Connection,
        region_code: str,
        before: dict[int, tuple[int | None, str | None, str | None]],
        after: dict[int, tuple[int | None, str | None, str | None]],
        now: str,
    ) -> int:
        # Rendered in the subscriber's language when the one sender sends it.
        changed = [
            NewMessage(
                user_id=user_id,
                kind=MessageKind.QUEUE_CHANGE,
                payload={
                    "region_code": region_code,
                    "old_position": before[user_id][0],
                    "old_status": before[user_id][1],
                    "new_position": new[0],
                    "new_status": new[1],
                    "list_date": new[2],
                },
            )
            for user_id, new in after.items()
            if user_id in before and before[user_id][:2] != new[:2]
        ]
        return await enqueue(conn, changed, now)

    async def find(self, iin_hash: bytes, phone_hash: bytes) -> list[QueueEntry]:
        rows = await self._db.fetch_all(
            f"SELECT {columns_of(QueueEntry)} FROM ivf_queue_entries "
            "WHERE iin_hash = ? AND phone_hash = ? ORDER BY region_code",
            (iin_hash, phone_hash),
        )
        return [record_from_row(QueueEntry, row, list_date=date.fromisoformat) for row in rows]

    async def count_entries(self, region_code: str | None = None) -> int:
        if region_code is None:
            row = await self._db.fetch_one("SELECT COUNT(*) FROM ivf_queue_entries")
        else:
            row = await self._db.fetch_one(
                "SELECT COUNT(*) FROM ivf_queue_entries WHERE region_code = ?", (region_code,)
            )
        return int(row[0]) if row else 0

    # Links ----------------------------------------------------------------------------------
    async def links(self, user_id: int) -> dict[str, QueueLink]:
        rows = await self._db.fetch_all(
            f"SELECT {columns_of(QueueLink)} FROM ivf_queue_links WHERE user_id = ?", (user_id,)
        )
        links = (
            record_from_row(QueueLink, row, last_lookup_at=datetime.fromisoformat, notify=bool)
            for row in rows
        )
        return {link.region_code: link for link in links}

    async def save_links(
        self, user_id: int, iin_hash: bytes, phone_hash: bytes, entries: Sequence[QueueEntry]
    ) -> None:
        """Remember what the user saw now; a look-up with another IIN replaces the old links."""
        now = _now()
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM ivf_queue_links WHERE user_id = ? AND iin_hash <> ?",
                (user_id, iin_hash),
            )
            await conn.executemany(
                "INSERT INTO ivf_queue_links (user_id, region_code, iin_hash, phone_hash, "
                "last_position, last_status, last_lookup_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(user_id, region_code) DO UPDATE SET iin_hash = excluded.iin_hash, "
                "phone_hash = excluded.phone_hash, last_position = excluded.last_position, "
                "last_status = excluded.last_status, last_lookup_at = excluded.last_lookup_at",
                [
                    (user_id, e.region_code, iin_hash, phone_hash, e.position, e.status, now)
                    for e in entries
                ],
            )

    async def set_notify(self, user_id: int, notify: bool) -> int:
        """Turn change messages on or off for all the user's links; returns how many."""
        return await self._db.execute(
            "UPDATE ivf_queue_links SET notify = ? WHERE user_id = ?", (int(notify), user_id)
        )

    # Attempts -------------------------------------------------------------------------------
    # Kept apart from personal data (no cascade from users): /forget must not reset the limit.
    async def reserve_attempt(
        self, user_id: int, at: float, refusal: Callable[[list[Attempt]], T | None]
    ) -> tuple[int | None, T | None]:
        """Check the limit and record an attempt in one step: (attempt id, None) when allowed,
        (None, refusal) when not. `refusal` judges the user's attempts of the last day.

        One transaction (BEGIN IMMEDIATE, writers take turns): two IINs sent at the same moment
        cannot both pass a check made before either was recorded.
        """
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT attempted_at, found FROM queue_lookup_attempts "
                "WHERE user_id = ? AND attempted_at >= ? ORDER BY attempted_at, rowid",
                (user_id, at - ATTEMPT_MEMORY),
            ) as cursor:
                attempts = [
                    Attempt(float(row[0]), None if row[1] is None else bool(row[1]))
                    for row in await cursor.fetchall()
                ]
            refused = refusal(attempts)
            if refused is not None:
                return None, refused
            async with conn.execute(
                "INSERT INTO queue_lookup_attempts (user_id, attempted_at, found) "
                "VALUES (?, ?, NULL)",
                (user_id, at),
            ) as cursor:
                return cursor.lastrowid, None

    async def finish_attempt(self, attempt_id: int, found: bool) -> None:
        await self._db.execute(
            "UPDATE queue_lookup_attempts SET found = ? WHERE rowid = ?", (int(found), attempt_id)
        )

    async def attempts_since(self, user_id: int, since: float) -> list[Attempt]:
        """The user's attempts after `since`, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT attempted_at, found FROM queue_lookup_attempts "
            "WHERE user_id = ? AND attempted_at >= ? ORDER BY attempted_at, rowid",
            (user_id, since),
        )
        return [
            Attempt(
                float(row["attempted_at"]), None if row["found"] is None else bool(row["found"])
            )
            for row in rows
        ]

    async def forget_attempts_before(self, before: float) -> int:
        """Drop attempts no limit looks at any more; returns how many."""
        return await self._db.execute(
            "DELETE FROM queue_lookup_attempts WHERE attempted_at < ?", (before,)
        )

    # Notifications --------------------------------------------------------------------------
    async def pending_notices(self, limit: int = 100) -> list[QueueNotice]:
        """Change messages still owed (the one sender sends them)."""
        rows = await OutboxRepository(self._db).pending_messages(limit, MessageKind.QUEUE_CHANGE)
        return [queue_notice(row.id, row.user_id, row.payload) for row in rows]


def queue_notice(notice_id: int, user_id: int, payload: Mapping[str, Any]) -> QueueNotice:
    """A queue-change row of the outbox, read back."""
    list_date = payload.get("list_date")
    return QueueNotice(
        id=notice_id,
        user_id=user_id,
        region_code=payload["region_code"],
        old_position=payload.get("old_position"),
        old_status=payload.get("old_status"),
        new_position=payload.get("new_position"),
        new_status=payload.get("new_status"),
        list_date=date.fromisoformat(list_date) if list_date else None,
    )
