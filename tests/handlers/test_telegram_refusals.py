"""Telegram's normal refusals (a double tap, a deleted message, a late press) are no failure."""

import pytest

from bot.app import App
from bot.console.session import LocalSession
from bot.console.user import LocalUser
from bot.views.questions import TopicPage
from tests.support.catalog import tr

APOLOGY = (
    "Sorry, something went wrong on my side. Please try again in a minute; "
    "if it happens again, call 1414."
)
FORGOTTEN = (
    "Done: I have deleted everything I kept about you. If you write again, we start from scratch."
)
TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


@pytest.mark.parametrize("refusal", ["message is not modified", "message to edit not found"])
async def test_double_tap_or_button_of_a_deleted_message_is_silent(
    speaker: tuple[str, LocalUser], session: LocalSession, refusal: str
) -> None:
    locale, user = speaker
    page = TopicPage(topic="ivf", page=0).pack()
    first = await user.press_inline(page, message_id=555)
    assert first[-1].kind == "edit"
    # The second tap asks for the screen already shown (or the message is gone).
    session.fail_next(
        "bad_request",
        message=f"{refusal}: specified new message content and reply markup are exactly the same",
        method="EditMessageText",
    )
    replies = await user.press_inline(page, message_id=555)
    assert [reply for reply in replies if reply.kind == "message"] == []
    assert all(tr(APOLOGY, locale) not in (reply.text or "") for reply in replies)


async def test_a_press_too_old_to_answer_still_reports_the_done_action(
    user_ru: LocalUser, session: LocalSession, app: App
) -> None:
    await user_ru.send("/forget")
    session.fail_next("bad_request", message=TOO_OLD, method="AnswerCallbackQuery")
    replies = await user_ru.click(tr("🗑 Yes, delete", "ru"))
    texts = [reply.text for reply in replies if reply.kind == "message"]
    assert texts and texts[0].startswith(tr(FORGOTTEN, "ru"))
    assert tr(APOLOGY, "ru") not in texts
    assert await app.db.fetch_one("SELECT id FROM users WHERE id = ?", (user_ru.user.id,)) is None


async def test_a_late_press_on_a_navigation_button_still_shows_the_page(
    user_kk: LocalUser, session: LocalSession
) -> None:
    session.fail_next("bad_request", message=TOO_OLD, method="AnswerCallbackQuery")
    replies = await user_kk.press_inline(TopicPage(topic="ivf", page=0).pack(), message_id=556)
    assert [reply.kind for reply in replies] == ["edit"]
