import asyncio
from collections.abc import Callable

import pytest
from aiogram.methods import DeleteMessage, SendMessage

from bot.app import App
from bot.console.session import LocalSession
from bot.console.user import BotReply, LocalUser
from bot.services.ivf_queue import QueueLookup
from bot.services.pii_hash import PiiHasher
from tests.support.broadcast import send_owed
from tests.support.catalog import tr, trn
from tests.support.factories import queue_csv, with_wrong_control_digit
from tests.support.queue_steps import (
    AFTER_FAILURE,
    ANY_DEPARTMENT,
    ASK_IIN,
    ASK_PHONE,
    CHANGED,
    CONTACT_PHONES,
    HOURLY,
    IINS,
    KYZYLORDA,
    LOADED,
    MENU,
    NOT_FOUND,
    NOTIFY_ON,
    OTHERS_CONTACT,
    SHARE,
    TYPED_PHONE,
    look_up,
    open_look_up,
    reach_iin_step,
    rows,
    upload,
)
from tests.support.staff import start_staff
from tests.support.users import MakeSpeaker, choose_language


@pytest.fixture
async def staff(make_user: Callable[..., LocalUser]) -> LocalUser:
    return await start_staff(make_user)


def texts(replies: list[BotReply]) -> list[str]:
    return [reply.text for reply in replies if reply.kind == "message"]


async def test_whole_lookup_shows_own_place_and_deletes_the_iin(
    speaker: tuple[str, LocalUser], staff: LocalUser
) -> None:
    locale, user = speaker
    replies = await open_look_up(user, locale, staff, (4, 5, 6))
    assert replies[0].text == tr(ASK_PHONE, locale, button=tr(SHARE, locale))
    assert replies[0].keyboard is not None and replies[0].keyboard[0][0].request_contact
    replies = await user.share_contact(CONTACT_PHONES[1])
    assert texts(replies) == [tr(ASK_IIN, locale)]
    iin_with_spaces = f"{IINS[1][:6]} {IINS[1][6:]}"
    replies = await user.send(iin_with_spaces)
    assert replies[0].kind == "delete"
    record = replies[1].text
    assert tr("Place in the queue: <b>{position}</b>", locale, position="5") in record
    assert tr("Region: {region}", locale, region=KYZYLORDA[locale]) in record
    assert tr("Status: {status}", locale, status=tr("waiting in the queue", locale)) in record
    date = {"kk": "1 қараша 2026", "ru": "1 ноября 2026"}[locale]
    assert tr("List dated {date}", locale, date=date) in record
    assert replies[-1].buttons == [tr(NOTIFY_ON, locale)]
    for reply in replies:
        assert IINS[1] not in reply.text and IINS[1][:6] not in reply.text
        assert "1112233" not in reply.text


async def test_iin_message_id_is_the_one_deleted(
    user_ru: LocalUser, staff: LocalUser, session: LocalSession
) -> None:
    await reach_iin_step(user_ru, "ru", staff)
    start = len(session.calls)
    await user_ru.send(IINS[0])
    deletes = [call for call in session.calls[start:] if isinstance(call, DeleteMessage)]
    assert len(deletes) == 1 and deletes[0].chat_id == user_ru.chat.id


async def test_deletion_refused_by_telegram_does_not_stop_the_lookup(
    user_ru: LocalUser, staff: LocalUser, session: LocalSession
) -> None:
    await reach_iin_step(user_ru, "ru", staff)
    session.fail_next("forbidden")
    replies = await user_ru.send(IINS[0])
    assert tr("Place in the queue: <b>{position}</b>", "ru", position="1") in replies[0].text


async def test_second_lookup_tells_how_the_place_changed(
    user_kk: LocalUser, staff: LocalUser
) -> None:
    await upload(staff, (7, 8, 9))
    await look_up(user_kk, "kk", CONTACT_PHONES[2], IINS[2])
    await upload(staff, (1, 2, 3))
    replies = await look_up(user_kk, "kk", CONTACT_PHONES[2], IINS[2])
    expected = trn(
        "Since your last look-up on {date} you have moved up by {count} place.",
        "kk",
        6,
        date=_today_kk(),
        count="6",
    )
    assert expected in replies[1].text


