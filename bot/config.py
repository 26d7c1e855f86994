"""Settings from the environment and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import PROJECT_ROOT

SUPPORTED_LOCALES: tuple[str, ...] = ("kk", "ru")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    bot_token: SecretStr | None = None
    # Base URL of a Bot API server, e.g. http://127.0.0.1:8081 for a local telegram-bot-api.
    telegram_api_url: str | None = None
    telegram_api_is_local: bool = False
    database_path: Path = PROJECT_ROOT / "var" / "bot.sqlite3"
    staff_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    default_locale: str = "kk"
    # Key for the keyed hashes (HMAC) of IINs and phone numbers; required once queue data exists.
    pii_secret: SecretStr | None = None
    log_level: str = "INFO"
    # Messages one person may send a minute before the bot stops answering them for a while.
    messages_per_minute: int = Field(default=20, ge=1)
    # Unanswered questions (redacted) are kept this long for staff's /stats, then deleted.
    unanswered_retention_days: int = Field(default=90, ge=1)
    # «Ask a person»: a staff group that gets every ticket instead of staff's private chats.
    staff_chat_id: int | None = None
    # That group is a forum: one topic per ticket (the bot needs the right to manage topics).
    staff_chat_topics: bool = False
    locales_path: Path = PROJECT_ROOT / "locales"
    data_path: Path = PROJECT_ROOT / "data"
    # How many times one API call is retried after a 429 or a network timeout.
    api_max_retries: int = 3
    # A 429 asking to wait longer than this is not waited out in a reply (the user would not).
    api_max_retry_wait: float = 30.0
    # Load data/examples/mobile_visits_demo.csv (example ЖМК visits) for the console demo only.
    mobile_demo_schedule: bool = False
    # Broadcasts, at Telegram's limits: about 30 messages/s in total and 1/s to one chat.
    broadcast_rate_per_second: float = 30.0
    broadcast_per_chat_interval: float = 1.0
    broadcast_max_attempts: int = 4
    broadcast_progress_interval: float = 5.0
    # Paid broadcasts (billed in Telegram Stars) allow up to 1000 messages/s; owner's choice.
    broadcast_allow_paid: bool = False
    broadcast_paid_rate_per_second: float = 1000.0

    @field_validator("staff_ids", mode="before")
    @classmethod
    def _parse_staff_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(
                int(part) for part in value.replace(";", ",").split(",") if part.strip()
            )
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("default_locale")
    @classmethod
    def _check_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"DEFAULT_LOCALE must be one of {SUPPORTED_LOCALES}")
        return value

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value
