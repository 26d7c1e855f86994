"""One aiosqlite connection with WAL, foreign keys, numbered migrations and atomic writes."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import fields
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import aiosqlite

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

logger = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Record = TypeVar("Record", bound="DataclassInstance")


def columns_of(record: type[Any]) -> str:
    """The SELECT list of a dataclass whose fields are named like its table's columns."""
    return ", ".join(field.name for field in fields(record))


def record_from_row(
    record: type[Record], row: aiosqlite.Row, **convert: Callable[[Any], Any]
) -> Record:
    """The dataclass `record` from a row with a column named like each of its fields (other
    columns are not read); `convert` turns a column's stored value into its field's type (ISO
    text into a date, text into an enum)."""
    values = {field.name: row[field.name] for field in fields(record)}
    for name, to_field in convert.items():
        values[name] = to_field(values[name])
    return record(**values)


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("bot.db") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """The bot's SQLite file. Writes go through `transaction()` and commit whole or not at all."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._conn = connection
        # One connection is shared by all handlers: a transaction must not interleave with
        # statements of another coroutine, so writers take turns.
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing commits half-way.
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA busy_timeout = 5000")
        db = cls(conn)
        await db.migrate()
        return db

    async def migrate(self) -> int:
        """Apply every migration newer than `PRAGMA user_version`, each in its own transaction."""
        current = await self.user_version()
        for number, name, sql in _migrations():
            if number <= current:
                continue
            async with self.transaction() as conn:
                for statement in _split_sql(sql):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {number}")
            logger.info("Applied migration %s", name)
            current = number
        return current

    async def user_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            if self._conn.in_transaction:
                # Only a writer holding the lock can be in a transaction; one left open (a task
                # cancelled at the wrong moment) holds nothing worth keeping.
                logger.warning("Rolling back a transaction left open")
                await self._conn.rollback()
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
            except BaseException:
                # Also on cancellation: aiosqlite's one worker thread runs calls in order, so
                # this rollback runs after a BEGIN that was still in flight.
                await self._conn.rollback()
                raise
            else:
                await self._conn.commit()

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, tuple(params)) as cursor:
            return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self._conn.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one writing statement atomically; returns the number of rows changed."""
        async with self.transaction() as conn, conn.execute(sql, tuple(params)) as cursor:
            return cursor.rowcount

    async def close(self) -> None:
        await self._conn.close()


class Repository:
    """Base of the repositories: each owns the SQL of one feature over the one database."""

    def __init__(self, db: Database) -> None:
        self._db = db


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements; semicolons in comments and literals are safe."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        statements.append(buffer.strip())
    return statements
