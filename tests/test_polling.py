"""`python -m bot` with a token long-polls any Bot API server and stops cleanly on SIGTERM."""

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.support.telegram import FakeBotApi, text_update

ROOT = Path(__file__).resolve().parent.parent


async def _wait_for(condition: object, seconds: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.05)


async def test_polls_a_local_bot_api_server_and_stops_on_sigterm(tmp_path: Path) -> None:
    api = FakeBotApi()
    base_url = await api.start()
    api.pending_updates.append(text_update(1, 501, "/help", language_code="ru"))
    env = {
        **os.environ,
        "BOT_TOKEN": "123456:TEST-token",
        "TELEGRAM_API_URL": base_url,
        "DATABASE_PATH": str(tmp_path / "polling.sqlite3"),
        "LOG_LEVEL": "INFO",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await _wait_for(lambda: "sendMessage" in api.methods())
        sent = next(params for method, params in api.calls if method == "sendMessage")
        assert sent["chat_id"] == 501
        assert sent["text"].startswith("<b>Что я умею</b>")
        commands = {p.get("language_code") for m, p in api.calls if m == "setMyCommands"}
        assert commands == {None, "kk", "ru"}
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await api.stop()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    assert "123456:TEST-token" not in log  # the token is a secret
    assert "database closed" in log
