"""A failure on the bot's side gets a short apology in the user's language, never a crash."""

import pytest

from bot.app import App
from bot.console.user import LocalUser
from bot.db.users import UserRepository
from tests.support.catalog import tr

APOLOGY = (
    "Sorry, something went wrong on my side. Please try again in a minute; "
    "if it happens again, call 1414."
)


async def test_a_failing_handler_apologises_in_the_users_language(
    app: App,
    user_kk: LocalUser,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire: 900115400109")

    monkeypatch.setattr(UserRepository, "set_language", broken)
    await user_kk.send("/language")
    replies = await user_kk.click("Русский")
    assert [r.text for r in replies if r.kind == "message"] == [tr(APOLOGY, "kk")]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged
    assert "900115400109" not in logged
    assert "Traceback" not in (caplog.text or "")


async def test_database_failure_gets_an_apology_not_a_crash(
    app: App, newcomer: LocalUser
) -> None:
    await app.db.close()
    replies = await newcomer.send("/help")
    assert [r.text for r in replies] == [tr(APOLOGY, "ru")]