def _today_kk() -> str:
    from datetime import UTC, datetime

    from babel.dates import format_date

    return format_date(datetime.now(UTC).date(), "d MMMM y", locale="kk")


async def test_someone_elses_contact_is_refused(
    speaker: tuple[str, LocalUser], staff: LocalUser
) -> None:
    locale, user = speaker
    await open_look_up(user, locale, staff)
    replies = await user.share_contact(CONTACT_PHONES[0], user_id=987654)
    assert texts(replies) == [tr(OTHERS_CONTACT, locale, button=tr(SHARE, locale))]
    # Still waiting for the own contact.
    replies = await user.share_contact(CONTACT_PHONES[0])
    assert texts(replies) == [tr(ASK_IIN, locale)]


async def test_typed_phone_is_refused_with_the_button_explained(
    speaker: tuple[str, LocalUser], staff: LocalUser
) -> None:
    locale, user = speaker
    await open_look_up(user, locale, staff)
    replies = await user.send("+7 701 123 45 67")
    assert texts(replies) == [tr(TYPED_PHONE, locale, button=tr(SHARE, locale))]
    assert replies[0].keyboard is not None and replies[0].keyboard[0][0].request_contact


@pytest.mark.parametrize(
    ("typed", "msgid"),
    [
        (
            "90011540010",
            "An IIN has exactly 12 digits, and the number you sent has a different count. "
            "Please check it and send it again.",
        ),
        (
            "90011540O109",
            "An IIN is made of digits only, and what you sent has letters or other signs. "
            "Please check it and send it again.",
        ),
        (
            with_wrong_control_digit(IINS[0]),
            "This is not a valid IIN: its last, control digit does not match the others, so "
            "there is probably a typo. Please compare it with your ID card and send it again.",
        ),
    ],
    ids=["length", "letters", "control-digit"],
)
async def test_malformed_iin_says_what_is_wrong_without_repeating_it(
    speaker: tuple[str, LocalUser], staff: LocalUser, typed: str, msgid: str
) -> None:
    locale, user = speaker
    await reach_iin_step(user, locale, staff)
    replies = await user.send(typed)
    assert replies[0].kind == "delete"
    assert texts(replies) == [tr(msgid, locale)]
    assert typed not in replies[1].text
    # The user may try again at once: a typo is not a failed look-up.
    replies = await user.send(IINS[0])
    assert tr("Place in the queue: <b>{position}</b>", locale, position="1") in replies[1].text


async def test_other_persons_iin_with_own_phone_gets_the_not_found_answer(
    speaker: tuple[str, LocalUser], staff: LocalUser, make_user: Callable[..., LocalUser]
) -> None:
    locale, user = speaker
    await upload(staff)
    expected = tr(NOT_FOUND, locale, department=tr(ANY_DEPARTMENT, locale))
    # IIN of someone on the list, with my phone:
    replies = await look_up(user, locale, CONTACT_PHONES[3], IINS[0])
    assert texts(replies) == [expected]
    # An IIN that is on no list, by another user of the same language:
    other = await choose_language(
        make_user(user_id=8000 + len(locale), language_code=locale), locale
    )
    replies = await look_up(other, locale, CONTACT_PHONES[3], IINS[3])
    assert texts(replies) == [expected]


REGION_DEPARTMENT = "the health department of your region ({region})"
CITY_DEPARTMENT = "the public health department of the city ({region})"
ALMATY = {"kk": "Алматы қаласы", "ru": "город Алматы"}


