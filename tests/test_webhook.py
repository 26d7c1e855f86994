"""Webhook mode: Telegram's POSTs through aiogram's aiohttp handler, checked by secret token."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.app import build_app
from bot.config import Settings
from bot.telegram.webhook import WebhookServer, webhook_secret
from tests.support.bot_process import kill_if_running, start_bot, stop_bot, wait_for
from tests.support.catalog import catalog
from tests.support.telegram import FakeBotApi, text_update

SECRET = "test-webhook-secret_1"
PUBLIC_URL = "https://bot.example.kz/telegram-webhook"


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def webhook(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[tuple[WebhookServer, str]]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token="123456:TEST-token",  # type: ignore[arg-type]
        telegram_api_url=api.url,
        database_path=tmp_path / "webhook.sqlite3",
        webhook_url=PUBLIC_URL,
        webhook_secret=SECRET,  # type: ignore[arg-type]
        webhook_port=0,
        default_locale="kk",
    )
    server = WebhookServer(await build_app(settings), webhook_secret(settings))
    await server.start()
    yield server, f"http://127.0.0.1:{server.port}"
    await server.stop()


def _help_title(locale: str) -> str:
    """The first line of /help's text in `locale`, read from the catalog."""
    message = next(
        m for m in catalog(locale) if isinstance(m.id, str) and m.id.startswith("<b>What I can do")
    )
    return str(message.string).split("\n")[0]


def _sent_texts(api: FakeBotApi, chat_id: int) -> list[str]:
    return [
        params["text"]
        for method, params in api.calls
        if method == "sendMessage" and int(params["chat_id"]) == chat_id
    ]


async def test_set_webhook_names_the_url_secret_and_used_update_types(
    webhook: tuple[WebhookServer, str], api: FakeBotApi
) -> None:
    params = next(params for method, params in api.calls if method == "setWebhook")
    assert params["url"] == PUBLIC_URL
    assert params["secret_token"] == SECRET
    assert params["drop_pending_updates"] in (False, "false")
    allowed = set(params["allowed_updates"])
    assert {"message", "callback_query"} <= allowed
    assert "poll" not in allowed and "chat_join_request" not in allowed


async def test_an_update_with_the_secret_is_answered_through_the_bot_api(
    webhook: tuple[WebhookServer, str], api: FakeBotApi
) -> None:
    _server, base = webhook
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{base}/webhook",
            json=text_update(7, 601, "/help", language_code="ru"),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status == 200
    await wait_for(lambda: _sent_texts(api, 601))
    assert _sent_texts(api, 601)[0].split("\n")[0] == _help_title("ru")


@pytest.mark.parametrize("header", [None, "wrong-secret"])
async def test_an_update_without_the_secret_gets_401_and_is_not_processed(
    webhook: tuple[WebhookServer, str], api: FakeBotApi, header: str | None
) -> None:
    _server, base = webhook
    headers = {"X-Telegram-Bot-Api-Secret-Token": header} if header else {}
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{base}/webhook", json=text_update(8, 602, "/help"), headers=headers
        )
        assert response.status == 401
        # A real update afterwards is answered: nothing of the refused one was queued.
        await http.post(
            f"{base}/webhook",
            json=text_update(9, 603, "/help"),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
    await wait_for(lambda: _sent_texts(api, 603))
    assert _sent_texts(api, 602) == []


async def test_health_and_metrics_are_served_beside_the_webhook(
    webhook: tuple[WebhookServer, str],
) -> None:
    _server, base = webhook
    async with aiohttp.ClientSession() as http:
        health = await http.get(f"{base}/healthz")
        assert health.status == 200
        assert (await health.json())["status"] == "ok"
        metrics = await http.get(f"{base}/metrics")
        assert metrics.status == 200
        assert "# TYPE bot_updates_total counter" in await metrics.text()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_python_m_bot_webhook_answers_and_stops_on_sigterm_as_json_logs(
    api: FakeBotApi, tmp_path: Path
) -> None:
    port = _free_port()
    settings = {
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_PORT": str(port),
        "LOG_FORMAT": "json",
    }
    process = await start_bot(api.url, tmp_path / "webhook.sqlite3", settings=settings)
    try:
        await wait_for(lambda: "setWebhook" in api.methods(), seconds=180)
        secret = next(p for m, p in api.calls if m == "setWebhook")["secret_token"]
        assert len(secret) >= 32  # random at each start when WEBHOOK_SECRET is unset
        async with aiohttp.ClientSession() as http:
            response = await http.post(
                f"http://127.0.0.1:{port}/webhook",
                json=text_update(11, 604, "бесплатное эко сколько квот"),
                headers={"X-Telegram-Bot-Api-Secret-Token": secret},
            )
            assert response.status == 200
        await wait_for(lambda: _sent_texts(api, 604), seconds=60)
        log = await stop_bot(process, seconds=60)
    finally:
        await kill_if_running(process)
    entries = [json.loads(line) for line in log.splitlines()]
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    handled = [e for e in entries if e.get("update_id") == 11]
    assert handled and {e.get("decision") for e in handled} == {"entry"}
    assert "бесплатное" not in log and "123456:TEST-token" not in log
    assert "deleteWebhook" not in api.methods()  # updates sent during a deploy wait
    assert "database closed" in entries[-1]["message"]
