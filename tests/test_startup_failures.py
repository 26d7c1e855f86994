"""One transient Bot API error at start-up must not stop `python -m bot poll` (issue 12)."""

from pathlib import Path

import pytest

from bot.db import Database
from tests.support.bot_process import kill_if_running, start_bot, stop_bot, wait_for
from tests.support.telegram import FakeBotApi, text_update

ASKER = 501
SUBSCRIBER = 502


async def _owe_a_queue_notice(database_path: Path) -> None:
    """A CLI import left a change message for SUBSCRIBER, to be sent at start-up."""
    db = await Database.open(database_path)
    try:
        await db.execute(
            "INSERT INTO users (id, language, first_seen, last_seen) "
            "VALUES (?, 'ru', '2026-11-01', '2026-11-01')",
            (SUBSCRIBER,),
        )
        await db.execute(
            "INSERT INTO outbox (user_id, kind, payload, created_at) VALUES (?, "
            '\'queue_change\', \'{"region_code": "kyzylorda", "old_position": 7, '
            '"old_status": "waiting", "new_position": 5, "new_status": '
            '"waiting", "list_date": "2026-11-01"}\', \'2026-11-01T10:00:00+00:00\')',
            (SUBSCRIBER,),
        )
    finally:
        await db.close()


@pytest.mark.parametrize(
    "failures",
    [
        [("setMyCommands", "server_error", None)],
        # A proxy's HTML page on the command menu and on the owed notice.
        [("setMyCommands", "html", None), ("sendMessage", "html", SUBSCRIBER)],
        [("getMe", "html", None)],
    ],
)
async def test_one_transient_api_error_at_startup_does_not_stop_the_bot(
    tmp_path: Path, failures: list[tuple[str, str, int | None]]
) -> None:
    database_path = tmp_path / "startup.sqlite3"
    await _owe_a_queue_notice(database_path)
    api = FakeBotApi()
    for method, kind, chat_id in failures:
        api.fail(method, kind, chat_id=chat_id)
    base_url = await api.start()
    api.pending_updates.append(text_update(1, ASKER, "/help", language_code="ru"))
    process = await start_bot(base_url, database_path, "poll")

    def sent_to(chat: int) -> list[str]:
        return [
            params["text"]
            for name, params in api.calls
            if name == "sendMessage" and int(params["chat_id"]) == chat
        ]

    def commands() -> set[str | None]:
        return {p.get("language_code") for m, p in api.calls if m == "setMyCommands"}

    try:
        # The bot serves people...
        # (Start-up imports take long on a busy 2-core machine: generous waits.)
        await wait_for(lambda: bool(sent_to(ASKER)), seconds=90)
        assert sent_to(ASKER)[0].startswith("<b>Что я умею</b>")
        # ...and what failed at start-up is done on a retry in the background.
        await wait_for(
            lambda: commands() == {None, "kk", "ru"} and bool(sent_to(SUBSCRIBER)), seconds=30
        )
        assert "Место в очереди: 7 → <b>5</b>" in sent_to(SUBSCRIBER)[0]
        assert process.returncode is None
        await stop_bot(process)
    finally:
        await kill_if_running(process)
        await api.stop()