@pytest.mark.parametrize(
    ("locale", "region_code", "department", "region_name"),
    [
        ("ru", "kyzylorda", REGION_DEPARTMENT, KYZYLORDA["ru"]),
        ("kk", "almaty", CITY_DEPARTMENT, ALMATY["kk"]),
    ],
)
async def test_not_found_names_the_department_of_the_users_region_or_city(
    make_speaker: MakeSpeaker,
    app: App,
    staff: LocalUser,
    *,
    locale: str,
    region_code: str,
    department: str,
    region_name: str,
) -> None:
    user = await make_speaker(locale)
    await upload(staff)
    await app.dispatcher["users"].set_region(user.user.id, region_code)
    replies = await look_up(user, locale, CONTACT_PHONES[0], IINS[3])
    expected = tr(department, locale, region=region_name)
    assert texts(replies) == [tr(NOT_FOUND, locale, department=expected)]


async def test_rate_limit_is_explained_kindly(
    speaker: tuple[str, LocalUser], staff: LocalUser, app: App
) -> None:
    locale, user = speaker
    await upload(staff)
    lookup: QueueLookup = app.dispatcher["queue_lookup"]
    now = [1_900_000_000.0]
    lookup.clock = lambda: now[0]
    # A failure: the next try must wait a minute.
    await look_up(user, locale, CONTACT_PHONES[0], IINS[1])
    replies = await user.click(tr(MENU, locale))
    assert texts(replies) == [trn(AFTER_FAILURE, locale, 1, count="1")]
    now[0] += 61
    for _ in range(4):
        replies = await look_up(user, locale, CONTACT_PHONES[0], IINS[0])
        assert tr("Place in the queue: <b>{position}</b>", locale, position="1") in (
            replies[1].text
        )
    replies = await user.click(tr(MENU, locale))
    assert texts(replies) == [trn(HOURLY, locale, 59, count="59")]


async def test_subscriber_gets_one_message_in_their_language_when_the_place_changes(
    user_kk: LocalUser, user_ru: LocalUser, staff: LocalUser, session: LocalSession, app: App
) -> None:
    await upload(staff, (5, 6, 7))
    await look_up(user_kk, "kk", CONTACT_PHONES[0], IINS[0])
    replies = await user_kk.click(tr(NOTIFY_ON, "kk"))
    assert texts(replies) == [
        tr(
            "Done: when a new list changes your place or status, I will send you a message.",
            "kk",
        )
    ]
    await look_up(user_ru, "ru", CONTACT_PHONES[1], IINS[1])
    await user_ru.click(tr(NOTIFY_ON, "ru"))

    def messages_to(user: LocalUser, start: int) -> list[str]:
        return [
            call.text
            for call in session.calls[start:]
            if isinstance(call, SendMessage) and call.chat_id == user.chat.id
        ]

    start = len(session.calls)
    replies = await upload(staff, (5, 6, 7))  # nothing changed for anyone
    await send_owed(app)
    assert messages_to(user_kk, start) == [] and messages_to(user_ru, start) == []
    assert texts(replies) == [trn(LOADED, "ru", 3, count="3", regions=KYZYLORDA["ru"])]

    start = len(session.calls)
    await upload(staff, (2, 6, 7))  # only the Kazakh speaker moved
    await send_owed(app)
    [notice] = messages_to(user_kk, start)
    assert notice.startswith(tr(CHANGED, "kk"))
    assert tr("Place in the queue: {old} → <b>{new}</b>", "kk", old="5", new="2") in notice
    assert messages_to(user_ru, start) == []

    start = len(session.calls)
    await upload(staff, (2, 1, 7))
    await send_owed(app)
    [notice] = messages_to(user_ru, start)
    assert notice.startswith(tr(CHANGED, "ru"))


async def test_blocked_subscriber_loses_the_subscription(
    user_ru: LocalUser, staff: LocalUser, app: App, session: LocalSession
) -> None:
    await upload(staff, (5, 6, 7))
    await look_up(user_ru, "ru", CONTACT_PHONES[0], IINS[0])
    await user_ru.click(tr(NOTIFY_ON, "ru"))
    # Import through the service, so the notice is still owed when we deliver by hand.
    importer = app.dispatcher["queue_importer"]
    regions = app.dispatcher["regions"]
    report = await importer.import_csv(queue_csv(rows((1, 2, 3))), regions)
    assert report.notifications == 1
    session.fail_next("forbidden")
    sent = await send_owed(app)
    assert sent == 0
    row = await app.db.fetch_one(
        "SELECT notify FROM ivf_queue_links WHERE user_id = ?", (user_ru.user.id,)
    )
    assert row is not None and row[0] == 0
    assert await app.dispatcher["ivf_queue"].pending_notices() == []


