from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.db import Database
from bot.db.database import _migrations
from bot.db.fsm_storage import SQLiteStorage
from bot.db.users import UserRepository


async def test_a_new_file_is_created_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "bot.sqlite3"
    db = await Database.open(path)
    try:
        assert path.exists()
        assert await db.user_version() == max(number for number, _, _ in _migrations())
        journal = await db.fetch_one("PRAGMA journal_mode")
        assert journal is not None
        assert journal[0] == "wal"
        foreign_keys = await db.fetch_one("PRAGMA foreign_keys")
        assert foreign_keys is not None
        assert foreign_keys[0] == 1
    finally:
        await db.close()


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await UserRepository(db).set_language(1, "kk")
    await db.close()
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        record = await UserRepository(db).get(1)
        assert record is not None
        assert record.language == "kk"
    finally:
        await db.close()


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO users (id, first_seen, last_seen) VALUES (5, '2026-01-01', "
                    "'2026-01-01')"
                )
                raise RuntimeError("half-way")
        assert await db.fetch_one("SELECT id FROM users WHERE id = 5") is None
    finally:
        await db.close()


async def test_dialog_state_survives_a_restart(tmp_path: Path) -> None:
    key = StorageKey(bot_id=42, chat_id=7, user_id=7)
    db = await Database.open(tmp_path / "bot.sqlite3")
    storage = SQLiteStorage(db)
    await storage.set_state(key, "EligibilityForm:entering_age")
    await storage.update_data(key, {"age": 34, "region": "almaty"})
    await db.close()

    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        storage = SQLiteStorage(db)
        assert await storage.get_state(key) == "EligibilityForm:entering_age"
        assert await storage.get_data(key) == {"age": 34, "region": "almaty"}
    finally:
        await db.close()


async def test_deleting_a_user_removes_their_dialog_state(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        users = UserRepository(db)
        await users.touch(9)
        storage = SQLiteStorage(db)
        await storage.set_state(StorageKey(bot_id=42, chat_id=9, user_id=9), "X:y")
        await users.delete(9)
        assert await db.fetch_all("SELECT * FROM fsm_state") == []
        assert await users.get(9) is None
    finally:
        await db.close()


async def test_users_table_keeps_no_names_or_phones(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        columns = {row["name"] for row in await db.fetch_all("PRAGMA table_info(users)")}
        assert columns == {
            "id",
            "language",
            "inferred_language",
            "region_code",
            "first_seen",
            "last_seen",
        }
    finally:
        await db.close()


def test_migrations_split_on_statements_not_on_semicolons_in_comments() -> None:
    from bot.db.database import _split_sql

    script = (
        "-- a comment; with a semicolon\n"
        "CREATE TABLE a (x TEXT DEFAULT 'x;y');\n"
        "CREATE INDEX a_x ON a(x); -- trailing; comment\n"
        "-- the end;\n"
    )
    statements = _split_sql(script)
    assert len(statements) == 2
    assert "DEFAULT 'x;y'" in statements[0]


async def test_a_writer_cancelled_mid_transaction_leaves_the_database_usable(
    tmp_path: Path,
) -> None:
    import asyncio

    db = await Database.open(tmp_path / "bot.sqlite3")
    try:

        async def slow_writer() -> None:
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO users (id, first_seen, last_seen) VALUES (6, 'a', 'a')"
                )
                await asyncio.sleep(10)

        task = asyncio.create_task(slow_writer())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await UserRepository(db).set_language(7, "ru")
        assert await db.fetch_one("SELECT id FROM users WHERE id = 6") is None
        assert await db.fetch_one("SELECT id FROM users WHERE id = 7") is not None
    finally:
        await db.close()
