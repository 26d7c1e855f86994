"""Long polling against Telegram or any Bot API server (TELEGRAM_API_URL)."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot

from bot.app import build_app
from bot.config import Settings
from bot.monitoring.server import MonitoringServer

logger = logging.getLogger(__name__)


# Seconds between tries of getMe, which polling needs before it starts.
GET_ME_DELAYS: tuple[float, ...] = (1, 2, 5, 15, 30, 60)


async def run_polling(settings: Settings) -> None:
    app = await build_app(settings)
    # /healthz and /metrics on a side port, only when METRICS_PORT is set.
    monitoring = (
        MonitoringServer(app.dispatcher, settings.metrics_host, settings.metrics_port)
        if settings.metrics_port is not None
        else None
    )
    try:
        if monitoring is not None:
            await monitoring.start()
        await wait_for_telegram(app.bot)
        # aiogram stops polling on SIGINT/SIGTERM; the shutdown hook waits for handlers.
        await app.dispatcher.start_polling(
            app.bot,
            handle_signals=True,
            close_bot_session=False,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
        )
    finally:
        if monitoring is not None:
            await monitoring.stop()
        await app.close()
        logger.info("Stopped; database closed")


async def wait_for_telegram(bot: Bot) -> None:
    """aiogram's polling starts with getMe and stops for good if it fails: one 500 or a proxy's
    HTML 502 must not end the bot, so getMe is tried until it answers (aiogram keeps the result).
    """
    attempt = 0
    while True:
        try:
            await bot.me()
        except Exception as error:  # any failure: wait and try again, the token is not logged
            delay = GET_ME_DELAYS[min(attempt, len(GET_ME_DELAYS) - 1)]
            attempt += 1
            logger.warning("getMe failed (%s); retrying in %s s", type(error).__name__, delay)
            await asyncio.sleep(delay)
        else:
            return
