"""A consistent copy of the live database with SQLite's online backup API, then checked.

The bot keeps running: the copy reads through its own connection (WAL lets readers and the
bot's writer work at once) and lands in a temporary file that replaces the target only after
`PRAGMA integrity_check` says ok, so a half-written or damaged copy never has the target's name.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

import aiosqlite


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    integrity: str  # "ok", or what PRAGMA integrity_check found

    @property
    def ok(self) -> bool:
        return self.integrity == "ok"


class BackupError(Exception):
    """The live database could not be read or the copy could not be written."""


async def backup_database(source: Path, target: Path) -> BackupResult:
    """Copy `source` to `target` while the bot may be writing to it; check the copy."""
    partial = await asyncio.to_thread(_prepare, source, target)
    try:
        async with aiosqlite.connect(source) as live, aiosqlite.connect(partial) as copy:
            await live.execute("PRAGMA busy_timeout = 5000")
            await live.backup(copy)
            # A standalone file: no -wal beside it to lose when it is moved or copied.
            await copy.execute("PRAGMA journal_mode = DELETE")
            async with copy.execute("PRAGMA integrity_check") as cursor:
                rows = [str(row[0]) for row in await cursor.fetchall()]
    except (aiosqlite.Error, OSError) as error:
        await asyncio.to_thread(partial.unlink, missing_ok=True)
        raise BackupError(str(error)) from error
    integrity = "ok" if rows == ["ok"] else "; ".join(rows)
    return await asyncio.to_thread(_finish, partial, target, integrity)


def _prepare(source: Path, target: Path) -> Path:
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    return partial


def _finish(partial: Path, target: Path, integrity: str) -> BackupResult:
    if integrity != "ok":
        return BackupResult(partial, partial.stat().st_size, integrity)
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, integrity)
