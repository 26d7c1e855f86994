"""Migration 0008 moves the rows of the three old outboxes into the one outbox, none lost."""

import json
import sqlite3
from importlib import resources
from pathlib import Path

from bot.db import Database
from bot.db.outbox import OutboxRepository


def _database_at_version_7(path: Path) -> None:
    folder = resources.files("bot.db") / "migrations"
    conn = sqlite3.connect(path)
    for number in range(1, 8):
        [script] = [f for f in folder.iterdir() if f.name.startswith(f"{number:04d}_")]
        conn.executescript(script.read_text(encoding="utf-8"))
    conn.execute("PRAGMA user_version = 7")
    conn.executescript(
        """
        INSERT INTO users (id, language, first_seen, last_seen) VALUES
            (1, 'kk', '2030-01-01', '2030-01-01'), (2, 'ru', '2030-01-01', '2030-01-01');
        INSERT INTO broadcasts (id, author_id, text_kk, text_ru, topic, created_at)
            VALUES (1, 777, 'kk', 'ru', 'ivf', '2030-01-01T00:00:00+00:00');
        INSERT INTO broadcast_runs (id, broadcast_id, action, requested_by, report_chat_id,
            status, recipients, created_at) VALUES (1, 1, 'send', 777, 777, 'running', 2,
            '2030-01-01T00:00:00+00:00');
        INSERT INTO broadcast_outbox (run_id, user_id, language, status, message_id, sent_at)
            VALUES (1, 1, 'kk', 'sent', 11, '2030-01-01T00:00:01+00:00'),
                   (1, 2, 'ru', 'pending', NULL, NULL);
        INSERT INTO ivf_queue_notifications (user_id, region_code, old_position, old_status,
            new_position, new_status, list_date, created_at)
            VALUES (2, 'kyzylorda', 7, 'waiting', 5, 'waiting', '2030-01-01', '2030-01-01');
        INSERT INTO mobile_outbox (user_id, visit_id, kind, starts_on, queued_at, outcome)
            VALUES (1, 9, 'reminder', '2030-06-15', '2030-06-14', NULL),
                   (2, 9, 'reminder', '2030-06-15', '2030-06-14', 'sent');
        """
    )
    conn.commit()
    conn.close()


async def test_migration_moves_every_row_of_the_three_outboxes(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_version_7(path)
    db = await Database.open(path)
    try:
        rows = await db.fetch_all(
            "SELECT user_id, kind, run_id, status, message_id, payload, dedup_key FROM outbox "
            "ORDER BY id"
        )
        moved = [(r["user_id"], r["kind"], r["run_id"], r["status"]) for r in rows]
        assert moved == [
            (1, "broadcast", 1, "sent"),
            (2, "broadcast", 1, "pending"),
            (2, "queue_change", None, "pending"),
            (1, "mobile_visit", None, "pending"),
            (2, "mobile_visit", None, "sent"),
        ]
        assert rows[0]["message_id"] == 11
        assert json.loads(rows[2]["payload"])["new_position"] == 5
        assert rows[3]["dedup_key"] == "mobile:1:9:reminder:2030-06-15"
        owed = await OutboxRepository(db).pending_messages()
        assert [(row.user_id, row.kind, row.language) for row in owed] == [
            (2, "queue_change", "ru"),
            (1, "mobile_visit", "kk"),
        ]
        for table in ("broadcast_outbox", "ivf_queue_notifications", "mobile_outbox"):
            gone = await db.fetch_one(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = ?", (table,)
            )
            assert gone is not None and gone[0] == 0, table
    finally:
        await db.close()
