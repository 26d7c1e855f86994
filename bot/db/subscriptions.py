"""Citizens' subscriptions to announcement topics, and who was already offered them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Repository


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    language: str


class SubscriptionRepository(Repository):
    async def topics(self, user_id: int) -> set[str]:
        rows = await self._db.fetch_all(
            "SELECT topic FROM subscriptions WHERE user_id = ?", (user_id,)
        )
        return {row["topic"] for row in rows}

    async def subscribe(self, user_id: int, topic: str, now: datetime) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO subscriptions (user_id, topic, created_at) VALUES (?, ?, ?)",
            (user_id, topic, now.isoformat(timespec="seconds")),
        )

    async def subscribe_many(self, user_id: int, topics: list[str], now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO subscriptions (user_id, topic, created_at) "
                "VALUES (?, ?, ?)",
                [(user_id, topic, now.isoformat(timespec="seconds")) for topic in topics],
            )

    async def unsubscribe(self, user_id: int, topic: str) -> None:
        await self._db.execute(
            "DELETE FROM subscriptions WHERE user_id = ? AND topic = ?", (user_id, topic)
        )

    async def unsubscribe_all(self, user_id: int) -> int:
        return await self._db.execute("DELETE FROM subscriptions WHERE user_id = ?", (user_id,))

    async def mark_offered(self, user_id: int, now: datetime) -> bool:
        """Remember that the user was asked; True only the first time."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO subscription_offers (user_id, offered_at) VALUES (?, ?)",
            (user_id, now.isoformat(timespec="seconds")),
        )
        return changed > 0

    async def was_offered(self, user_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM subscription_offers WHERE user_id = ?", (user_id,)
        )
        return row is not None

    async def count_by_topic(self, region_code: str | None = None) -> dict[str, int]:
        """Subscribers per topic; with `region_code`, those of users in that region."""
        rows = await self._db.fetch_all(
            "SELECT s.topic, COUNT(*) AS n FROM subscriptions s JOIN users u ON u.id = s.user_id "
            "WHERE ? IS NULL OR u.region_code = ? GROUP BY s.topic",
            (region_code, region_code),
        )
        return {row["topic"]: row["n"] for row in rows}

    async def recipients(
        self,
        topic: str,
        region_code: str | None,
        language: str | None,
        default_language: str,
    ) -> list[Recipient]:
        """Subscribers of `topic`, optionally only in one region and one language."""
        rows = await self._db.fetch_all(
            "SELECT u.id AS user_id, "
            "COALESCE(u.language, u.inferred_language, ?) AS lang "
            "FROM subscriptions s JOIN users u ON u.id = s.user_id "
            "WHERE s.topic = ? AND (? IS NULL OR u.region_code = ?) "
            "AND (? IS NULL OR COALESCE(u.language, u.inferred_language, ?) = ?) "
            "ORDER BY u.id",
            (
                default_language,
                topic,
                region_code,
                region_code,
                language,
                default_language,
                language,
            ),
        )
        return [Recipient(user_id=row["user_id"], language=row["lang"]) for row in rows]
