"""GET /healthz: 200 with a short JSON when the bot can serve people, else 503 and why."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from aiohttp import web

from bot.monitoring.metrics import Metrics


@dataclass(frozen=True)
class HealthReport:
    database: bool
    sender: bool
    outbox_depth: int | None
    last_update_seen: str | None

    @property
    def ok(self) -> bool:
        return self.database and self.sender


@dataclass(frozen=True, slots=True)
class HealthCheck:
    """Asks the database, the sender and the metrics; each probe is injected by the app."""

    database_answers: Callable[[], Awaitable[bool]]
    outbox_depth: Callable[[], Awaitable[int]]
    sender_alive: Callable[[], bool]
    metrics: Metrics

    async def report(self) -> HealthReport:
        database = await self.database_answers()
        depth = await self.outbox_depth() if database else None
        seen = self.metrics.last_update_at
        return HealthReport(
            database=database,
            sender=self.sender_alive(),
            outbox_depth=depth,
            last_update_seen=(
                datetime.fromtimestamp(seen, UTC).isoformat(timespec="seconds") if seen else None
            ),
        )

    async def serve(self, _request: web.Request) -> web.Response:
        report = await self.report()
        body = {"status": "ok" if report.ok else "failing", **asdict(report)}
        return web.json_response(body, status=200 if report.ok else 503)
