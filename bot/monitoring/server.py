"""The aiohttp routes of /healthz and /metrics, and the side server of polling mode."""

from __future__ import annotations

from aiogram import Dispatcher
from aiohttp import web

from bot.monitoring.health import HealthCheck
from bot.monitoring.metrics import metrics_handler


def add_monitoring_routes(web_app: web.Application, dispatcher: Dispatcher) -> None:
    health: HealthCheck = dispatcher["health"]
    web_app.router.add_get("/healthz", health.serve)
    web_app.router.add_get(
        "/metrics", metrics_handler(dispatcher["metrics"], dispatcher["outbox_rows_by_state"])
    )


class MonitoringServer:
    """Polling mode's small HTTP server (only when METRICS_PORT is set): /healthz, /metrics."""

    def __init__(self, dispatcher: Dispatcher, host: str, port: int) -> None:
        self._web_app = web.Application()
        add_monitoring_routes(self._web_app, dispatcher)
        self._runner = web.AppRunner(self._web_app, access_log=None)
        self._host = host
        self._port = port
        self.port = port

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self.port = bound_port(self._runner, self._port)

    async def stop(self) -> None:
        await self._runner.cleanup()


def bound_port(runner: web.AppRunner, requested: int) -> int:
    """The port actually listened on (port 0 asks the system for a free one, as tests do)."""
    for address in runner.addresses:
        if isinstance(address, tuple):
            return int(address[1])
    return requested
