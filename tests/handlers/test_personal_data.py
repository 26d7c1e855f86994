"""IINs and phones typed in any form never reach the question log, /stats, the log or a reply."""

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from bot.console.user import LocalUser
from bot.db.questions import QuestionLogRepository
from tests.support.catalog import tr

IIN = "900115403014"
PHONE = "7015550002"
QUESTION = "Какая погода завтра в Караганде, {data}?"
STATS_HEADING = "<b>Most common unanswered questions, last 7 days</b>"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize(
    "data",
    [
        "ИИН 9001.1540.3014",
        "ИИН 9001,1540,3014",
        "ИИН 9001/1540/3014",
        "ИИН 9\u200b001\u200b1540\u200b3014",
        "ИИН 9001\u00a01540\u00a03014",
        "тел. +7.701.555.00.02",
        "тел. 8/701/555/00/02",
        "тел. 8\u200b(701)\u200b555\u200b00\u200b02",
    ],
)
async def test_iin_or_phone_typed_with_dots_commas_slashes_or_invisible_characters_is_masked(
    app: App,
    admin: LocalUser,
    newcomer: LocalUser,
    log_text: Callable[[], str],
    data: str,
) -> None:
    replies = await newcomer.send(QUESTION.format(data=data))
    kept = await QuestionLogRepository(app.db).most_common_unanswered(days=1, limit=5)
    stats = (await admin.send("/stats"))[0].text
    assert "погода" in replies[0].text and "погода" in kept[0][0] and "погода" in stats
    for shown in (replies[0].text, kept[0][0], stats, log_text()):
        assert IIN not in _digits(shown) and PHONE not in _digits(shown)


async def test_one_citizen_repeating_a_question_counts_once_in_stats(
    admin: LocalUser, make_user: Callable[..., LocalUser]
) -> None:
    repeating = make_user(user_id=4202, language_code="ru")
    for _ in range(15):
        await repeating.send("Какая погода завтра в Караганде?")
    await make_user(user_id=4203, language_code="ru").send("какая погода завтра в караганде")
    stats = (await admin.send("/stats"))[0].text
    assert tr(STATS_HEADING, "ru") in stats
    assert "1. «Какая погода завтра в Караганде?» — 2" in stats


async def test_no_user_id_is_kept_in_clear_with_a_question(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    await make_user(user_id=4204, language_code="ru").send("Какая погода завтра в Караганде?")
    row = await app.db.fetch_one("SELECT * FROM unanswered_questions")
    assert row is not None
    assert "4204" not in " ".join(str(value) for value in tuple(row))
    assert isinstance(row["asker"], bytes) and len(row["asker"]) == 32


async def test_daily_cleanup_drops_old_questions_and_old_lookup_attempts(app: App) -> None:
    log = QuestionLogRepository(app.db)
    today = datetime.now(UTC).date()
    await log.record_unanswered("старый вопрос", "старый вопрос", "ru", today - timedelta(91))
    await log.record_unanswered("свежий вопрос", "свежий вопрос", "ru", today - timedelta(89))
    now = datetime.now(UTC).timestamp()
    for at in (now - 90_000, now - 60):
        await app.db.execute(
            "INSERT INTO queue_lookup_attempts (user_id, attempted_at, found) VALUES (1, ?, 0)",
            (at,),
        )
    workflow = app.dispatcher.workflow_data
    await app.dispatcher.emit_startup(bot=app.bot, **workflow)
    try:
        for _ in range(100):  # the clean-up runs in the background right after start-up
            left = await app.db.fetch_all("SELECT text FROM unanswered_questions")
            if len(left) == 1:
                break
            await asyncio.sleep(0.01)
        assert [row["text"] for row in left] == ["свежий вопрос"]
        attempts = await app.db.fetch_all("SELECT attempted_at FROM queue_lookup_attempts")
        assert [row["attempted_at"] for row in attempts] == [now - 60]
    finally:
        await app.dispatcher.emit_shutdown(bot=app.bot, **workflow)
