"""Mobile-clinic visits, subscriptions and the outbox of reminders: all their SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.db.database import Database

_VISIT_COLUMNS = (
    "id, region_code, settlement_code, vehicle, operator, starts_on, ends_on, opens_at, "
    "closes_at, services, source, status"
)


@dataclass(frozen=True, slots=True)
class VisitFields:
    region_code: str
    settlement_code: str
    vehicle: str
    operator: str
    starts_on: str
    ends_on: str
    opens_at: str | None
    closes_at: str | None
    services: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class VisitRecord:
    id: int
    fields: VisitFields
    status: str


@dataclass(frozen=True, slots=True)
class Notice:
    visit_id: int
    kind: str  # rescheduled | cancelled
    starts_on: str
    old_starts_on: str | None
    settlement_code: str


@dataclass(frozen=True, slots=True)
class ImportChanges:
    """One import, applied whole: rows kept or moved (`updates`), new rows, cancelled ids."""

    region_codes: tuple[str, ...]
    source: str
    updates: Sequence[tuple[int, VisitFields]]
    inserts: Sequence[VisitFields]
    cancels: Sequence[int]
    notices: Sequence[Notice]
    rows: int


@dataclass(frozen=True, slots=True)
class OutboxItem:
    user_id: int
    kind: str
    starts_on: str
    old_starts_on: str | None
    language: str | None
    visit: VisitRecord


def _visit(row: aiosqlite.Row) -> VisitRecord:
    fields = VisitFields(
        region_code=row["region_code"],
        settlement_code=row["settlement_code"],
        vehicle=row["vehicle"],
        operator=row["operator"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        opens_at=row["opens_at"],
        closes_at=row["closes_at"],
        services=tuple(filter(None, row["services"].split("|"))),
        source=row["source"],
    )
    return VisitRecord(id=row["id"], fields=fields, status=row["status"])


def _values(fields: VisitFields) -> tuple[object, ...]:
    return (
        fields.region_code,
        fields.settlement_code,
        fields.vehicle,
        fields.operator,
        fields.starts_on,
        fields.ends_on,
        fields.opens_at,
        fields.closes_at,
        "|".join(fields.services),
        fields.source,
    )


class MobileClinicRepository:
    """Reads and writes mobile_visits, mobile_subscriptions, mobile_outbox, mobile_imports."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # Visits ------------------------------------------------------------------------------
    async def visits_at(self, settlement_codes: Sequence[str]) -> list[VisitRecord]:
        if not settlement_codes:
            return []
        marks = ", ".join("?" for _ in settlement_codes)
        rows = await self._db.fetch_all(
            f"SELECT {_VISIT_COLUMNS} FROM mobile_visits WHERE settlement_code IN ({marks}) "
            "ORDER BY starts_on, id",
            settlement_codes,
        )
        return [_visit(row) for row in rows]

    async def visits_in_regions(self, region_codes: Sequence[str]) -> list[VisitRecord]:
        marks = ", ".join("?" for _ in region_codes)
        rows = await self._db.fetch_all(
            f"SELECT {_VISIT_COLUMNS} FROM mobile_visits WHERE region_code IN ({marks}) "
            "ORDER BY starts_on, id",
            region_codes,
        )
        return [_visit(row) for row in rows]

    async def imported_regions(self) -> set[str]:
        rows = await self._db.fetch_all("SELECT region_code FROM mobile_imports")
        return {row["region_code"] for row in rows}

    async def apply_import(self, changes: ImportChanges, now: str) -> None:
        """Write a whole import, and the notices to subscribers, in one transaction."""
        insert_visit = (
            "INSERT INTO mobile_visits (region_code, settlement_code, vehicle, operator, "
            "starts_on, ends_on, opens_at, closes_at, services, source, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        async with self._db.transaction() as conn:
            for visit_id, fields in changes.updates:
                await conn.execute(
                    "UPDATE mobile_visits SET region_code = ?, settlement_code = ?, vehicle = ?, "
                    "operator = ?, starts_on = ?, ends_on = ?, opens_at = ?, closes_at = ?, "
                    "services = ?, source = ?, imported_at = ?, status = 'planned' WHERE id = ?",
                    (*_values(fields), now, visit_id),
                )
            await conn.executemany(
                insert_visit, [(*_values(fields), now) for fields in changes.inserts]
            )
            await conn.executemany(
                "UPDATE mobile_visits SET status = 'cancelled', imported_at = ? WHERE id = ?",
                [(now, visit_id) for visit_id in changes.cancels],
            )
            for notice in changes.notices:
                await conn.execute(
                    "INSERT OR IGNORE INTO mobile_outbox "
                    "(user_id, visit_id, kind, starts_on, old_starts_on, queued_at) "
                    "SELECT user_id, ?, ?, ?, ?, ? FROM mobile_subscriptions "
                    "WHERE settlement_code = ?",
                    (
                        notice.visit_id,
                        notice.kind,
                        notice.starts_on,
                        notice.old_starts_on,
                        now,
                        notice.settlement_code,
                    ),
                )
            await conn.executemany(
                "INSERT INTO mobile_imports (region_code, imported_at, source, rows) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(region_code) DO UPDATE SET "
                "imported_at = excluded.imported_at, source = excluded.source, "
                "rows = excluded.rows",
                [(code, now, changes.source, changes.rows) for code in changes.region_codes],
            )

    # Subscriptions -----------------------------------------------------------------------
    async def subscribe(self, user_id: int, settlement_code: str, now: str) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO mobile_subscriptions (user_id, settlement_code, created_at) "
            "VALUES (?, ?, ?)",
            (user_id, settlement_code, now),
        )

    async def unsubscribe(self, user_id: int, settlement_code: str) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM mobile_subscriptions WHERE user_id = ? AND settlement_code = ?",
                (user_id, settlement_code),
            )
            removed = cursor.rowcount > 0
            # Reminders already queued for that settlement are no longer wanted.
            await conn.execute(
                "UPDATE mobile_outbox SET outcome = 'skipped' WHERE user_id = ? "
                "AND outcome IS NULL AND visit_id IN "
                "(SELECT id FROM mobile_visits WHERE settlement_code = ?)",
                (user_id, settlement_code),
            )
        return removed

    async def unsubscribe_everywhere(self, user_id: int, now: str) -> None:
        """The user blocked the bot: no subscriptions, nothing left to send."""
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM mobile_subscriptions WHERE user_id = ?", (user_id,))
            await conn.execute(
                "UPDATE mobile_outbox SET outcome = 'blocked', done_at = ? "
                "WHERE user_id = ? AND outcome IS NULL",
                (now, user_id),
            )

    async def subscriptions(self, user_id: int) -> list[str]:
        rows = await self._db.fetch_all(
            "SELECT settlement_code FROM mobile_subscriptions WHERE user_id = ? "
            "ORDER BY created_at, settlement_code",
            (user_id,),
        )
        return [row["settlement_code"] for row in rows]

    # Outbox ------------------------------------------------------------------------------
    async def queue_reminders(self, starts_on: str, now: str) -> int:
        """Queue the day-before reminder of every planned visit starting on `starts_on`."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO mobile_outbox "
                "(user_id, visit_id, kind, starts_on, queued_at) "
                "SELECT s.user_id, v.id, 'reminder', v.starts_on, ? "
                "FROM mobile_visits AS v "
                "JOIN mobile_subscriptions AS s ON s.settlement_code = v.settlement_code "
                "WHERE v.starts_on = ? AND v.status = 'planned'",
                (now, starts_on),
            )
            return cursor.rowcount

    async def pending(self, limit: int) -> list[OutboxItem]:
        """The oldest pending messages; each visit is read once however many share it."""
        rows = await self._db.fetch_all(
            "SELECT o.user_id, o.visit_id, o.kind, o.starts_on, o.old_starts_on, "
            "COALESCE(u.language, u.inferred_language) AS language "
            "FROM mobile_outbox AS o JOIN users AS u ON u.id = o.user_id "
            "WHERE o.outcome IS NULL ORDER BY o.queued_at, o.user_id LIMIT ?",
            (limit,),
        )
        visit_ids = sorted({row["visit_id"] for row in rows})
        visits: dict[int, VisitRecord] = {}
        for start in range(0, len(visit_ids), 500):  # SQLite's limit on bound parameters
            chunk = visit_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for visit_row in await self._db.fetch_all(
                f"SELECT {_VISIT_COLUMNS} FROM mobile_visits WHERE id IN ({marks})", chunk
            ):
                visits[visit_row["id"]] = _visit(visit_row)
        return [
            OutboxItem(
                user_id=row["user_id"],
                kind=row["kind"],
                starts_on=row["starts_on"],
                old_starts_on=row["old_starts_on"],
                language=row["language"],
                visit=visits[row["visit_id"]],
            )
            for row in rows
        ]

    async def finish(self, item: OutboxItem, outcome: str, now: str) -> None:
        await self._db.execute(
            "UPDATE mobile_outbox SET outcome = ?, done_at = ? "
            "WHERE user_id = ? AND visit_id = ? AND kind = ? AND starts_on = ?",
            (outcome, now, item.user_id, item.visit.id, item.kind, item.starts_on),
        )
