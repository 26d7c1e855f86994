"""Mobile-clinic visits and subscriptions: all their SQL. Reminders and visit notices are rows
of the one outbox (`bot/db/outbox.py`), queued here inside the same transactions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.db.database import Repository
from bot.db.outbox import MessageKind

# One message per subscriber, visit, kind and date, ever: a reminder is queued once.
_DEDUP_KEY = "'mobile:' || {user} || ':' || {visit} || ':' || {kind} || ':' || {starts_on}"
_PAYLOAD = (
    "json_object('visit_id', {visit}, 'kind', {kind}, 'starts_on', {starts_on}, "
    "'old_starts_on', {old_starts_on})"
)

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
class VisitMessage:
    """A reminder or a visit notice owed to one subscriber (an outbox row's content)."""

    user_id: int
    kind: str  # reminder | rescheduled | cancelled
    starts_on: str
    old_starts_on: str | None
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


class MobileClinicRepository(Repository):
    """Reads and writes mobile_visits, mobile_subscriptions, mobile_imports; queues outbox rows."""

    # Visits ------------------------------------------------------------------------------
    async def visits_at(self, settlement_codes: Sequence[str]) -> list[VisitRecord]:
        return await self._visits_where("settlement_code", settlement_codes)

    async def visits_in_regions(self, region_codes: Sequence[str]) -> list[VisitRecord]:
        return await self._visits_where("region_code", region_codes)

    async def _visits_where(self, column: str, codes: Sequence[str]) -> list[VisitRecord]:
        """The visits whose `column` is one of `codes`, earliest first."""
        if not codes:
            return []
        marks = ", ".join("?" for _ in codes)
        rows = await self._db.fetch_all(
            f"SELECT {_VISIT_COLUMNS} FROM mobile_visits WHERE {column} IN ({marks}) "
            "ORDER BY starts_on, id",
            codes,
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
                columns = {
                    "visit": "?1",
                    "kind": "?2",
                    "starts_on": "?3",
                    "old_starts_on": "?4",
                    "user": "user_id",
                }
                await conn.execute(
                    "INSERT OR IGNORE INTO outbox (user_id, kind, payload, dedup_key, "
                    f"created_at) SELECT user_id, ?6, {_PAYLOAD.format(**columns)}, "
                    f"{_DEDUP_KEY.format(**columns)}, ?5 FROM mobile_subscriptions "
                    "WHERE settlement_code = ?7",
                    (
                        notice.visit_id,
                        notice.kind,
                        notice.starts_on,
                        notice.old_starts_on,
                        now,
                        MessageKind.MOBILE_VISIT,
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
                "UPDATE outbox SET status = 'skipped' WHERE user_id = ? AND kind = ? "
                "AND status = 'pending' AND json_extract(payload, '$.visit_id') IN "
                "(SELECT id FROM mobile_visits WHERE settlement_code = ?)",
                (user_id, MessageKind.MOBILE_VISIT, settlement_code),
            )
        return removed

    async def subscriptions(self, user_id: int) -> list[str]:
        rows = await self._db.fetch_all(
            "SELECT settlement_code FROM mobile_subscriptions WHERE user_id = ? "
            "ORDER BY created_at, settlement_code",
            (user_id,),
        )
        return [row["settlement_code"] for row in rows]

    # Reminders -------------------------------------------------------------------------
    async def queue_reminders(self, starts_on: str, now: str) -> int:
        """Queue the day-before reminder of every planned visit starting on `starts_on`."""
        fields = {
            "visit": "v.id",
            "kind": "'reminder'",
            "starts_on": "v.starts_on",
            "old_starts_on": "NULL",
            "user": "s.user_id",
        }
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO outbox (user_id, kind, payload, dedup_key, created_at) "
                f"SELECT s.user_id, ?, {_PAYLOAD.format(**fields)}, "
                f"{_DEDUP_KEY.format(**fields)}, ? "
                "FROM mobile_visits AS v "
                "JOIN mobile_subscriptions AS s ON s.settlement_code = v.settlement_code "
                "WHERE v.starts_on = ? AND v.status = 'planned'",
                (MessageKind.MOBILE_VISIT, now, starts_on),
            )
            return cursor.rowcount

    async def visit(self, visit_id: int) -> VisitRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_VISIT_COLUMNS} FROM mobile_visits WHERE id = ?", (visit_id,)
        )
        return _visit(row) if row else None
