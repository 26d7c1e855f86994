"""Users: the chosen language and when they were first and last seen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from bot.db.database import Database, Repository, columns_of, record_from_row


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    language: str | None
    inferred_language: str | None
    region_code: str | None
    first_seen: date
    last_seen: date


_USER_COLUMNS = columns_of(UserRecord)


def _today() -> date:
    return datetime.now(UTC).date()


class UserRepository(Repository):
    """Reads and writes the users table. Keeps a small cache so an update costs no extra query."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._cache: dict[int, UserRecord] = {}

    async def get(self, user_id: int) -> UserRecord | None:
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        row = await self._db.fetch_one(
            f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,)
        )
        if row is None:
            return None
        record = record_from_row(
            UserRecord, row, first_seen=date.fromisoformat, last_seen=date.fromisoformat
        )
        self._remember(record)
        return record

    async def touch(self, user_id: int) -> UserRecord:
        """Return the user, creating them on first contact; last_seen moves at most once a day."""
        today = _today()
        record = await self.get(user_id)
        if record is not None and record.last_seen >= today:
            return record
        await self._db.execute(
            "INSERT INTO users (id, first_seen, last_seen) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen",
            (user_id, today.isoformat(), today.isoformat()),
        )
        self._cache.pop(user_id, None)
        fresh = await self.get(user_id)
        assert fresh is not None
        return fresh

    async def set_language(self, user_id: int, language: str) -> None:
        await self.touch(user_id)
        await self._db.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))
        self._write_through(user_id, lambda user: replace(user, language=language))

    async def set_inferred_language(self, user_id: int, language: str) -> None:
        await self._db.execute(
            "UPDATE users SET inferred_language = ? WHERE id = ?", (language, user_id)
        )
        self._write_through(user_id, lambda user: replace(user, inferred_language=language))

    async def set_region(self, user_id: int, region_code: str | None) -> None:
        await self.touch(user_id)
        await self._db.execute(
            "UPDATE users SET region_code = ? WHERE id = ?", (region_code, user_id)
        )
        self._write_through(user_id, lambda user: replace(user, region_code=region_code))

    async def delete(self, user_id: int) -> None:
        """Delete the user and, through foreign keys, everything kept about them."""
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM fsm_state WHERE user_id = ?", (user_id,))
            await conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
        self._cache.pop(user_id, None)

    async def count_by_language(self) -> dict[str | None, int]:
        rows = await self._db.fetch_all(
            "SELECT COALESCE(language, inferred_language) AS lang, COUNT(*) AS n "
            "FROM users GROUP BY lang"
        )
        return {row["lang"]: row["n"] for row in rows}

    def _write_through(self, user_id: int, change: Callable[[UserRecord], UserRecord]) -> None:
        # The next update of this user needs no query. Applied to the entry cached now, not to
        # one read before the write: two changes of one user at once both stay. aiosqlite runs
        # statements in order, so a read begun before the write is remembered before this.
        cached = self._cache.get(user_id)
        if cached is not None:
            self._cache[user_id] = change(cached)

    def _remember(self, record: UserRecord) -> None:
        # Bounded: a burst of new users must not grow memory without limit.
        if len(self._cache) >= 10_000:
            self._cache.clear()
        self._cache[record.id] = record
