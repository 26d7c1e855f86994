"""aiogram FSM storage in the bot's SQLite file, so a dialog survives a restart."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
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


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# Bounded so that many one-off visitors cannot grow memory without limit.
_CACHE_LIMIT = 50_000


class SQLiteStorage(BaseStorage):
    """Every write goes to SQLite at once; reads are served from a write-through cache.

    aiogram reads the state of every update; this process is the only writer, so the cache is
    always current, and a plain message costs no database round trip.
    """

    def __init__(
        self,
        db: Database,
        key_builder: KeyBuilder | None = None,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._db = db
        self._now = now
        self._key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._states: dict[str, str | None] = {}
        self._data: dict[str, dict[str, Any]] = {}

    def _key(self, key: StorageKey) -> str:
        return self._key_builder.build(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        storage_key = self._key(key)
        await self._db.execute(
            "INSERT INTO fsm_state (storage_key, user_id, state, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(storage_key) DO UPDATE SET state = excluded.state, "
            "updated_at = excluded.updated_at",
            (storage_key, key.user_id, value, _stamp(self._now())),
        )
        self._remember(self._states, storage_key, value)

    async def get_state(self, key: StorageKey) -> str | None:
        storage_key = self._key(key)
        if storage_key not in self._states:
            row = await self._db.fetch_one(
                "SELECT state FROM fsm_state WHERE storage_key = ?", (storage_key,)
            )
            self._remember(self._states, storage_key, row["state"] if row else None)
        return self._states[storage_key]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        storage_key = self._key(key)
        plain = dict(data)
        await self._db.execute(
            "INSERT INTO fsm_state (storage_key, user_id, data, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(storage_key) DO UPDATE SET data = excluded.data, "
            "updated_at = excluded.updated_at",
            (storage_key, key.user_id, json.dumps(plain, ensure_ascii=False), _stamp(self._now())),
        )
        self._remember(self._data, storage_key, copy.deepcopy(plain))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        storage_key = self._key(key)
        if storage_key not in self._data:
            row = await self._db.fetch_one(
                "SELECT data FROM fsm_state WHERE storage_key = ?", (storage_key,)
            )
            self._remember(self._data, storage_key, json.loads(row["data"]) if row else {})
        return copy.deepcopy(self._data[storage_key])

    async def forget_abandoned(self, before: datetime) -> int:
        """Delete dialog states unchanged since `before` (retention); returns how many."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM fsm_state WHERE updated_at < ? RETURNING storage_key",
                (_stamp(before),),
            )
            keys = [row[0] for row in await cursor.fetchall()]
            await cursor.close()
        for storage_key in keys:
            self._states.pop(storage_key, None)
            self._data.pop(storage_key, None)
        return len(keys)

    @staticmethod
    def _remember(cache: dict[str, Any], storage_key: str, value: Any) -> None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[storage_key] = value

    async def close(self) -> None:
        # The connection belongs to Database, which the app closes itself.
        return None
