"""Staff members added by administrators, each possibly limited to one region."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database, Repository


@dataclass(frozen=True, slots=True)
class StaffMember:
    user_id: int
    region_code: str | None
    added_by: int
    added_at: datetime


class StaffRepository(Repository):
    """Reads and writes `staff_members`; a small cache keeps the staff filter query-free."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._cache: dict[int, StaffMember] | None = None

    async def get(self, user_id: int) -> StaffMember | None:
        return (await self._members()).get(user_id)

    async def all(self) -> list[StaffMember]:
        return sorted((await self._members()).values(), key=lambda member: member.added_at)

    async def add(
        self, user_id: int, region_code: str | None, added_by: int, now: datetime
    ) -> None:
        """Add a member or change their region."""
        await self._db.execute(
            "INSERT INTO staff_members (user_id, region_code, added_by, added_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
            "region_code = excluded.region_code",
            (user_id, region_code, added_by, now.isoformat(timespec="seconds")),
        )
        self._cache = None

    async def remove(self, user_id: int) -> bool:
        removed = await self._db.execute("DELETE FROM staff_members WHERE user_id = ?", (user_id,))
        self._cache = None
        return removed > 0

    async def _members(self) -> dict[int, StaffMember]:
        if self._cache is None:
            rows = await self._db.fetch_all(
                "SELECT user_id, region_code, added_by, added_at FROM staff_members"
            )
            self._cache = {
                row["user_id"]: StaffMember(
                    user_id=row["user_id"],
                    region_code=row["region_code"],
                    added_by=row["added_by"],
                    added_at=datetime.fromisoformat(row["added_at"]),
                )
                for row in rows
            }
        return self._cache
