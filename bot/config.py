"""Settings from the environment and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

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
    # "text" (human-readable) or "json" (one object per line, for log collectors).
    log_format: Literal["text", "json"] = "text"
    # Messages one person may send a minute before the bot stops answering them for a while.
    messages_per_minute: int = Field(default=20, ge=1)
    # Retention, applied by the daily clean-up (bot/jobs/daily_cleanup.py). Unanswered questions
    # (redacted) are kept this long for staff's /stats, then deleted.
    unanswered_retention_days: int = Field(default=90, ge=1)
    # «Ask a person»: a staff group that gets every ticket instead of staff's private chats.
    staff_chat_id: int | None = None
    # That group is a forum: one topic per ticket (the bot needs the right to manage topics).
    staff_chat_topics: bool = False
    # Outbox rows already sent, blocked, failed or cancelled: kept for the reports, then deleted.
    outbox_retention_days: int = Field(default=30, ge=1)
    # A dialog nobody touched for this long is abandoned; its answers (an eligibility check's
    # age and diagnosis) are not kept for ever.
    dialog_state_retention_days: int = Field(default=30, ge=1)
    # Finished broadcasts (texts, runs) stay in /broadcasts for the audit this long.
    broadcast_retention_days: int = Field(default=365, ge=1)
    locales_path: Path = PROJECT_ROOT / "locales"
    data_path: Path = PROJECT_ROOT / "data"
    # The sourced facts `data/` cites; `check-data` compares figures with it when it is there.
    facts_path: Path = PROJECT_ROOT.parent / "shared" / "domain" / "FACTS.md"
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
    # Webhook mode (`python -m bot webhook`, or WEBHOOK_URL set): the public HTTPS URL Telegram
    # calls, the path this process serves it on behind the reverse proxy, and the secret token
    # Telegram sends with every request (random at each start when unset).
    webhook_url: str | None = None
    webhook_path: str = "/webhook"
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8080
    # Polling mode: /healthz and /metrics on this port (off when unset); webhook mode serves
    # them on the webhook's own port.
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = None

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

    @field_validator("webhook_path")
    @classmethod
    def _path_starts_with_slash(cls, value: str) -> str:
        return value if value.startswith("/") else f"/{value}"

    @field_validator("bot_token", "webhook_url", "webhook_secret", "metrics_port", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value
