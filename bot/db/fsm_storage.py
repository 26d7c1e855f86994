"""aiogram FSM storage in the bot's SQLite file, so a dialog survives a restart."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)

from bot.db.database import Database


class SQLiteStorage(BaseStorage):
    def __init__(self, db: Database, key_builder: KeyBuilder | None = None) -> None:
        self._db = db
        self._key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    def _key(self, key: StorageKey) -> str:
        return self._key_builder.build(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._db.execute(
            "INSERT INTO fsm_state (storage_key, user_id, state) VALUES (?, ?, ?) "
            "ON CONFLICT(storage_key) DO UPDATE SET state = excluded.state",
            (self._key(key), key.user_id, value),
        )

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._db.fetch_one(
            "SELECT state FROM fsm_state WHERE storage_key = ?", (self._key(key),)
        )
        return row["state"] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._db.execute(
            "INSERT INTO fsm_state (storage_key, user_id, data) VALUES (?, ?, ?) "
            "ON CONFLICT(storage_key) DO UPDATE SET data = excluded.data",
            (self._key(key), key.user_id, json.dumps(dict(data), ensure_ascii=False)),
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._db.fetch_one(
            "SELECT data FROM fsm_state WHERE storage_key = ?", (self._key(key),)
        )
        if row is None:
            return {}
        loaded: dict[str, Any] = json.loads(row["data"])
        return loaded

    async def close(self) -> None:
        # The connection belongs to Database, which the app closes itself.
        return None
