"""Counts for the staff's /stats: who uses the bot, by language and by region."""

from __future__ import annotations

from bot.db.database import Repository


class StatsRepository(Repository):
    async def users_by_language(
        self, default_language: str, region_code: str | None = None
    ) -> dict[str, int]:
        """Users per language; with `region_code`, only those who chose that region."""
        rows = await self._db.fetch_all(
            "SELECT COALESCE(language, inferred_language, ?) AS lang, COUNT(*) AS n "
            "FROM users WHERE ? IS NULL OR region_code = ? GROUP BY lang",
            (default_language, region_code, region_code),
        )
        return {row["lang"]: row["n"] for row in rows}

    async def users_by_region(self, region_code: str | None = None) -> dict[str | None, int]:
        """Users per region code; None for those who have not named one. With `region_code`,
        that region alone."""
        rows = await self._db.fetch_all(
            "SELECT region_code, COUNT(*) AS n FROM users WHERE ? IS NULL OR region_code = ? "
            "GROUP BY region_code ORDER BY n DESC",
            (region_code, region_code),
        )
        return {row["region_code"]: row["n"] for row in rows}
