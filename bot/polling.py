"""Long polling against Telegram or any Bot API server (TELEGRAM_API_URL)."""

from __future__ import annotations

import logging

from bot.app import build_app
from bot.config import Settings

logger = logging.getLogger(__name__)


async def run_polling(settings: Settings) -> None:
    app = await build_app(settings)
    try:
        # aiogram stops polling on SIGINT/SIGTERM; the shutdown hook waits for handlers.
        await app.dispatcher.start_polling(
            app.bot,
            handle_signals=True,
            close_bot_session=False,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
        )
    finally:
        await app.close()
        logger.info("Stopped; database closed")
