"""Counts for the staff's /stats: who uses the bot, by language and by region."""

from __future__ import annotations

from bot.db.database import Database


class StatsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def users_by_language(self, default_language: str) -> dict[str, int]:
        rows = await self._db.fetch_all(
            "SELECT COALESCE(language, inferred_language, ?) AS lang, COUNT(*) AS n "
            "FROM users GROUP BY lang",
            (default_language,),
        )
        return {row["lang"]: row["n"] for row in rows}

    async def users_by_region(self) -> dict[str | None, int]:
        """Users per region code; None for those who have not named one."""
        rows = await self._db.fetch_all(
            "SELECT region_code, COUNT(*) AS n FROM users GROUP BY region_code ORDER BY n DESC"
        )
        return {row["region_code"]: row["n"] for row in rows}
