"""One person's flood of messages must not delay everyone else: 20 a minute, then one note."""

import asyncio
import time
from collections.abc import Callable

from aiogram.methods import SendMessage

from bot.app import App
from bot.console.session import LocalSession
from bot.console.user import LocalUser
from bot.telegram.middlewares import MessageRateLimit
from bot.views.privacy import ForgetChoice
from tests.support.catalog import tr
from tests.support.factories import queue_csv
from tests.support.queue_steps import rows
from tests.support.staff import STAFF_ID

NOTE = (
    "You are sending messages faster than I can answer them. Please wait a minute: until then "
    "I will not answer new messages."
)
LONG_QUESTION = "Какая погода завтра в Караганде и что мне делать с этим? " * 60


def _sent_to(session: LocalSession, start: int, chat_id: int) -> list[str]:
    return [
        call.text
        for call in session.calls[start:]
        if isinstance(call, SendMessage) and call.chat_id == chat_id
    ]


async def test_a_burst_is_cut_at_20_a_minute_with_one_note_and_others_are_answered(
    make_user: Callable[..., LocalUser], session: LocalSession
) -> None:
    flooder = make_user(user_id=4301, language_code="ru")
    other = make_user(user_id=4302, language_code="ru")
    start = len(session.calls)
    # As polling hands them over: all at once, the other user's /help among them.
    await asyncio.gather(
        *(flooder.send(LONG_QUESTION[:4000]) for _ in range(40)), other.send("/help")
    )
    to_flooder = _sent_to(session, start, flooder.user.id)
    assert to_flooder.count(tr(NOTE, "ru")) == 1
    assert len(to_flooder) == 20 + 1
    [help_text] = _sent_to(session, start, other.user.id)
    assert help_text.startswith("<b>Что я умею</b>")


async def test_after_the_minute_the_person_is_answered_again_in_their_language(
    user_kk: LocalUser, app: App, session: LocalSession
) -> None:
    limiter: MessageRateLimit = app.dispatcher["message_rate_limit"]
    # A minute after choosing the language (/start and the button are messages too).
    now = [time.monotonic() + 61]
    limiter.clock = lambda: now[0]
    for _ in range(20):
        assert await user_kk.send("/help")
    assert [reply.text for reply in await user_kk.send("/help")] == [tr(NOTE, "kk")]
    assert await user_kk.send("/help") == []  # silence, no second note
    now[0] += 61
    replies = await user_kk.send("/help")
    assert replies[0].text.startswith("<b>Мен не істей аламын</b>")


async def test_staff_uploads_and_button_presses_are_not_counted(
    make_user: Callable[..., LocalUser], app: App, session: LocalSession
) -> None:
    staff = make_user(user_id=STAFF_ID, language_code="ru")
    for _ in range(25):
        replies = await staff.send_document("queue.csv", queue_csv(rows(), bom=True))
        assert replies and replies[-1].text != tr(NOTE, "ru")
    citizen = make_user(user_id=4303, language_code="ru")
    await citizen.send("/forget")
    for _ in range(25):
        replies = await citizen.press_inline(ForgetChoice(confirmed=False).pack())
        assert [reply.text for reply in replies if reply.kind == "message"] == [
            tr("Nothing was deleted.", "ru")
        ]
