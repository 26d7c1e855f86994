"""Unanswered questions: what citizens ask that the knowledge base lacks (already redacted)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.db.database import Repository


def _today() -> date:
    return datetime.now(UTC).date()


class QuestionLogRepository(Repository):
    """Keeps redacted unanswered questions and counts the most frequent ones for staff."""

    async def record_unanswered(
        self,
        text: str,
        normalised: str,
        language: str | None,
        asked_on: date | None = None,
        asker: bytes | None = None,
    ) -> None:
        """Store one question; the caller has removed personal data (questions.redact_question).

        `asker` is a keyed hash of who asked (PiiHasher.asker), so that one person repeating a
        question counts once; it cannot be turned back into a user.
        """
        if not normalised.strip():
            return
        await self._db.execute(
            "INSERT INTO unanswered_questions (text, normalised, language, asked_on, asker) "
            "VALUES (?, ?, ?, ?, ?)",
            (text, normalised, language, (asked_on or _today()).isoformat(), asker),
        )

    async def most_common_unanswered(self, days: int, limit: int) -> list[tuple[str, int]]:
        """The most frequent questions of the last `days` days: (an example text, how many
        people asked it). Rows kept before askers were recorded count one each."""
        since = (_today() - timedelta(days=max(days, 0))).isoformat()
        rows = await self._db.fetch_all(
            "SELECT MIN(text) AS text, COUNT(DISTINCT COALESCE(asker, id)) AS n "
            "FROM unanswered_questions "
            "WHERE asked_on >= ? GROUP BY normalised "
            "ORDER BY n DESC, MAX(asked_on) DESC, MIN(id) LIMIT ?",
            (since, max(limit, 0)),
        )
        return [(row["text"], row["n"]) for row in rows]

    async def delete_older_than(self, days: int, today: date | None = None) -> int:
        """Drop questions older than `days` days; returns how many were removed."""
        before = ((today or _today()) - timedelta(days=days)).isoformat()
        return await self._db.execute(
            "DELETE FROM unanswered_questions WHERE asked_on < ?", (before,)
        )
