"""SQLite through aiosqlite: the connection, migrations and repositories (all SQL lives here)."""

from bot.db.database import Database

__all__ = ["Database"]
