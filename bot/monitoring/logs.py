"""Logging set-up: human-readable lines by default, one JSON object per line with
LOG_FORMAT=json. Log calls never carry message text, an IIN or a phone; the JSON adds only the
update id and the understanding step's decision."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot.monitoring.metrics import current_update

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, update_id, decision (and the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        update = current_update()
        if update is not None:
            entry["update_id"] = update.update_id
            if update.decision is not None:
                entry["decision"] = update.decision
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiosqlite logs every SQL parameter at DEBUG: dialog answers must never reach the log.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
