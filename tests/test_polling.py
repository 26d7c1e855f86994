"""`python -m bot` with a token long-polls any Bot API server and stops cleanly on SIGTERM."""

from pathlib import Path

from tests.support.bot_process import kill_if_running, start_bot, stop_bot, wait_for
from tests.support.telegram import FakeBotApi, text_update


async def test_polls_a_local_bot_api_server_and_stops_on_sigterm(tmp_path: Path) -> None:
    api = FakeBotApi()
    base_url = await api.start()
    api.pending_updates.append(text_update(1, 501, "/help", language_code="ru"))
    process = await start_bot(base_url, tmp_path / "polling.sqlite3")
    try:
        # (Start-up imports take long on a busy 2-core machine: a generous wait.)
        await wait_for(lambda: "sendMessage" in api.methods(), seconds=90)
        sent = next(params for method, params in api.calls if method == "sendMessage")
        assert sent["chat_id"] == 501
        assert sent["text"].startswith("<b>Что я умею</b>")
        commands = {p.get("language_code") for m, p in api.calls if m == "setMyCommands"}
        assert commands == {None, "kk", "ru"}
        log = await stop_bot(process)
    finally:
        await kill_if_running(process)
        await api.stop()
    assert "database closed" in log
