"""Telegram saying 429, 403 or timing out: bounded retries, one log line, no crash."""

import logging

import pytest

from bot.console.session import LocalSession
from bot.console.user import LocalUser
from tests.support.clock import VirtualClock

APOLOGY = (
    "Sorry, something went wrong on my side. Please try again in a minute; "
    "if it happens again, call 1414."
)


async def test_429_is_waited_out_and_the_reply_arrives(
    user_ru: LocalUser, session: LocalSession, clock: VirtualClock
) -> None:
    session.fail_next("retry_after", retry_after=3)
    replies = await user_ru.send("/help")
    assert len(replies) == 1
    assert replies[0].text.startswith("<b>Что я умею</b>")
    assert clock.waits == [3]


async def test_429_retries_are_bounded(
    user_ru: LocalUser,
    session: LocalSession,
    clock: VirtualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    session.fail_next("retry_after", times=10, retry_after=1)
    replies = await user_ru.send("/help")
    # Three retries of the reply, then the errors handler gives up on its apology as well.
    assert len(clock.waits) <= 2 * 3
    assert all(reply.kind != "message" or "Что я умею" not in reply.text for reply in replies)
    # Telegram answers again: the bot is still alive and answers.
    replies = await user_ru.send("/help")
    assert replies and replies[-1].text.startswith("<b>Что я умею</b>")


async def test_429_asking_too_long_a_wait_is_not_waited(
    user_ru: LocalUser, session: LocalSession, clock: VirtualClock
) -> None:
    session.fail_next("retry_after", retry_after=3600)
    await user_ru.send("/help")
    assert 3600 not in clock.waits


async def test_timeout_is_retried(
    user_kk: LocalUser, session: LocalSession, clock: VirtualClock
) -> None:
    session.fail_next("timeout")
    replies = await user_kk.send("/help")
    assert replies[0].text.startswith("<b>Мен не істей аламын</b>")
    assert len(clock.waits) == 1


async def test_blocked_user_is_logged_once_and_nothing_crashes(
    user_ru: LocalUser, session: LocalSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    session.fail_next("forbidden")
    replies = await user_ru.send("/help")
    assert replies == []
    blocked = [r for r in caplog.records if "blocked" in r.getMessage()]
    assert len(blocked) == 1
    assert not any(r.exc_info for r in caplog.records)
