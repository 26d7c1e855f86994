"""«Ask a person» (issue 16) end to end through the real dispatcher: a citizen's question reaches
the staff of their region (and no other), a staff reply reaches the citizen, and back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from aiogram import html
from aiogram.methods import CreateForumTopic, SendMessage

from bot.app import App, build_app
from bot.config import Settings
from bot.console.session import LocalSession
from bot.console.user import BotReply, LocalUser
from bot.jobs.tickets import TicketReminders
from bot.views.tickets import AnswerVote, StaffTicketAction
from tests.support.broadcast import eventually
from tests.support.catalog import tr, trn
from tests.support.clock import VirtualClock
from tests.support.staff import STAFF_ID, staff_member

ABAI_MEMBER = 5555
KARAGANDA_MEMBER = 6666
STAFF_GROUP = -100_500
ALMATY_TIME = ZoneInfo("Asia/Almaty")
QUESTIONS = {
    "kk": "Емхана мені қабылдамайды, не істеуім керек?",
    "ru": "Поликлиника не принимает меня, что мне делать?",
}
ASK = "🙋 Ask a person"
QUESTION_HEADER = "🙋 <b>Question №{number}</b>"
SUBMITTED = (
    "Your question №{number} has been sent to the health department ({region}). The answer "
    "will come here, usually within two working days."
)
ANSWER_HEADER = "💬 <b>Answer of the health department ({region})</b> to your question №{number}:"
REPLY_HINT = (
    "↩️ Reply to this message to answer: the citizen gets your reply from the health "
    "department, not from you by name."
)
INTRO = (
    "🙋 A specialist of your region's health department will answer you here, in this chat, "
    "usually within two working days.\n\nPlease do not send your IIN, phone number or medical "
    "documents: I hide such numbers anyway. In an emergency call <b>103</b>."
)
OTHER_REGION = "This question belongs to another region: you cannot read, answer or close it."


def sent_to(replies: list[BotReply], chat_id: int) -> list[BotReply]:
    """What of an exchange reached `chat_id` (the bot also writes to staff meanwhile)."""
    return [reply for reply in replies if getattr(reply.method, "chat_id", None) == chat_id]


def region_name(app: App, code: str, locale: str) -> str:
    region = app.dispatcher["regions"].get(code)
    assert region is not None
    return str(region.name(locale))


@pytest.fixture
async def staff(app: App, make_user: Callable[..., LocalUser]) -> dict[str, LocalUser]:
    return {
        "abai": await staff_member(app, make_user, ABAI_MEMBER, "abai"),
        "karaganda": await staff_member(app, make_user, KARAGANDA_MEMBER, "karaganda"),
        # The administrator never chose a language: staff messages come in the default (kk).
        "admin": make_user(user_id=STAFF_ID),
    }


async def open_ticket(
    app: App, user: LocalUser, locale: str, region: str = "abai"
) -> tuple[int, list[BotReply]]:
    """/ask, pick the region, type the question: (ticket number, everything the bot sent)."""
    replies = await user.send("/ask")
    assert replies[0].text == tr(INTRO, locale)
    if region == "abai":  # on the picker's first page
        await user.click(region_name(app, region, locale))
    else:
        await user.send(region_name(app, region, locale))
    replies = await user.send(QUESTIONS[locale])
    ticket = await app.dispatcher["tickets"].open_ticket_of(user.user.id)
    assert ticket is not None
    return ticket.id, replies


async def asking_abai(app: App, citizen: LocalUser, locale: str) -> None:
    """/ask and the Abai region: the bot waits for the question."""
    await citizen.send("/ask")
    await citizen.click(region_name(app, "abai", locale))


async def ticket_seen_by_abai(app: App, citizen: LocalUser, locale: str) -> tuple[int, BotReply]:
    """A ticket opened in Abai: (its number, the message that showed it to the Abai member)."""
    number, replies = await open_ticket(app, citizen, locale)
    return number, only(sent_to(replies, ABAI_MEMBER))


def only(replies: list[BotReply]) -> BotReply:
    assert len(replies) == 1, [reply.text for reply in replies]
    return replies[0]


async def test_a_question_reaches_staff_of_its_region_and_administrators_only(
    app: App, staff: dict[str, LocalUser], speaker: tuple[str, LocalUser]
) -> None:
    locale, citizen = speaker
    number, replies = await open_ticket(app, citizen, locale)
    mine = only(sent_to(replies, citizen.user.id))
    assert mine.text == tr(
        SUBMITTED, locale, number=number, region=region_name(app, "abai", locale)
    )
    assert mine.buttons == [tr("➕ Add a message", locale), tr("✖️ Close the question", locale)]
    for member, staff_locale in ((ABAI_MEMBER, "ru"), (STAFF_ID, "kk")):
        text = only(sent_to(replies, member)).text
        assert text.startswith(tr(QUESTION_HEADER, staff_locale, number=number))
        assert QUESTIONS[locale] in text
        region = region_name(app, "abai", staff_locale)
        assert tr("Region: {region}", staff_locale, region=region) in text
        assert text.endswith(tr(REPLY_HINT, staff_locale))
        # No name, username or Telegram id of the citizen.
        assert "Aigerim" not in text and str(citizen.user.id) not in text
    assert sent_to(replies, KARAGANDA_MEMBER) == []


async def test_staff_reply_reaches_the_citizen_and_a_second_message_joins_the_ticket(
    app: App, staff: dict[str, LocalUser], speaker: tuple[str, LocalUser]
) -> None:
    locale, citizen = speaker
    number, ticket_message = await ticket_seen_by_abai(app, citizen, locale)
    assert ticket_message.message_id is not None

    answer = "Обратитесь в приёмную главного врача: 8 7222 00 00 00."
    replies = await staff["abai"].reply(ticket_message.message_id, answer)
    relayed = only(sent_to(replies, citizen.user.id))
    header = tr(ANSWER_HEADER, locale, region=region_name(app, "abai", locale), number=number)
    # The citizen gets the phone of the clinic in full; only what citizens type is masked.
    assert relayed.text == f"{header}\n\n{answer}"
    assert relayed.buttons[:2] == [tr("👍 Helped", locale), tr("👎 Did not help", locale)]
    assert only(sent_to(replies, ABAI_MEMBER)).text == tr(
        "✅ Sent to the citizen (question №{number}).", "ru", number=number
    )

    citizen.inline_keyboards = [(relayed.message_id, relayed.inline)]
    replies = await citizen.click(tr("👍 Helped", locale))
    assert replies[-1].text == tr("Thank you for your rating!", locale)
    ticket = await app.dispatcher["tickets"].get(number)
    assert ticket.rating == 1

    citizen.inline_keyboards = [(relayed.message_id, relayed.inline)]
    await citizen.click(tr("➕ Add a message", locale))
    replies = await citizen.send(QUESTIONS[locale] + " 900115400109")
    assert only(sent_to(replies, citizen.user.id)).text == tr(
        "Added to your question №{number}.", locale, number=number
    )
    added = only(sent_to(replies, ABAI_MEMBER)).text
    assert added.startswith(
        tr("➕ <b>Question №{number}</b>: the citizen adds:", "ru", number=number)
    )
    assert "[IIN]" in added and "900115400109" not in added
    assert (await app.dispatcher["tickets"].open_ticket_of(citizen.user.id)).id == number


async def test_a_long_question_with_html_characters_reaches_staff_whole(
    app: App, staff: dict[str, LocalUser], speaker: tuple[str, LocalUser]
) -> None:
    # Escaped, «&» and «<» take five and four characters: the quoted text must not be cut by
    # its escaped length, least of all inside an «&amp;», which Telegram refuses.
    locale, citizen = speaker
    await asking_abai(app, citizen, locale)
    question = QUESTIONS[locale] + " " + "A & B <C> " * 290
    replies = await citizen.send(question)
    shown = only(sent_to(replies, ABAI_MEMBER)).text
    assert html.quote(question.strip()) in shown
    assert shown.endswith(tr(REPLY_HINT, "ru"))


async def test_a_staff_answer_with_html_characters_reaches_the_citizen_whole(
    app: App, staff: dict[str, LocalUser], speaker: tuple[str, LocalUser]
) -> None:
    locale, citizen = speaker
    number, ticket_message = await ticket_seen_by_abai(app, citizen, locale)
    answer = "Приём & запись <по будням> " * 120
    replies = await staff["abai"].reply(ticket_message.message_id or 0, answer)
    relayed = only(sent_to(replies, citizen.user.id))
    header = tr(ANSWER_HEADER, locale, region=region_name(app, "abai", locale), number=number)
    assert relayed.text == f"{header}\n\n{html.quote(answer)}"


async def test_a_question_of_invisible_characters_only_is_not_sent_to_staff(
    app: App, staff: dict[str, LocalUser], speaker: tuple[str, LocalUser]
) -> None:
    locale, citizen = speaker
    await asking_abai(app, citizen, locale)
    replies = await citizen.send("\u200b\u2060\ufeff")
    assert [reply.text for reply in replies] == [
        tr("Please type your question as text: I pass on text only.", locale)
    ]
    assert await app.dispatcher["tickets"].open_ticket_of(citizen.user.id) is None
    # Still waiting for the question.
    replies = await citizen.send(QUESTIONS[locale])
    assert QUESTIONS[locale] in only(sent_to(replies, ABAI_MEMBER)).text


async def test_a_staff_reply_of_invisible_characters_only_is_not_relayed(
    app: App, staff: dict[str, LocalUser], user_kk: LocalUser
) -> None:
    number, ticket_message = await ticket_seen_by_abai(app, user_kk, "kk")
    replies = await staff["abai"].reply(ticket_message.message_id or 0, "\u200b")
    assert [reply.text for reply in replies] == [
        tr("I can pass on text, a photo or a document.", "ru")
    ]
    assert (await app.dispatcher["tickets"].get(number)).first_answered_at is None


async def test_a_command_of_another_feature_leaves_the_question_to_staff(
    app: App, staff: dict[str, LocalUser], speaker: tuple[str, LocalUser]
) -> None:
    # /ivf opens something else: what is typed next is a question to the bot, not to staff.
    locale, citizen = speaker
    await asking_abai(app, citizen, locale)
    await citizen.send("/ivf")
    replies = await citizen.send(QUESTIONS[locale])
    assert sent_to(replies, ABAI_MEMBER) == []
    assert await app.dispatcher["tickets"].open_ticket_of(citizen.user.id) is None


async def test_help_and_language_leave_the_question_to_staff_waiting(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    await asking_abai(app, user_ru, "ru")
    await user_ru.send("/help")
    await user_ru.send("/language")
    replies = await user_ru.send(QUESTIONS["ru"])
    assert QUESTIONS["ru"] in only(sent_to(replies, ABAI_MEMBER)).text


async def test_a_reply_to_the_answer_joins_the_ticket(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    number, ticket_message = await ticket_seen_by_abai(app, user_ru, "ru")
    replies = await staff["abai"].reply(ticket_message.message_id or 0, "Уточните район.")
    relayed = only(sent_to(replies, user_ru.user.id))
    replies = await user_ru.reply(relayed.message_id or 0, "Абайский район")
    assert only(sent_to(replies, user_ru.user.id)).text == tr(
        "Added to your question №{number}.", "ru", number=number
    )
    assert "Абайский район" in only(sent_to(replies, ABAI_MEMBER)).text


async def test_an_administrator_asking_himself_answers_as_staff_from_the_ticket_message(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    # As in the console with --staff: one person is the citizen and the administrator.
    admin = make_user(user_id=STAFF_ID)
    await admin.send("/start")
    await admin.click("Русский")
    number, replies = await open_ticket(app, admin, "ru")
    ticket_message = replies[-1]
    assert ticket_message.text.startswith(tr(QUESTION_HEADER, "ru", number=number))
    assert admin.latest_bot_message_id() == ticket_message.message_id
    replies = await admin.reply(ticket_message.message_id or 0, "Ответ себе")
    answer = next(reply for reply in replies if reply.text.endswith("Ответ себе"))
    assert answer.text.startswith(
        tr(ANSWER_HEADER, "ru", region=region_name(app, "abai", "ru"), number=number)
    )
    # And his reply to that answer, as the citizen, adds to the ticket.
    replies = await admin.reply(answer.message_id or 0, "Спасибо, ещё вопрос")
    assert replies[0].text == tr("Added to your question №{number}.", "ru", number=number)


async def test_staff_of_another_region_cannot_answer_or_close(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    number, ticket_message = await ticket_seen_by_abai(app, user_ru, "ru")
    other = staff["karaganda"]
    # The ticket forwarded by a colleague: a reply to the copy is refused.
    replies = await other.reply(ticket_message.message_id or 0, "Ответ", forwarded=True)
    assert [reply.text for reply in replies] == [
        tr(
            "Reply to the question message I sent you myself: replies to forwarded copies are "
            "not passed on.",
            "ru",
        )
    ]
    # Forged button data.
    for action in ("close", "show"):
        data = StaffTicketAction(ticket_id=number, action=action).pack()
        replies = await other.press_inline(data)
        assert [(reply.kind, reply.text) for reply in replies] == [
            ("alert", tr(OTHER_REGION, "ru"))
        ]
    # A member moved to another region after the ticket reached them.
    await app.dispatcher["staff_members"].add(
        ABAI_MEMBER, "karaganda", STAFF_ID, datetime.now(UTC)
    )
    replies = await staff["abai"].reply(ticket_message.message_id or 0, "Ответ")
    assert [reply.text for reply in replies] == [tr(OTHER_REGION, "ru")]
    assert sent_to(replies, user_ru.user.id) == []
    assert (await app.dispatcher["tickets"].get(number)).first_answered_at is None


async def test_a_citizen_cannot_use_staff_buttons_or_answer_tickets(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser, user_kk: LocalUser
) -> None:
    number, _replies = await open_ticket(app, user_ru, "ru")
    data = StaffTicketAction(ticket_id=number, action="close").pack()
    replies = await user_kk.press_inline(data)
    assert [reply.text for reply in replies] == [tr("This button is out of date.", "kk")]
    assert not (await app.dispatcher["tickets"].get(number)).is_closed


async def test_staff_close_the_ticket_and_the_citizen_is_told(
    app: App, staff: dict[str, LocalUser], speaker: tuple[str, LocalUser]
) -> None:
    locale, citizen = speaker
    number, replies = await open_ticket(app, citizen, locale)
    ticket_message = only(sent_to(replies, STAFF_ID))
    admin = staff["admin"]
    admin.inline_keyboards = [(ticket_message.message_id, ticket_message.inline)]
    replies = await admin.click(tr("✅ Close the ticket", "kk"))
    assert only(sent_to(replies, citizen.user.id)).text == tr(
        "The health department has closed your question №{number}. If you need more help, "
        "send /ask.",
        locale,
        number=number,
    )
    # Pushed messages reach him in the default language (kk); replies to what he does come in
    # the language his Telegram reports (ru), as for anyone who never chose one.
    assert only(sent_to(replies, STAFF_ID)).text == tr(
        "✅ Question №{number} is closed; the citizen has been told.", "ru", number=number
    )
    # A second tap (or a colleague's) closes nothing more.
    replies = await admin.press_inline(StaffTicketAction(ticket_id=number, action="close").pack())
    assert [reply.text for reply in replies] == [
        tr("Question №{number} is closed: nothing was sent.", "ru", number=number)
    ]


async def test_the_citizen_closes_the_ticket_and_staff_are_told(
    app: App, staff: dict[str, LocalUser], user_kk: LocalUser
) -> None:
    number, _replies = await open_ticket(app, user_kk, "kk")
    replies = await user_kk.click(tr("✖️ Close the question", "kk"))
    assert only(sent_to(replies, user_kk.user.id)).text == tr(
        "Question №{number} is closed. Thank you!", "kk", number=number
    )
    assert only(sent_to(replies, ABAI_MEMBER)).text == tr(
        "The citizen has closed question №{number}.", "ru", number=number
    )
    replies = await user_kk.send("/tickets")
    assert replies[0].text.startswith(tr("<b>Your questions to specialists</b>", "kk"))
    assert f"№{number} — {tr('closed', 'kk')}, " in replies[0].text


async def test_ask_a_person_under_a_no_answer_reply_sends_the_question_just_asked(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    await app.dispatcher["users"].set_region(user_ru.user.id, "abai")
    question = "Какая погода завтра в Семее, мой номер +7 701 123 45 67"
    replies = await user_ru.send(question)
    assert replies[0].buttons[-1] == tr(ASK, "ru")
    replies = await user_ru.click(tr(ASK, "ru"))
    masked = "Какая погода завтра в Семее, мой номер [PHONE]"
    assert [reply.text for reply in replies] == [
        tr(INTRO, "ru"),
        tr("Send this question to a specialist?\n\n«{question}»", "ru", question=masked),
    ]
    send = next(b.callback_data for row in user_ru.last_inline for b in row)
    assert send is not None
    # A double tap sends the question once.
    first, second = await asyncio.gather(user_ru.press_inline(send), user_ru.press_inline(send))
    replies = first + second
    staff_text = only(sent_to(replies, ABAI_MEMBER)).text
    assert masked in staff_text and "701" not in staff_text
    assert tr("This button is out of date.", "ru") in [reply.text for reply in replies]
    assert len(await app.dispatcher["tickets"].tickets_of(user_ru.user.id)) == 1


async def test_send_pressed_after_a_restart_asks_for_the_question_again(
    app: App, staff: dict[str, LocalUser], speaker: tuple[str, LocalUser]
) -> None:
    # The question offered for sending is kept in memory only: a restart loses it, the dialog
    # (in SQLite) stays. «Send» must not be a dead end then.
    locale, citizen = speaker
    await app.dispatcher["users"].set_region(citizen.user.id, "abai")
    await citizen.send(QUESTIONS[locale])
    await citizen.click(tr(ASK, locale))
    offered = citizen.inline_keyboards
    restarted = await build_app(app.settings, session=LocalSession())
    try:
        again = LocalUser(restarted.dispatcher, restarted.bot, user_id=citizen.user.id)
        again.inline_keyboards = offered
        replies = await again.click(tr("📨 Send", locale))
        assert [reply.text for reply in replies if reply.kind == "message"] == [
            tr("Type your question in one message. /cancel — stop.", locale)
        ]
        replies = await again.send(QUESTIONS[locale])
        assert QUESTIONS[locale] in only(sent_to(replies, ABAI_MEMBER)).text
    finally:
        await restarted.close()


async def test_a_question_typed_instead_of_pressing_send_is_the_one_sent(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    await app.dispatcher["users"].set_region(user_ru.user.id, "abai")
    await user_ru.send("Какая погода завтра в Семее?")
    await user_ru.click(tr(ASK, "ru"))
    replies = await user_ru.send("Где получить направление на ЭКО в Семее?")
    assert "Где получить направление" in only(sent_to(replies, ABAI_MEMBER)).text


async def test_a_citizen_who_blocked_the_bot_gets_the_ticket_closed_and_staff_told(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser, session: LocalSession
) -> None:
    number, ticket_message = await ticket_seen_by_abai(app, user_ru, "ru")
    session.fail_next("forbidden", method="SendMessage")
    replies = await staff["abai"].reply(ticket_message.message_id or 0, "Ответ")
    assert [reply.text for reply in replies] == [
        tr(
            "⚠️ The citizen has blocked the bot, so the answer cannot reach them: question "
            "№{number} is closed.",
            "ru",
            number=number,
        )
    ]
    assert (await app.dispatcher["tickets"].get(number)).is_closed


async def test_forget_mid_ticket_deletes_the_texts_and_the_link(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    number, ticket_message = await ticket_seen_by_abai(app, user_ru, "ru")
    await user_ru.send("/forget")
    await user_ru.click(tr("🗑 Yes, delete", "ru"))
    ticket = await app.dispatcher["tickets"].get(number)
    assert ticket.user_id is None and ticket.is_closed
    assert await app.db.fetch_all("SELECT * FROM ticket_messages") == []
    replies = await staff["abai"].reply(ticket_message.message_id or 0, "Ответ")
    assert [reply.text for reply in replies] == [
        tr("Question №{number} is closed: nothing was sent.", "ru", number=number)
    ]
    # Staff keep the anonymous count.
    admin_stats = (await staff["admin"].send("/stats"))[0].text
    abai = region_name(app, "abai", "ru")
    assert f"• {abai}: " in admin_stats


async def test_an_old_ticket_is_reminded_once_after_two_working_days(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    friday_morning = datetime(2026, 12, 4, 10, 0, tzinfo=ALMATY_TIME).timestamp()
    tickets = app.dispatcher["tickets"]
    tickets.clock = lambda: friday_morning  # a virtual clock: the ticket opens on a Friday
    number, _replies = await open_ticket(app, user_ru, "ru")
    reminders = app.dispatcher["ticket_reminders"]
    session = user_ru.session
    monday_night = datetime(2026, 12, 7, 23, 0, tzinfo=ALMATY_TIME).timestamp()
    start = len(session.calls)
    # Three days, one of them a working day: not yet.
    assert await reminders.run_once(app.bot, monday_night) == 0
    tuesday = datetime(2026, 12, 8, 10, 1, tzinfo=ALMATY_TIME).timestamp()
    assert await reminders.run_once(app.bot, tuesday) == 1
    assert await reminders.run_once(app.bot, tuesday + 86_400) == 0
    sent = {call.chat_id: call.text for call in session.calls[start:]}
    assert set(sent) == {ABAI_MEMBER, STAFF_ID}
    assert sent[ABAI_MEMBER].startswith(
        tr("⏰ This question has waited for an answer for more than two working days.", "ru")
    )
    assert tr(QUESTION_HEADER, "ru", number=number) in sent[ABAI_MEMBER]
    assert tr(QUESTION_HEADER, "kk", number=number) in sent[STAFF_ID]


async def test_the_reminder_loop_reminds_once_as_virtual_days_pass(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    clock = VirtualClock()
    clock.seconds = datetime(2026, 12, 4, 10, 0, tzinfo=ALMATY_TIME).timestamp()  # a Friday
    tickets = app.dispatcher["tickets"]
    tickets.clock = clock.now
    await open_ticket(app, user_ru, "ru")
    reminders = TicketReminders(
        tickets, app.dispatcher["messenger"], 90, clock=clock.now, sleep=clock.sleep, interval=3600
    )
    session = user_ru.session
    start = len(session.calls)
    reminder = tuple(
        tr("⏰ This question has waited for an answer for more than two working days.", locale)
        for locale in ("kk", "ru")
    )

    def reminded() -> list[int]:
        return [
            call.chat_id
            for call in session.calls[start:]
            if isinstance(call, SendMessage) and call.text.startswith(reminder)
        ]

    await reminders.on_startup(app.bot)
    try:
        # A virtual week passes in hourly steps.
        await eventually(
            lambda: clock.seconds > datetime(2026, 12, 11, tzinfo=ALMATY_TIME).timestamp()
        )
    finally:
        await reminders.on_shutdown()
    # Once to each: the region's member (ru) and the administrator (kk).
    assert sorted(reminded()) == sorted([ABAI_MEMBER, STAFF_ID])


async def test_staff_list_open_tickets_oldest_first_with_the_waiting_time(
    app: App,
    staff: dict[str, LocalUser],
    user_ru: LocalUser,
    user_kk: LocalUser,
    make_user: Callable[..., LocalUser],
) -> None:
    tickets = app.dispatcher["tickets"]
    opened = datetime(2026, 12, 1, 9, 0, tzinfo=ALMATY_TIME).timestamp()
    tickets.clock = lambda: opened
    first, _ = await open_ticket(app, user_ru, "ru")
    tickets.clock = lambda: opened + 3600
    second, _ = await open_ticket(app, user_kk, "kk")
    await open_ticket(app, make_user(user_id=4003), "ru", region="karaganda")
    tickets.clock = lambda: opened + 2 * 86_400 + 3 * 3600
    text = (await staff["abai"].send("/tickets"))[0].text
    lines = text.splitlines()
    assert lines[0] == tr("<b>Open questions</b>, oldest first:", "ru")
    waited = trn("{count} day", "ru", 2, count=2) + " " + trn("{count} hour", "ru", 3, count=3)
    assert lines[1].startswith(f"№{first} · {region_name(app, 'abai', 'ru')} · ")
    assert waited in lines[1]
    assert lines[2].startswith(f"№{second} ")
    assert len(lines) == 3  # the Karaganda ticket is not theirs
    replies = await staff["abai"].click(f"№{second}")
    assert replies[0].text.startswith(tr(QUESTION_HEADER, "ru", number=second))
    # The re-sent ticket can be answered by a reply too.
    replies = await staff["abai"].reply(replies[0].message_id or 0, "Ответ")
    assert sent_to(replies, user_kk.user.id)


async def test_citizen_lists_own_tickets(user_kk: LocalUser) -> None:
    replies = await user_kk.send("/tickets")
    assert replies[0].text == tr(
        "You have not asked a specialist anything yet. Press «{button}» under an answer or "
        "send /ask.",
        "kk",
        button=tr(ASK, "kk"),
    )


# Votes under knowledge-base answers ---------------------------------------------------------
def a_fact_entry(app: App) -> str:
    entry = next(e for e in app.dispatcher["knowledge_base"].all() if e.kind == "fact")
    return str(entry.id)


async def test_votes_are_one_per_person_per_answer_changeable_and_counted_in_stats(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser, user_kk: LocalUser
) -> None:
    entry_id = a_fact_entry(app)
    up = AnswerVote(entry=entry_id, helpful=True).pack()
    down = AnswerVote(entry=entry_id, helpful=False).pack()
    # A double tap, and a change of mind at the same moment: still one vote.
    await asyncio.gather(user_ru.press_inline(up), user_ru.press_inline(up))
    await asyncio.gather(user_ru.press_inline(down), user_kk.press_inline(down))
    rows = await app.db.fetch_all(
        "SELECT helpful FROM answer_votes WHERE entry_id = ?", (entry_id,)
    )
    assert sorted(row["helpful"] for row in rows) == [0, 0]
    replies = await user_ru.press_inline(up)
    assert replies[0].text == tr(
        "Thank you! Your rating is saved; you can change it at any time.", "ru"
    )
    text = (await staff["admin"].send("/stats"))[0].text
    title = app.dispatcher["knowledge_base"].get(entry_id).title_in("ru")
    assert tr("<b>Answers rated «👎», most first</b>", "ru") in text
    assert (
        tr(
            "{number}. {title} — 👎 {down} of {total} ({share}%)",
            "ru",
            number=1,
            title=title,
            down=1,
            total=2,
            share=50,
        )
        in text
    )


async def test_a_thumbs_down_offers_to_ask_a_person(
    app: App, speaker: tuple[str, LocalUser]
) -> None:
    locale, user = speaker
    replies = await user.press_inline(AnswerVote(entry=a_fact_entry(app), helpful=False).pack())
    offer = replies[-1]
    assert offer.text == tr(
        "Sorry this answer did not help. A specialist of your region's health department can "
        "answer you here, in this chat.",
        locale,
    )
    assert offer.buttons == [tr(ASK, locale)]


async def test_a_knowledge_base_answer_has_votes_and_ask_a_person_last(
    user_ru: LocalUser,
) -> None:
    replies = await user_ru.send("Что такое ОСМС?")
    assert replies[0].buttons[-3:] == ["👍", "👎", tr(ASK, "ru")]


async def test_stats_count_tickets_by_region_with_the_median_time_to_answer(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    tickets = app.dispatcher["tickets"]
    opened = datetime(2026, 12, 1, 9, 0, tzinfo=ALMATY_TIME).timestamp()
    tickets.clock = lambda: opened
    _number, replies = await open_ticket(app, user_ru, "ru")
    tickets.clock = lambda: opened + 5 * 3600
    await staff["abai"].reply(only(sent_to(replies, ABAI_MEMBER)).message_id or 0, "Ответ")
    text = (await staff["abai"].send("/stats"))[0].text
    assert (
        tr(
            "• {region}: opened {opened}, answered {answered}, median time to answer {median}",
            "ru",
            region=region_name(app, "abai", "ru"),
            opened=1,
            answered=1,
            median=trn("{count} hour", "ru", 5, count=5),
        )
        in text
    )


# A staff group (STAFF_CHAT_ID) -----------------------------------------------------------------
@pytest.fixture(params=[False, True], ids=["group", "forum"])
async def group_app(
    request: pytest.FixtureRequest, settings: Settings, clock: VirtualClock
) -> AsyncIterator[App]:
    grouped = settings.model_copy(
        update={"staff_chat_id": STAFF_GROUP, "staff_chat_topics": request.param}
    )
    application = await build_app(grouped, session=LocalSession(), sleep=clock.sleep)
    yield application
    await application.close()


async def test_with_a_staff_group_tickets_go_there_and_are_answered_there(
    group_app: App,
) -> None:
    citizen = LocalUser(group_app.dispatcher, group_app.bot, user_id=4001)
    await citizen.send("/start")
    await citizen.click("Русский")
    number, replies = await open_ticket(group_app, citizen, "ru")
    in_group = only(sent_to(replies, STAFF_GROUP))
    assert in_group.text.startswith(tr(QUESTION_HEADER, "kk", number=number))
    assert sent_to(replies, STAFF_ID) == []
    admin = LocalUser(group_app.dispatcher, group_app.bot, user_id=STAFF_ID)
    replies = await admin.reply(in_group.message_id or 0, "Ответ", chat_id=STAFF_GROUP)
    assert only(sent_to(replies, citizen.user.id)).text.endswith("Ответ")
    # A group member who is not staff cannot answer.
    stranger = LocalUser(group_app.dispatcher, group_app.bot, user_id=4002)
    replies = await stranger.reply(in_group.message_id or 0, "Шутка", chat_id=STAFF_GROUP)
    assert sent_to(replies, citizen.user.id) == []


async def test_in_a_forum_each_ticket_has_its_topic_and_anything_written_there_answers_it(
    group_app: App,
) -> None:
    if not group_app.settings.staff_chat_topics:
        pytest.skip("a forum group only")
    citizen = LocalUser(group_app.dispatcher, group_app.bot, user_id=4001)
    await citizen.send("/start")
    await citizen.click("Русский")
    session = citizen.session
    start = len(session.calls)
    number, replies = await open_ticket(group_app, citizen, "ru")
    [topic] = [call for call in session.calls[start:] if isinstance(call, CreateForumTopic)]
    assert topic.chat_id == STAFF_GROUP
    assert topic.name == f"№{number} · {region_name(group_app, 'abai', 'kk')}"
    ticket = await group_app.dispatcher["tickets"].get(number)
    in_group = only(sent_to(replies, STAFF_GROUP))
    assert in_group.method.message_thread_id == ticket.staff_topic_id
    # The citizen adds a message: it goes to the same topic, no second topic is opened.
    await citizen.click(tr("➕ Add a message", "ru"))
    start = len(session.calls)
    replies = await citizen.send("Дополнение")
    assert not [call for call in session.calls[start:] if isinstance(call, CreateForumTopic)]
    assert only(sent_to(replies, STAFF_GROUP)).method.message_thread_id == ticket.staff_topic_id
    # A message typed in the topic (Telegram makes it a reply to the topic's first message).
    admin = LocalUser(group_app.dispatcher, group_app.bot, user_id=STAFF_ID)
    replies = await admin.reply(ticket.staff_topic_id or 0, "Ответ в теме", chat_id=STAFF_GROUP)
    assert only(sent_to(replies, citizen.user.id)).text.endswith("Ответ в теме")


async def test_staff_may_relay_a_photo(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser, session: LocalSession
) -> None:
    number, ticket_message = await ticket_seen_by_abai(app, user_ru, "ru")
    replies = await staff["abai"].reply(ticket_message.message_id or 0, "Схема", photo=True)
    relayed = only(sent_to(replies, user_ru.user.id))
    assert relayed.kind == "photo" and relayed.text.endswith("Схема")
    assert number


async def test_a_long_exchange_still_fits_one_telegram_message(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    number, _replies = await open_ticket(app, user_ru, "ru")
    for part in range(3):
        await user_ru.click(tr("➕ Add a message", "ru"))
        await user_ru.send(f"Подробности {part}: " + "очень длинный рассказ " * 100)
    await staff["abai"].send("/tickets")
    replies = await staff["abai"].click(f"№{number}")
    text = replies[0].text
    assert len(text) <= 4096
    assert tr("(earlier messages left out)", "ru") in text
    assert "Подробности 2" in text and QUESTIONS["ru"] not in text


async def test_a_staff_answer_that_speaks_of_an_emergency_reaches_the_citizen(
    app: App, staff: dict[str, LocalUser], user_ru: LocalUser
) -> None:
    # Emergencies are answered with 103 before anything else reads them, but not this one:
    # it is staff's answer, and the citizen must get it.
    number, ticket_message = await ticket_seen_by_abai(app, user_ru, "ru")
    assert ticket_message.message_id is not None
    answer = "Если у ребенка температура 40 и судороги, сразу звоните 103."
    replies = await staff["abai"].reply(ticket_message.message_id, answer)
    relayed = only(sent_to(replies, user_ru.user.id))
    assert relayed.text.endswith(answer)
    assert only(sent_to(replies, ABAI_MEMBER)).text == tr(
        "✅ Sent to the citizen (question №{number}).", "ru", number=number
    )