async def test_forget_deletes_link_and_subscription_but_keeps_the_limit(
    user_kk: LocalUser, staff: LocalUser, app: App
) -> None:
    await upload(staff)
    await look_up(user_kk, "kk", CONTACT_PHONES[0], IINS[0])
    await user_kk.click(tr(NOTIFY_ON, "kk"))
    await user_kk.send("/forget")
    replies = await user_kk.click(tr("🗑 Yes, delete", "kk"))
    assert replies[-1].text.startswith(
        tr(
            "Done: I have deleted everything I kept about you. "
            "If you write again, we start from scratch.",
            "kk",
        )
    )
    for table in ("ivf_queue_links", "outbox"):
        row = await app.db.fetch_one(
            f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_kk.user.id,)
        )
        assert row is not None and row[0] == 0, table
    # The limit's own record (id, time, found: no IIN, no phone) outlives /forget.
    row = await app.db.fetch_one(
        "SELECT COUNT(*) FROM queue_lookup_attempts WHERE user_id = ?", (user_kk.user.id,)
    )
    assert row is not None and row[0] == 1


async def test_forget_does_not_reset_the_hourly_lookup_limit(
    speaker: tuple[str, LocalUser], staff: LocalUser
) -> None:
    locale, user = speaker
    await upload(staff)
    for _ in range(5):
        replies = await look_up(user, locale, CONTACT_PHONES[0], IINS[0])
        assert tr("Place in the queue: <b>{position}</b>", locale, position="1") in (
            replies[1].text
        )
    await user.send("/forget")
    await user.click(tr("🗑 Yes, delete", locale))
    await choose_language(user, locale)
    replies = await user.click(tr(MENU, locale))
    assert texts(replies) == [trn(HOURLY, locale, 60, count="60")]


async def test_iin_messages_handled_at_the_same_moment_each_count_against_the_limit(
    user_ru: LocalUser, staff: LocalUser, app: App, session: LocalSession
) -> None:
    await reach_iin_step(user_ru, "ru", staff)
    start = len(session.calls)
    # As polling hands them over: ten updates handled concurrently.
    await asyncio.gather(*(user_ru.send(IINS[0]) for _ in range(10)))
    sent = [
        call.text
        for call in session.calls[start:]
        if isinstance(call, SendMessage) and call.chat_id == user_ru.user.id
    ]
    shown = [text for text in sent if "Place in the queue" in text or "Место в очереди" in text]
    row = await app.db.fetch_one(
        "SELECT COUNT(*) FROM queue_lookup_attempts WHERE user_id = ?", (user_ru.user.id,)
    )
    assert row is not None and row[0] == 5
    assert len(shown) <= 5
    assert sent.count(trn(HOURLY, "ru", 60, count="60")) >= 5


@pytest.mark.parametrize("step", ["phone", "iin"])
async def test_a_main_menu_button_leaves_the_lookup_and_works(
    speaker: tuple[str, LocalUser], staff: LocalUser, session: LocalSession, step: str
) -> None:
    # /help (or /menu) brings the main menu back in the middle of the look-up; its buttons
    # must not be read as a typed phone number or an IIN.
    locale, user = speaker
    if step == "phone":
        await open_look_up(user, locale, staff)
    else:
        await reach_iin_step(user, locale, staff)
    await user.send("/help")
    start = len(session.calls)
    replies = await user.click(tr("📚 Topics", locale))
    assert [reply.text for reply in replies] == [tr("Choose a topic:", locale)]
    assert not any(isinstance(call, DeleteMessage) for call in session.calls[start:])
    replies = await user.send(IINS[0])
    assert tr(ASK_IIN, locale) not in texts(replies)
    place = tr("Place in the queue: <b>{position}</b>", locale, position="1")
    assert not any(place in text for text in texts(replies))


