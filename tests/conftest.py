from __future__ import annotations

import itertools
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import Settings
from bot.console.session import LocalSession
from bot.console.user import LocalUser
from bot.db import Database
from tests.support.clock import VirtualClock
from tests.support.staff import STAFF_ID, start_staff
from tests.support.users import MakeSpeaker, choose_language


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=None,
        database_path=tmp_path / "bot.sqlite3",
        staff_ids=frozenset({STAFF_ID}),
        default_locale="kk",
        pii_secret="test-secret-key",  # type: ignore[arg-type]
    )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database file of its own, for repository tests."""
    database = await Database.open(tmp_path / "repository.sqlite3")
    yield database
    await database.close()


@pytest.fixture
def clock() -> VirtualClock:
    """The one virtual clock: the bot's sleeps land in `clock.waits` instead of being waited."""
    return VirtualClock()


@pytest.fixture
async def app(settings: Settings, clock: VirtualClock) -> AsyncIterator[App]:
    application = await build_app(settings, session=LocalSession(), sleep=clock.sleep)
    yield application
    await application.close()


@pytest.fixture
def session(app: App) -> LocalSession:
    assert isinstance(app.bot.session, LocalSession)
    return app.bot.session


@pytest.fixture
def make_user(app: App) -> Callable[..., LocalUser]:
    def factory(user_id: int = 1_000_001, language_code: str | None = "ru") -> LocalUser:
        return LocalUser(app.dispatcher, app.bot, user_id=user_id, language_code=language_code)

    return factory


@pytest.fixture
def newcomer(make_user: Callable[..., LocalUser]) -> LocalUser:
    """A user who has chosen no language yet; Telegram says `ru`, as for most Kazakh speakers."""
    return make_user()


@pytest.fixture
def make_speaker(make_user: Callable[..., LocalUser]) -> MakeSpeaker:
    """Makes a new user who chose `locale` with /start (Telegram says `ru`, as for most Kazakh
    speakers); each call another user."""
    user_ids = itertools.count(6001)

    async def factory(locale: str) -> LocalUser:
        return await choose_language(make_user(user_id=next(user_ids), language_code="ru"), locale)

    return factory


@pytest.fixture
async def user_kk(make_user: Callable[..., LocalUser]) -> LocalUser:
    """A user who chose Kazakh (Telegram still says `ru`, as for most Kazakh speakers)."""
    return await choose_language(make_user(user_id=2001, language_code="ru"), "kk")


@pytest.fixture
async def user_ru(make_user: Callable[..., LocalUser]) -> LocalUser:
    return await choose_language(make_user(user_id=2002, language_code="ru"), "ru")


@pytest.fixture
async def admin(make_user: Callable[..., LocalUser]) -> LocalUser:
    """The administrator (STAFF_IDS), who chose Russian."""
    return await start_staff(make_user)


@pytest.fixture
def log_text(caplog: pytest.LogCaptureFixture) -> Callable[[], str]:
    caplog.set_level(logging.DEBUG)

    def collected() -> str:
        return "\n".join(
            f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records
        )

    return collected


@pytest.fixture(params=["kk", "ru"])
async def speaker(
    request: pytest.FixtureRequest, make_user: Callable[..., LocalUser]
) -> tuple[str, LocalUser]:
    """(locale, user) for a user who chose that language with /start; runs once per language."""
    locale: str = request.param
    user = make_user(user_id=3000 + len(locale) + (0 if locale == "kk" else 1), language_code="ru")
    return locale, await choose_language(user, locale)
