"""/healthz and /metrics: the polling mode's side server (METRICS_PORT) over the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.console.user import LocalUser
from bot.monitoring.server import MonitoringServer


@pytest.fixture
async def running(app: App) -> AsyncIterator[str]:
    """The app started as polling starts it, with the side server on a free port."""
    workflow = app.dispatcher.workflow_data
    await app.dispatcher.emit_startup(bot=app.bot, **workflow)
    server = MonitoringServer(app.dispatcher, "127.0.0.1", 0)
    await server.start()
    yield f"http://127.0.0.1:{server.port}"
    await server.stop()
    await app.dispatcher.emit_shutdown(bot=app.bot, **workflow)


def _move_away(database: Path, folder: Path) -> None:
    """The database file and its WAL files disappear from where the bot opened them."""
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{database}{suffix}")
        if part.exists():
            part.rename(folder / f"moved-away{suffix}")


async def _metrics(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with aiohttp.ClientSession() as http, http.get(f"{base}/metrics") as response:
        assert response.status == 200
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def _health(base: str) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as http, http.get(f"{base}/healthz") as response:
        return response.status, await response.json()


async def test_healthz_reports_database_sender_outbox_and_last_update(
    running: str, make_user: Callable[..., LocalUser]
) -> None:
    status, body = await _health(running)
    assert status == 200
    assert body["status"] == "ok" and body["database"] is True and body["sender"] is True
    assert body["outbox_depth"] == 0 and body["last_update_seen"] is None
    await make_user(user_id=4101).send("/help")
    _, body = await _health(running)
    assert isinstance(body["last_update_seen"], str)


async def test_healthz_is_503_when_the_database_file_is_unreadable(
    running: str, app: App, tmp_path: Path
) -> None:
    # The bot's open connection still answers from its cache: the file on disk is what fails.
    # (Tests run as root here, for whom chmod 000 still reads: the file goes away instead.)
    _move_away(app.settings.database_path, tmp_path)
    status, body = await _health(running)
    assert status == 503
    assert body["status"] == "failing" and body["database"] is False


async def test_healthz_is_503_when_the_sender_has_stopped(running: str, app: App) -> None:
    await app.dispatcher["outbox"].stop()
    status, body = await _health(running)
    assert status == 503 and body["sender"] is False and body["database"] is True


async def test_metrics_parse_and_move_after_updates(
    running: str, make_user: Callable[..., LocalUser]
) -> None:
    before = await _metrics(running)
    user = make_user(user_id=4102)
    await user.send("/help")
    await user.send("бесплатное эко сколько квот")  # an entry of the knowledge base
    await user.send("у ребенка судороги и не дышит")  # an emergency
    after = await _metrics(running)

    def moved(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert moved("bot_updates_total", kind="message") == 3
    assert moved("bot_answers_total", decision="entry") == 1
    assert moved("bot_answers_total", decision="emergency") == 1
    assert moved("bot_handler_seconds_count", kind="message") == 3
    # No label carries a user id, a chat id or what was typed.
    for _name, labels in after:
        for _label, value in labels:
            assert "4102" not in value and "эко" not in value


async def test_metrics_count_outbox_rows_and_sends_by_outcome(
    running: str, app: App, make_user: Callable[..., LocalUser]
) -> None:
    metrics = app.dispatcher["metrics"]
    metrics.record_send("sent")
    metrics.record_send("403")
    samples = await _metrics(running)
    assert samples[("bot_sends_total", (("outcome", "sent"),))] == 1
    assert samples[("bot_sends_total", (("outcome", "403"),))] == 1
