"""Announcement topics a citizen can subscribe to, and asking new users once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum

from bot.db.subscriptions import SubscriptionRepository


class Topic(StrEnum):
    IVF = "ivf"
    MOBILE_CLINICS = "mobile_clinics"  # sent by region: "mobile clinics in my region"
    FACILITIES = "facilities"


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SubscriptionService:
    """Subscribe, unsubscribe, and the one-time "do you want announcements?" question."""

    def __init__(
        self, repository: SubscriptionRepository, now: Callable[[], datetime] = _utcnow
    ) -> None:
        self._repo = repository
        self._now = now

    async def topics(self, user_id: int) -> set[Topic]:
        known = {topic.value for topic in Topic}
        return {Topic(topic) for topic in await self._repo.topics(user_id) if topic in known}

    async def toggle(self, user_id: int, topic: Topic) -> bool:
        """Flip one topic; True when the user is now subscribed to it."""
        if topic in await self.topics(user_id):
            await self._repo.unsubscribe(user_id, topic)
            return False
        await self._repo.subscribe(user_id, topic, self._now())
        return True

    async def subscribe_all(self, user_id: int) -> None:
        await self._repo.subscribe_many(user_id, list(Topic), self._now())

    async def stop(self, user_id: int) -> int:
        """Unsubscribe from everything; returns how many topics there were."""
        return await self._repo.unsubscribe_all(user_id)

    async def should_offer(self, user_id: int) -> bool:
        """True once per user: the first time a feature has answered them.

        Never to a user who already chose a topic (in «🔔 Subscriptions») or answered the offer.
        """
        if await self._repo.was_offered(user_id):
            return False
        if await self._repo.topics(user_id):
            await self._repo.mark_offered(user_id, self._now())
            return False
        return await self._repo.mark_offered(user_id, self._now())

    async def count_by_topic(self, region_code: str | None = None) -> dict[Topic, int]:
        counts = await self._repo.count_by_topic(region_code)
        return {topic: counts.get(topic, 0) for topic in Topic}
