"""`python -m bot backup PATH`: a consistent copy while a broadcast is being sent; restored, the
bot finishes the broadcast from the copy and nobody is left out."""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

from bot.cli import backup
from bot.config import Settings
from bot.db import Database
from bot.db.backup import backup_database
from tests.support.broadcast import (
    TEXTS,
    VirtualClock,
    add_subscriber,
    enqueue,
    eventually,
    open_app,
    start_sender,
    stop_sender,
    wait_until_idle,
)
from tests.support.telegram import TelegramRules

SUBSCRIBERS = range(20_000, 20_400)


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def _delivered(rules: TelegramRules) -> set[int]:
    return {
        user_id
        for user_id, calls in rules.received.items()
        if any(method == "sendMessage" and text in TEXTS.values() for method, text in calls)
    }


async def test_backup_during_a_broadcast_restores_with_nothing_lost(
    settings: Settings, tmp_path: Path
) -> None:
    clock = VirtualClock()
    rules = TelegramRules(clock=clock.now)
    app = await open_app(settings, rules, clock)
    for user_id in SUBSCRIBERS:
        await add_subscriber(app, user_id, "kk" if user_id % 2 else "ru")
    await start_sender(app)
    await enqueue(app)
    await eventually(lambda: len(_delivered(rules)) >= 40)
    copy = tmp_path / "backups" / "bot-copy.sqlite3"
    result = await backup_database(settings.database_path, copy)
    delivered_before_copy_finished = _delivered(rules)
    await wait_until_idle(app)
    await stop_sender(app)
    await app.close()

    assert result.ok and result.size_bytes == copy.stat().st_size > 0
    assert len(delivered_before_copy_finished) < len(SUBSCRIBERS), "copy not taken mid-send"
    # The copy is a moment of the live database: every subscriber and every outbox row.
    subscribers = "SELECT user_id, topic FROM subscriptions ORDER BY user_id"
    assert _rows(copy, subscribers) == _rows(settings.database_path, subscribers)
    outbox = "SELECT COUNT(*) FROM outbox"
    assert _rows(copy, outbox) == [(len(SUBSCRIBERS),)]
    sent_in_copy = {
        row[0] for row in _rows(copy, "SELECT user_id FROM outbox WHERE status='sent'")
    }
    assert sent_in_copy <= delivered_before_copy_finished

    # Restore: the copy replaces the database and the bot starts again on it.
    restored = settings.model_copy(update={"database_path": tmp_path / "restored.sqlite3"})
    shutil.copyfile(copy, restored.database_path)
    restored_rules = TelegramRules(clock=clock.now)
    restored_app = await open_app(restored, restored_rules, clock)
    try:
        await start_sender(restored_app)
        await wait_until_idle(restored_app)
    finally:
        await stop_sender(restored_app)
        await restored_app.close()
    reached = sent_in_copy | _delivered(restored_rules)
    assert reached == set(SUBSCRIBERS)
    # What the copy knew was sent is not sent again.
    assert not sent_in_copy & _delivered(restored_rules)
    statuses = _rows(restored.database_path, "SELECT DISTINCT status FROM outbox")
    assert statuses == [("sent",)]


async def test_backup_command_prints_the_size_and_refuses_a_missing_database(
    settings: Settings, tmp_path: Path
) -> None:
    out = io.StringIO()
    assert await backup(settings, tmp_path / "none.sqlite3", out) == 1
    assert "no database" in out.getvalue()
    db = await Database.open(settings.database_path)
    try:
        out = io.StringIO()
        assert await backup(settings, tmp_path / "nightly.sqlite3", out) == 0
    finally:
        await db.close()
    assert "integrity ok" in out.getvalue()
    assert _files(tmp_path) >= {"nightly.sqlite3"}
    assert not [name for name in _files(tmp_path) if name.endswith(".partial")]