async def test_a_command_of_another_feature_leaves_the_lookup(
    speaker: tuple[str, LocalUser], staff: LocalUser
) -> None:
    locale, user = speaker
    await open_look_up(user, locale, staff)
    await user.send("/ivf")
    replies = await user.send({"kk": "ЭКҰ квотасы", "ru": "квота на ЭКО"}[locale])
    assert tr(TYPED_PHONE, locale, button=tr(SHARE, locale)) not in texts(replies)


async def test_cancel_leaves_the_lookup(user_ru: LocalUser, staff: LocalUser) -> None:
    await open_look_up(user_ru, "ru", staff)
    replies = await user_ru.click(tr("✖️ Cancel", "ru"))
    assert texts(replies) == [tr("Cancelled. What else can I help with?", "ru")]
    replies = await user_ru.send("/cancel")
    assert texts(replies) == [tr("There is nothing to cancel.", "ru")]


OUTSIDE_TEXT = (
    "I deleted your message: I read an IIN only in a new plain text message, not in a photo "
    "caption or an edited message. Please send your IIN again as a text message: 12 digits."
)


async def test_iin_in_a_photo_caption_is_deleted_and_asked_as_text(
    speaker: tuple[str, LocalUser], staff: LocalUser
) -> None:
    locale, user = speaker
    await reach_iin_step(user, locale, staff)
    # Digits only: a caption in words would set the reply language by itself.
    replies = await user.send_photo(caption=IINS[0])
    assert replies[0].kind == "delete"
    assert texts(replies) == [tr(OUTSIDE_TEXT, locale)]
    # The step goes on: the IIN sent as text is read.
    replies = await user.send(IINS[0])
    assert tr("Place in the queue: <b>{position}</b>", locale, position="1") in replies[1].text


async def test_iin_in_an_edited_message_is_deleted_and_asked_as_text(
    user_ru: LocalUser, staff: LocalUser, session: LocalSession
) -> None:
    await reach_iin_step(user_ru, "ru", staff)
    start = len(session.calls)
    replies = await user_ru.edit(f"{IINS[0][:4]}.{IINS[0][4:8]}.{IINS[0][8:]}")
    deleted = [call for call in session.calls[start:] if isinstance(call, DeleteMessage)]
    assert len(deleted) == 1
    assert texts(replies) == [tr(OUTSIDE_TEXT, "ru")]


NO_LISTS = (
    "The look-up of your place in the IVF waiting list does not work yet: no health department "
    "has loaded its waiting list into the bot so far. Meanwhile your place is known to "
    "{department}: ask there, or call the contact centre 1414."
)
NO_SECRET = (
    "The look-up of your place in the IVF waiting list is not switched on yet: the bot's "
    "operator still has to set it up. Meanwhile your place is known to {department}: ask "
    "there, or call the contact centre 1414."
)


async def test_menu_entry_says_plainly_that_no_list_is_loaded_yet(
    speaker: tuple[str, LocalUser],
) -> None:
    locale, user = speaker
    replies = await user.click(tr(MENU, locale))
    assert texts(replies) == [tr(NO_LISTS, locale, department=tr(ANY_DEPARTMENT, locale))]
    assert tr(SHARE, locale) not in replies[0].buttons


async def test_not_ready_names_the_citys_public_health_department(
    speaker: tuple[str, LocalUser], app: App
) -> None:
    locale, user = speaker
    await app.dispatcher["users"].set_region(user.user.id, "almaty")
    replies = await user.send("/queue")
    department = tr(CITY_DEPARTMENT, locale, region=ALMATY[locale])
    assert texts(replies) == [tr(NO_LISTS, locale, department=department)]


async def test_menu_entry_without_pii_secret_says_it_is_not_switched_on(
    speaker: tuple[str, LocalUser], app: App
) -> None:
    locale, user = speaker
    app.dispatcher["queue_lookup"].hasher = PiiHasher(None)
    replies = await user.click(tr(MENU, locale))
    assert texts(replies) == [tr(NO_SECRET, locale, department=tr(ANY_DEPARTMENT, locale))]
