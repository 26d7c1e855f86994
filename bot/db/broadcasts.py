"""Broadcasts and their runs (send, edit, retraction); their messages are rows of the one
outbox (`bot/db/outbox.py`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.db.database import Repository, columns_of, record_from_row
from bot.db.outbox import MessageKind, OutboxRepository, OutboxRow
from bot.db.subscriptions import Recipient


@dataclass(frozen=True, slots=True)
class BroadcastRecord:
    id: int
    author_id: int
    text_kk: str
    text_ru: str
    media_kind: str | None
    media_file_id: str | None
    topic: str
    region_code: str | None
    language: str | None
    created_at: datetime

    def text(self, language: str) -> str:
        return self.text_kk if language == "kk" else self.text_ru


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: int
    broadcast_id: int
    action: str
    requested_by: int
    report_chat_id: int
    progress_message_id: int | None
    status: str
    text_kk: str | None
    text_ru: str | None
    recipients: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    busy_seconds: float
    throttled: int
    delivered: int = 0
    blocked: int = 0
    failed: int = 0
    cancelled: int = 0
    possible_duplicates: int = 0


@dataclass(frozen=True, slots=True)
class RunCounts:
    total: int
    delivered: int
    blocked: int
    failed: int
    cancelled: int
    pending: int
    possible_duplicates: int

    @property
    def left(self) -> int:
        return self.pending


_RUN_COLUMNS = columns_of(RunRecord)
_BROADCAST_COLUMNS = columns_of(BroadcastRecord)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _run(row: aiosqlite.Row) -> RunRecord:
    return record_from_row(
        RunRecord, row, created_at=datetime.fromisoformat, started_at=_parse, finished_at=_parse
    )


def _broadcast(row: aiosqlite.Row) -> BroadcastRecord:
    return record_from_row(BroadcastRecord, row, created_at=datetime.fromisoformat)


async def _claimed(conn: aiosqlite.Connection, claim: str) -> bool:
    async with conn.execute("SELECT 1 FROM broadcast_runs WHERE claim = ?", (claim,)) as cursor:
        return await cursor.fetchone() is not None


class BroadcastRepository(Repository):
    """All SQL of broadcasts and their runs; the rows' own states are `OutboxRepository`'s."""

    # Composing --------------------------------------------------------------------------
    async def create(
        self,
        *,
        author_id: int,
        report_chat_id: int,
        text_kk: str,
        text_ru: str,
        media_kind: str | None,
        media_file_id: str | None,
        topic: str,
        region_code: str | None,
        language: str | None,
        recipients: Sequence[Recipient],
        now: datetime,
        claim: str,
    ) -> int | None:
        """Write the broadcast, its send run and one outbox row per recipient, all or nothing;
        None when a run with this `claim` exists already (the same draft, sent twice)."""
        async with self._db.transaction() as conn:
            if await _claimed(conn, claim):
                return None
            cursor = await conn.execute(
                "INSERT INTO broadcasts (author_id, text_kk, text_ru, media_kind, media_file_id, "
                "topic, region_code, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    author_id,
                    text_kk,
                    text_ru,
                    media_kind,
                    media_file_id,
                    topic,
                    region_code,
                    language,
                    _iso(now),
                ),
            )
            broadcast_id = cursor.lastrowid
            cursor = await conn.execute(
                "INSERT INTO broadcast_runs (broadcast_id, action, requested_by, report_chat_id, "
                "recipients, created_at, claim) VALUES (?, 'send', ?, ?, ?, ?, ?)",
                (broadcast_id, author_id, report_chat_id, len(recipients), _iso(now), claim),
            )
            run_id = cursor.lastrowid
            # The text is chosen by the recipient's language when sent, not now.
            await conn.executemany(
                "INSERT INTO outbox (user_id, kind, run_id, created_at) VALUES (?, ?, ?, ?)",
                [(r.user_id, MessageKind.BROADCAST, run_id, _iso(now)) for r in recipients],
            )
        assert run_id is not None
        return run_id

    async def create_followup(
        self,
        *,
        broadcast_id: int,
        action: str,
        requested_by: int,
        report_chat_id: int,
        text_kk: str | None,
        text_ru: str | None,
        sent_after: datetime,
        now: datetime,
        claim: str,
    ) -> tuple[int, int] | None:
        """Queue an edit or a retraction of every message the broadcast delivered since
        `sent_after`; returns (run id, number of messages). None, with nothing written, when
        the claim is taken, another run of the broadcast is not over, or it was retracted."""
        async with self._db.transaction() as conn:
            if await _claimed(conn, claim):
                return None
            async with conn.execute(
                "SELECT 1 FROM broadcast_runs WHERE broadcast_id = ? AND "
                "(status IN ('queued', 'running', 'paused') "
                "OR (action = 'delete' AND status != 'cancelled'))",
                (broadcast_id,),
            ) as cursor:
                if await cursor.fetchone() is not None:
                    return None
            cursor = await conn.execute(
                "INSERT INTO broadcast_runs (broadcast_id, action, requested_by, report_chat_id, "
                "text_kk, text_ru, recipients, created_at, claim) "
                "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (
                    broadcast_id,
                    action,
                    requested_by,
                    report_chat_id,
                    text_kk,
                    text_ru,
                    _iso(now),
                    claim,
                ),
            )
            run_id = cursor.lastrowid
            cursor = await conn.execute(
                "INSERT INTO outbox (user_id, kind, run_id, message_id, created_at) "
                "SELECT o.user_id, ?, ?, o.message_id, ? FROM outbox o "
                "JOIN broadcast_runs r ON r.id = o.run_id "
                "WHERE r.broadcast_id = ? AND r.action = 'send' AND o.status = 'sent' "
                "AND o.message_id IS NOT NULL AND o.sent_at >= ?",
                (MessageKind.BROADCAST, run_id, _iso(now), broadcast_id, _iso(sent_after)),
            )
            count = cursor.rowcount
            await conn.execute(
                "UPDATE broadcast_runs SET recipients = ? WHERE id = ?", (count, run_id)
            )
        assert run_id is not None
        return run_id, count

    async def apply_correction(self, run_id: int) -> None:
        """The corrected text becomes the broadcast's text once the edit reached someone: the
        audit and later corrections must show what recipients have, not what was asked for."""
        await self._db.execute(
            "UPDATE broadcasts SET (text_kk, text_ru) = "
            "(SELECT text_kk, text_ru FROM broadcast_runs WHERE id = ?1) "
            "WHERE id = (SELECT broadcast_id FROM broadcast_runs WHERE id = ?1 "
            "AND action = 'edit' AND delivered > 0)",
            (run_id,),
        )

    async def is_retracted(self, broadcast_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM broadcast_runs WHERE broadcast_id = ? AND action = 'delete' "
            "AND status != 'cancelled'",
            (broadcast_id,),
        )
        return row is not None

    # Reading ----------------------------------------------------------------------------
    async def get_broadcast(self, broadcast_id: int) -> BroadcastRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return _broadcast(row) if row else None

    async def get_run(self, run_id: int) -> RunRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_RUN_COLUMNS} FROM broadcast_runs WHERE id = ?", (run_id,)
        )
        return _run(row) if row else None

    async def runs_of(self, broadcast_id: int) -> list[RunRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_RUN_COLUMNS} FROM broadcast_runs WHERE broadcast_id = ? ORDER BY id",
            (broadcast_id,),
        )
        return [_run(row) for row in rows]

    async def recent(self, limit: int, region_code: str | None = None) -> list[BroadcastRecord]:
        """The latest broadcasts; with `region_code`, only those sent to that region."""
        rows = await self._db.fetch_all(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts "
            "WHERE ? IS NULL OR region_code = ? ORDER BY id DESC LIMIT ?",
            (region_code, region_code, limit),
        )
        return [_broadcast(row) for row in rows]

    async def next_run(self) -> RunRecord | None:
        """The run to work on: one interrupted by a restart first, then the oldest queued."""
        row = await self._db.fetch_one(
            f"SELECT {_RUN_COLUMNS} FROM broadcast_runs WHERE status IN ('running', 'queued') "
            "ORDER BY status = 'queued', id LIMIT 1"
        )
        return _run(row) if row else None

    async def take_next_run(self, owner: str, is_alive: Callable[[str], bool]) -> RunRecord | None:
        """Like `next_run`, claimed for the sender `owner` (compare-and-set): a run another
        live sender works on is skipped, one whose sender is gone is taken over."""
        rows = await self._db.fetch_all(
            f"SELECT {_RUN_COLUMNS}, sender FROM broadcast_runs "
            "WHERE status IN ('running', 'queued') ORDER BY status = 'queued', id"
        )
        for row in rows:
            holder = row["sender"]
            if holder not in (None, owner) and is_alive(holder):
                continue
            changed = await self._db.execute(
                "UPDATE broadcast_runs SET sender = ? WHERE id = ? AND sender IS ?",
                (owner, row["id"], holder),
            )
            if changed:
                return _run(row)
        return None

    async def pending(self, run_id: int) -> list[OutboxRow]:
        return await OutboxRepository(self._db).pending_of_run(run_id)

    async def counts(self, run_id: int) -> RunCounts:
        rows = await self._db.fetch_all(
            "SELECT status, COUNT(*) AS n, SUM(uncertain) AS unsure "
            "FROM outbox WHERE run_id = ? GROUP BY status",
            (run_id,),
        )
        by_status = {row["status"]: row["n"] for row in rows}
        unsure = {row["status"]: row["unsure"] or 0 for row in rows}
        return RunCounts(
            total=sum(by_status.values()),
            delivered=by_status.get("sent", 0),
            blocked=by_status.get("blocked", 0),
            failed=by_status.get("failed", 0),
            cancelled=by_status.get("cancelled", 0),
            pending=by_status.get("pending", 0) + by_status.get("sending", 0),
            possible_duplicates=unsure.get("sent", 0),
        )

    # Sender state -----------------------------------------------------------------------
    async def set_status(
        self,
        run_id: int,
        status: str,
        *,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
    ) -> None:
        await self._db.execute(
            "UPDATE broadcast_runs SET status = ?, started_at = COALESCE(started_at, ?), "
            "finished_at = COALESCE(?, finished_at), "
            # A stopped run frees its claim: a stopped retraction may be asked for again.
            "claim = CASE WHEN ? = 'cancelled' THEN NULL ELSE claim END WHERE id = ?",
            (
                status,
                _iso(started_at) if started_at else None,
                _iso(finished_at) if finished_at else None,
                status,
                run_id,
            ),
        )

    async def change_status(self, run_id: int, expected: Sequence[str], status: str) -> bool:
        """Compare-and-set for the pause/resume/cancel buttons; False when it was not allowed."""
        marks = ", ".join("?" for _ in expected)
        changed = await self._db.execute(
            f"UPDATE broadcast_runs SET status = ? WHERE id = ? AND status IN ({marks})",
            (status, run_id, *expected),
        )
        return changed > 0

    async def set_progress_message(self, run_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE broadcast_runs SET progress_message_id = ? WHERE id = ?", (message_id, run_id)
        )

    async def add_activity(self, run_id: int, busy_seconds: float, throttled: int) -> None:
        await self._db.execute(
            "UPDATE broadcast_runs SET busy_seconds = busy_seconds + ?, "
            "throttled = throttled + ? WHERE id = ?",
            (busy_seconds, throttled, run_id),
        )

    async def store_counts(self, run_id: int, counts: RunCounts) -> None:
        await self._db.execute(
            "UPDATE broadcast_runs SET delivered = ?, blocked = ?, failed = ?, cancelled = ?, "
            "possible_duplicates = ? WHERE id = ?",
            (
                counts.delivered,
                counts.blocked,
                counts.failed,
                counts.cancelled,
                counts.possible_duplicates,
                run_id,
            ),
        )

    async def cancel_pending(self, run_id: int) -> int:
        return await self._db.execute(
            "UPDATE outbox SET status = 'cancelled' WHERE run_id = ? AND status = 'pending'",
            (run_id,),
        )
