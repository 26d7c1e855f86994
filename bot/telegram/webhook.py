"""Webhook mode: aiogram's aiohttp webhook support behind a reverse proxy (nginx).

Telegram calls WEBHOOK_URL; requests without the secret token get 401 and are not processed.
/healthz and /metrics are served by the same aiohttp app. The webhook is not deleted on stop
and pending updates are not dropped, so what arrives during a deploy waits at Telegram.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.app import App, build_app
from bot.config import Settings
from bot.monitoring.server import add_monitoring_routes, bound_port
from bot.telegram.polling import GET_ME_DELAYS, wait_for_telegram

logger = logging.getLogger(__name__)


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or a new random one at each start (Telegram allows A-Z a-z 0-9 _ -)."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    return secrets.token_urlsafe(32)


class WebhookServer:
    """The aiohttp app that receives updates; start() listens, then registers the webhook."""

    def __init__(self, app: App, secret: str) -> None:
        self.app = app
        self._secret = secret
        settings = app.settings
        web_app = web.Application()
        # Dispatcher start-up and shutdown with the aiohttp app; registered before the update
        # handler, whose own shutdown closes the bot's session: the sender stops first.
        setup_application(web_app, app.dispatcher, bot=app.bot)
        SimpleRequestHandler(app.dispatcher, app.bot, secret_token=secret).register(
            web_app, path=settings.webhook_path
        )
        add_monitoring_routes(web_app, app.dispatcher)
        self._runner = web.AppRunner(web_app, access_log=None)
        self.port = settings.webhook_port

    async def start(self) -> None:
        settings = self.app.settings
        await wait_for_telegram(self.app.bot)
        await self._runner.setup()
        site = web.TCPSite(self._runner, settings.webhook_host, settings.webhook_port)
        await site.start()
        self.port = bound_port(self._runner, settings.webhook_port)
        await self._set_webhook()
        logger.info(
            "Webhook serving on %s:%s%s", settings.webhook_host, self.port, settings.webhook_path
        )

    async def _set_webhook(self) -> None:
        settings = self.app.settings
        assert settings.webhook_url is not None
        attempt = 0
        while True:
            try:
                await self.app.bot.set_webhook(
                    settings.webhook_url,
                    secret_token=self._secret,
                    allowed_updates=self.app.dispatcher.resolve_used_update_types(),
                    # Updates that came while the bot was down are still answered.
                    drop_pending_updates=False,
                )
            except Exception as error:  # a 5xx or a proxy's 502: try again, never give up
                delay = GET_ME_DELAYS[min(attempt, len(GET_ME_DELAYS) - 1)]
                attempt += 1
                logger.warning(
                    "setWebhook failed (%s); retrying in %s s", type(error).__name__, delay
                )
                await asyncio.sleep(delay)
            else:
                return

    async def stop(self) -> None:
        """Stop listening, let handlers in flight finish and the sender stop, close the db."""
        await self._runner.cleanup()
        await self.app.close()


async def run_webhook(settings: Settings) -> None:
    app = await build_app(settings)
    server = WebhookServer(app, webhook_secret(settings))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await server.start()
        await stop.wait()
        logger.info("Stopping")
    finally:
        await server.stop()
        logger.info("Stopped; database closed")
