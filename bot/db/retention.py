"""Deletes what is kept only for a while (the daily clean-up's SQL): one call per table."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db.database import Repository

# States after which a row is history: nothing will send it again.
_FINISHED_ROWS = ("sent", "blocked", "failed", "cancelled", "skipped", "unsure")
_FINISHED_RUNS = ("done", "cancelled")


def _stamp(moment: datetime) -> str:
    # The same form the outboxes and broadcasts store (UTC, seconds): comparable as text.
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class RetentionRepository(Repository):
    """Old outbox rows and finished broadcasts; each method returns how many rows went."""

    async def delete_finished_broadcast_rows(self, before: datetime) -> int:
        """Outbox rows of broadcast runs that finished before `before`. The run keeps its
        counts (delivered, blocked, failed), so the audit in /broadcasts is unchanged."""
        placeholders = ", ".join("?" for _ in _FINISHED_ROWS)
        return await self._db.execute(
            f"DELETE FROM outbox WHERE kind = 'broadcast' AND status IN ({placeholders}) "
            "AND run_id IN (SELECT id FROM broadcast_runs "
            "WHERE finished_at IS NOT NULL AND finished_at < ?)",
            (*_FINISHED_ROWS, _stamp(before)),
        )

    async def delete_finished_notice_rows(self, before: datetime) -> int:
        """Queue notices, reminders and visit notices done (sent, skipped, blocked, failed,
        unsure) before `before`; rows still to send are never deleted."""
        return await self._db.execute(
            "DELETE FROM outbox WHERE kind != 'broadcast' "
            "AND status NOT IN ('pending', 'sending') AND COALESCE(sent_at, created_at) < ?",
            (_stamp(before),),
        )

    async def delete_finished_broadcasts(self, created_before: datetime) -> int:
        """Broadcasts (texts, runs and their rows) created before `created_before` whose every
        run has finished; returns how many broadcasts went."""
        placeholders = ", ".join("?" for _ in _FINISHED_RUNS)
        old = (
            "SELECT b.id FROM broadcasts b WHERE b.created_at < ? AND NOT EXISTS ("
            "SELECT 1 FROM broadcast_runs r WHERE r.broadcast_id = b.id "
            f"AND r.status NOT IN ({placeholders}))"
        )
        params = (_stamp(created_before), *_FINISHED_RUNS)
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM outbox WHERE run_id IN ("
                f"SELECT id FROM broadcast_runs WHERE broadcast_id IN ({old}))",
                params,
            )
            await conn.execute(f"DELETE FROM broadcast_runs WHERE broadcast_id IN ({old})", params)
            async with conn.execute(f"DELETE FROM broadcasts WHERE id IN ({old})", params) as cur:
                return cur.rowcount
