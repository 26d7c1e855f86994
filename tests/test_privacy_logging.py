"""Personal data never reaches the log, even when the bot fails while handling it."""

from collections.abc import Callable

import pytest

from bot.console.user import LocalUser
from bot.db.users import UserRepository

IIN = "900115400109"
PHONE_DIGITS = "7011234567"


async def test_questions_with_iin_and_phone_leave_no_trace_in_logs(
    newcomer: LocalUser,
    log_text: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await newcomer.send(f"мой иин {IIN}, телефон +7 {PHONE_DIGITS}")
    await newcomer.share_contact(f"+7{PHONE_DIGITS}")

    async def broken(*args: object, **kwargs: object) -> None:
        raise ValueError(f"bad value {IIN} {PHONE_DIGITS}")

    monkeypatch.setattr(UserRepository, "set_language", broken)
    await newcomer.send("/language")
    await newcomer.click("Русский")
    text = log_text()
    assert "ValueError" in text  # the failure itself is logged...
    assert IIN not in text  # ...but never the personal data around it
    assert PHONE_DIGITS not in text
