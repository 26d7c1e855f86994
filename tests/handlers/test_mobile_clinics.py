import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiogram.methods import SendMessage

from bot.app import App, build_app
from bot.config import Settings
from bot.console.session import LocalSession
from bot.console.user import LocalUser
from bot.jobs.mobile_reminders import MobileReminderTask
from bot.services.mobile_clinics import MobileClinics
from bot.services.mobile_schedule import KZ_TZ
from bot.views.mobile_clinics import MobileNav
from tests.support.catalog import tr
from tests.support.clock import VirtualClock
from tests.support.staff import start_staff
from tests.support.users import MakeSpeaker

DATA = Path(__file__).resolve().parents[2] / "data"
MENU = "🚐 Mobile clinics"
PLANNED = "Planned visits:"
NO_VISITS = "No visits to {place} are planned in my schedule. I never guess dates. {ask}"
ASK_DISTRICT = (
    "Ask the hospital of {district} (it runs the mobile complex) or the health department of "
    "{region}."
)
ASK_ANY_DISTRICT = (
    "Ask your district hospital (it runs the mobile complex) or the health department of {region}."
)
TOMORROW = "🔔 Tomorrow the {vehicle} comes to {place}."
MOVED = "⚠️ The visit to {place} planned for {old_day} has moved."
CANCELLED = (
    "❌ The visit to {place} planned for {day} is cancelled. I will tell you when a new date is "
    "in the schedule."
)
SHIELI = {"kk": "Шиелі", "ru": "Шиели"}
SHIELI_DISTRICT = {"kk": "Шиелі ауданы", "ru": "Шиелийский район"}
KYZYLORDA = {"kk": "Қызылорда облысы", "ru": "Кызылординская область"}
JUNE_15 = {"kk": "15 маусым, сенбі", "ru": "15 июня, суббота"}
JUNE_20 = {"kk": "20 маусым, бейсенбі", "ru": "20 июня, четверг"}
HEADER = "region;settlement;vehicle;operator;date_from;date_to;hours;services;source\n"
SULUTOBE = "kyzylorda;Сулутобе;ЖМК;ЦРБ;10.06.2030;;10:00-17:00;consultations;test\n"
QUOTA_QUESTIONS = {"kk": "ЭКҰ квотасын қалай алуға болады?", "ru": "как получить квоту на ЭКО?"}
ZHOLEK = "kyzylorda;Жолек;ЖМК;ЦРБ;12.06.2030;13.06.2030;;consultations;test\n"


@pytest.fixture
def clock() -> VirtualClock:
    """The calendar of these tests: Kazakhstan's time, 1 June 2030 at noon until a test moves
    it. Only tests move it: the sender's waits go to a clock of their own (below)."""
    calendar = VirtualClock(zone=KZ_TZ)
    calendar.set("2030-06-01T12:00")
    return calendar


@pytest.fixture
async def app(settings: Settings, clock: VirtualClock) -> AsyncIterator[App]:
    # The sender sleeps while it waits for its calls; on the calendar clock those waits would
    # add up to hours and carry a test past the day it checks.
    application = await build_app(settings, session=LocalSession(), sleep=VirtualClock().sleep)
    application.dispatcher["mobile_clinics"].clock = clock.local
    yield application
    await application.close()


async def _load(service: MobileClinics, demo: bool = True) -> None:
    await service.load_history(DATA / "mobile_visits.csv")
    if demo:
        content = (DATA / "examples" / "mobile_visits_demo.csv").read_bytes()
        assert (await service.import_schedule(content, source="demo")).ok


@pytest.fixture
async def demo(app: App, clock: VirtualClock) -> MobileClinics:
    service: MobileClinics = app.dispatcher["mobile_clinics"]
    await _load(service)
    return service


def _reminders(app: App) -> MobileReminderTask:
    task: MobileReminderTask = app.dispatcher["mobile_reminders"]
    return task


def _texts_to(session: LocalSession, user_id: int, since: int = 0) -> list[str]:
    return [
        call.text
        for call in session.calls[since:]
        if isinstance(call, SendMessage) and call.chat_id == user_id
    ]


async def _subscribe(user: LocalUser, locale: str, text: str = "ПМК Шиели") -> None:
    await user.send(text)
    replies = await user.click(tr("🔔 Remind me", locale))
    assert replies[-1].text.startswith("🔔")


# Finding a settlement -----------------------------------------------------------------------
# Latin «i» is avoided in the Russian question: the foundation's language guess reads any
# Latin «i» as Kazakh «ı» (re.IGNORECASE folds them together), see the report.
@pytest.mark.parametrize(
    ("locale", "question", "expected"),
    [
        ("kk", "zhmk qashan keledi Shyeli auylyna", (SHIELI["kk"], f"<b>{JUNE_15['kk']}</b>")),
        ("ru", "kogda budet pmk v Zhoolek", ("Жолек", "<b>12 июня, среда – 13 июня, четверг</b>")),
    ],
)
async def test_settlement_typed_in_latin_with_typos_shows_its_visits(
    make_speaker: MakeSpeaker,
    demo: MobileClinics,
    locale: str,
    question: str,
    expected: tuple[str, str],
) -> None:
    place, day = expected
    user = await make_speaker(locale)
    replies = await user.send(question)
    assert len(replies) == 1
    text = replies[0].text
    title = f"{place}, {SHIELI_DISTRICT[locale]}, {KYZYLORDA[locale]}"
    assert text.startswith(f"🚐 <b>{title}</b>")
    assert tr(PLANNED, locale) in text
    assert day in text.split(tr("Nearby, in the same district:", locale))[0]
    assert tr("Mobile medical complex", locale) + ": Шиелі аудандық ауруханасы (EXAMPLE)" in text
    assert tr("laboratory tests", locale) in text
    # The rest of the district is shown too.
    assert tr("Nearby, in the same district:", locale) in text
    assert tr("🔔 Remind me", locale) in replies[0].buttons


@pytest.mark.parametrize(
    ("locale", "question"),
    [("kk", "жмк кашан келеди биздин ауылга"), ("ru", "когда приедет передвижной комплекс?")],
)
async def test_question_without_a_place_asks_for_the_region(
    make_speaker: MakeSpeaker, demo: MobileClinics, locale: str, question: str
) -> None:
    user = await make_speaker(locale)
    # «When does it come?» opens the visits at once: the region, then the district.
    replies = await user.send(question)
    text = replies[-1].text
    assert text.endswith(
        tr("Type the name of your village or town, or choose the region:", locale)
    )
    assert KYZYLORDA[locale] in replies[-1].buttons
    # The next message is read as the settlement's name.
    replies = await user.send("Жолек")
    assert "12" in replies[0].text and tr(PLANNED, locale) in replies[0].text


async def test_button_path_region_district_settlement(
    speaker: tuple[str, LocalUser], demo: MobileClinics
) -> None:
    locale, user = speaker
    replies = await user.click(tr(MENU, locale))
    assert tr("Type the name of your village or town, or choose the region:", locale) in (
        replies[0].text
    )
    replies = await user.click(KYZYLORDA[locale])
    assert replies[-1].kind == "edit"
    assert replies[-1].text == tr("Choose the district:", locale)
    replies = await user.click(SHIELI_DISTRICT[locale])
    assert replies[-1].text == tr("Choose the settlement:", locale)
    assert (
        replies[-1].buttons[:3]
        == {
            "kk": ["Жөлек", "Сұлутөбе", "Шиелі"],
            "ru": ["Жолек", "Сулутобе", "Шиели"],
        }[locale]
    )
    replies = await user.click({"kk": "Жөлек", "ru": "Жолек"}[locale])
    expected = {
        "kk": "12 маусым, сәрсенбі – 13 маусым, бейсенбі",
        "ru": "12 июня, среда – 13 июня, четверг",
    }
    assert f"<b>{expected[locale]}</b>, 09:00–16:00" in replies[-1].text


@pytest.mark.parametrize("action", ["place", "remind", "unremind"])
async def test_a_button_of_a_settlement_no_longer_known_says_it_is_out_of_date(
    speaker: tuple[str, LocalUser], demo: MobileClinics, action: str
) -> None:
    # A settlement removed from data/settlements.yaml since the message was sent.
    locale, user = speaker
    replies = await user.press_inline(MobileNav(action=action, code="kyzylorda/gone").pack())
    assert [(reply.kind, reply.text) for reply in replies] == [
        ("toast", tr("This button is out of date.", locale))
    ]


async def test_region_without_districts_lists_settlements_and_back_works(
    speaker: tuple[str, LocalUser], demo: MobileClinics
) -> None:
    locale, user = speaker
    await user.click(tr(MENU, locale))
    replies = await user.click({"kk": "Павлодар облысы", "ru": "Павлодарская область"}[locale])
    assert replies[-1].text == tr("Choose the settlement:", locale)
    assert {"kk": "Шідерті", "ru": "Шидерты"}[locale] in replies[-1].buttons
    replies = await user.click(tr("⬅️ Back", locale))
    assert KYZYLORDA[locale] in replies[-1].buttons


async def test_a_paragraph_typed_in_the_village_dialog_is_read_up_to_its_first_words(
    make_speaker: MakeSpeaker, demo: MobileClinics
) -> None:
    user = await make_speaker("ru")
    await user.send("когда приедет передвижной комплекс?")
    # Telegram's longest message: the village named first, then words repeated at length. Only
    # the first 150 distinct words are searched for places (bot/services/mobile_clinics.py).
    paragraph = ("Жолек. " + "Когда приедет передвижной комплекс в наше село? " * 90)[:4096]
    replies = await user.send(paragraph)
    assert replies[0].text.startswith("🚐 <b>Жолек, ")
    assert "12" in replies[0].text and tr(PLANNED, "ru") in replies[0].text


@pytest.mark.parametrize("elsewhere", ["📚 Topics", "👶 IVF «Аңсаған сәби»", "/ivf"])
async def test_another_menu_entry_or_command_leaves_the_village_question(
    speaker: tuple[str, LocalUser], demo: MobileClinics, elsewhere: str
) -> None:
    # Opening «Mobile clinics» asks for a village; a citizen who goes on to another feature
    # (whose router may come before this one) must not have the next question read as one.
    locale, user = speaker
    await user.click(tr(MENU, locale))
    replies = await user.send(elsewhere if elsewhere.startswith("/") else tr(elsewhere, locale))
    if elsewhere == "📚 Topics":
        assert [reply.text for reply in replies] == [tr("Choose a topic:", locale)]
    question = QUOTA_QUESTIONS[locale]
    replies = await user.send(question)
    not_found = tr("I could not find «{place}» in my list of settlements.", locale, place=question)
    assert all(not_found not in reply.text for reply in replies)


async def test_unknown_place_is_said_plainly(
    speaker: tuple[str, LocalUser], demo: MobileClinics
) -> None:
    locale, user = speaker
    await user.click(tr(MENU, locale))
    replies = await user.send("Зурбаган")
    assert replies[0].text.startswith(
        tr("I could not find «{place}» in my list of settlements.", locale, place="Зурбаган")
    )
    assert KYZYLORDA[locale] in replies[0].buttons


# No visits, history ------------------------------------------------------------------------
async def test_no_visits_planned_says_so_and_who_to_ask(
    speaker: tuple[str, LocalUser], app: App, clock: VirtualClock
) -> None:
    locale, user = speaker
    await _load(app.dispatcher["mobile_clinics"], demo=False)
    replies = await user.send("ПМК Шиели")
    ask = tr(ASK_DISTRICT, locale, district=SHIELI_DISTRICT[locale], region=KYZYLORDA[locale])
    assert tr(NO_VISITS, locale, place=SHIELI[locale], ask=ask) in replies[0].text
    assert tr(PLANNED, locale) not in replies[0].text


async def test_real_train_stops_are_history_with_their_year(
    speaker: tuple[str, LocalUser], app: App, clock: VirtualClock
) -> None:
    locale, user = speaker
    await _load(app.dispatcher["mobile_clinics"], demo=False)
    text = (await user.send("медпоезд Чаглинка"))[0].text
    akmola = {"kk": "Ақмола облысы", "ru": "Акмолинская область"}[locale]
    assert (
        tr(NO_VISITS, locale, place="Чаглинка", ask=tr(ASK_ANY_DISTRICT, locale, region=akmola))
        in text
    )
    assert tr("Earlier visits (history):", locale) in text
    assert {"kk": "12 тамыз 2025", "ru": "12 августа 2025"}[locale] in text
    text = (await user.send("поезд Кандыагаш"))[0].text
    assert tr("(the source does not give the year)", locale) in text
    assert tr(PLANNED, locale) not in text


# Reminders ---------------------------------------------------------------------------------
async def test_exactly_one_reminder_at_ten_the_day_before_in_the_users_language(
    speaker: tuple[str, LocalUser], app: App, demo: MobileClinics, clock: VirtualClock
) -> None:
    locale, user = speaker
    await _subscribe(user, locale)
    session = user.session
    start = len(session.calls)
    reminders = _reminders(app)
    clock.set("2030-06-14T09:59")
    assert await reminders.run_due_reminders(clock.local(), app.bot) == 0
    clock.set("2030-06-14T10:00")
    assert await reminders.run_due_reminders(clock.local(), app.bot) == 1
    clock.set("2030-06-14T18:00")
    assert await reminders.run_due_reminders(clock.local(), app.bot) == 0
    texts = _texts_to(session, user.user.id, start)
    assert len(texts) == 1
    vehicle = tr("Mobile medical complex", locale).lower()
    assert texts[0].startswith(tr(TOMORROW, locale, vehicle=vehicle, place=SHIELI[locale]))
    assert JUNE_15[locale] in texts[0]


async def test_reminder_survives_a_restart_and_is_never_sent_twice(
    speaker: tuple[str, LocalUser], app: App, demo: MobileClinics, clock: VirtualClock
) -> None:
    locale, user = speaker
    await _subscribe(user, locale)
    clock.set("2030-06-14T10:05")
    assert await _reminders(app).run_due_reminders(clock.local(), app.bot) == 1
    # Restart: a new app over the same database file.
    restarted = await build_app(app.settings, session=LocalSession())
    try:
        restarted.dispatcher["mobile_clinics"].clock = clock.local
        clock.set("2030-06-14T11:00")
        assert await _reminders(restarted).run_due_reminders(clock.local(), restarted.bot) == 0
        assert isinstance(restarted.bot.session, LocalSession)
        assert _texts_to(restarted.bot.session, user.user.id) == []
    finally:
        await restarted.close()


async def test_reminder_due_while_the_bot_was_down_is_sent_once_on_start(
    app: App, user_ru: LocalUser, demo: MobileClinics, clock: VirtualClock
) -> None:
    await _subscribe(user_ru, "ru")
    # The bot was down from 9:00 to 20:00 the day before the visit.
    clock.set("2030-06-14T20:00")
    restarted = await build_app(app.settings, session=LocalSession())
    restarted.dispatcher["mobile_clinics"].clock = clock.local
    workflow = restarted.dispatcher.workflow_data
    session = restarted.bot.session
    assert isinstance(session, LocalSession)
    try:
        await restarted.dispatcher.emit_startup(bot=restarted.bot, **workflow)
        for _ in range(200):
            if _texts_to(session, user_ru.user.id):
                break
            await asyncio.sleep(0.01)
        await restarted.dispatcher.emit_shutdown(bot=restarted.bot, **workflow)
        texts = _texts_to(session, user_ru.user.id)
        assert len(texts) == 1
        assert texts[0].startswith(
            tr(TOMORROW, "ru", vehicle="передвижной медицинский комплекс", place="Шиели")
        )
        # Once the visit day has begun, a missed reminder is not sent late.
        clock.set("2030-06-15T08:00")
        assert await _reminders(restarted).run_due_reminders(clock.local(), restarted.bot) == 0
    finally:
        await restarted.close()


async def test_rescheduled_visit_gets_one_notice_and_a_reminder_for_the_new_day(
    speaker: tuple[str, LocalUser], app: App, demo: MobileClinics, clock: VirtualClock
) -> None:
    locale, user = speaker
    await _subscribe(user, locale)
    moved = "kyzylorda;Шиели;ПМК;ЦРБ;20.06.2030;;10:00-17:00;consultations;test\n"
    result = await demo.import_schedule((HEADER + SULUTOBE + ZHOLEK + moved).encode(), "test")
    assert (result.rescheduled, result.cancelled, result.added) == (1, 0, 0)
    session, reminders = user.session, _reminders(app)
    start = len(session.calls)
    assert await reminders.run_due_reminders(clock.local(), app.bot) == 1
    assert await reminders.run_due_reminders(clock.local(), app.bot) == 0
    texts = _texts_to(session, user.user.id, start)
    assert len(texts) == 1
    assert texts[0].startswith(tr(MOVED, locale, place=SHIELI[locale], old_day=JUNE_15[locale]))
    assert JUNE_20[locale] in texts[0]
    clock.set("2030-06-14T10:00")  # the old day's reminder time: nothing
    assert await reminders.run_due_reminders(clock.local(), app.bot) == 0
    clock.set("2030-06-19T10:00")
    assert await reminders.run_due_reminders(clock.local(), app.bot) == 1


async def test_cancelled_visit_gets_one_notice_and_no_reminder(
    speaker: tuple[str, LocalUser], app: App, demo: MobileClinics, clock: VirtualClock
) -> None:
    locale, user = speaker
    await _subscribe(user, locale)
    result = await demo.import_schedule((HEADER + SULUTOBE + ZHOLEK).encode(), "test")
    assert (result.rescheduled, result.cancelled) == (0, 1)
    session, reminders = user.session, _reminders(app)
    start = len(session.calls)
    assert await reminders.run_due_reminders(clock.local(), app.bot) == 1
    clock.set("2030-06-14T10:00")
    assert await reminders.run_due_reminders(clock.local(), app.bot) == 0
    texts = _texts_to(session, user.user.id, start)
    assert texts == [tr(CANCELLED, locale, place=SHIELI[locale], day=JUNE_15[locale])]
    replies = await user.send("ПМК Шиели")
    assert tr(PLANNED, locale) not in replies[0].text


async def test_unsubscribe_from_my_reminders_stops_them(
    speaker: tuple[str, LocalUser], app: App, demo: MobileClinics, clock: VirtualClock
) -> None:
    locale, user = speaker
    await _subscribe(user, locale)
    await _subscribe(user, locale, "ПМК Жолек")
    replies = await user.click(tr("📋 My reminders", locale))
    zholek = {"kk": "Жөлек", "ru": "Жолек"}[locale]
    assert replies[-1].buttons == [f"✖ {SHIELI[locale]}", f"✖ {zholek}"]
    replies = await user.click(f"✖ {SHIELI[locale]}")
    assert replies[-1].buttons == [f"✖ {zholek}"]
    clock.set("2030-06-14T10:00")
    start = len(user.session.calls)
    assert await _reminders(app).run_due_reminders(clock.local(), app.bot) == 0
    assert _texts_to(user.session, user.user.id, start) == []
    replies = await user.click(f"✖ {zholek}")
    assert replies[-1].text == tr("You have no reminders any more.", locale)


async def test_blocked_user_is_unsubscribed_on_403(
    user_kk: LocalUser, app: App, demo: MobileClinics, clock: VirtualClock
) -> None:
    await _subscribe(user_kk, "kk")
    await _subscribe(user_kk, "kk", "ПМК Жолек")
    clock.set("2030-06-11T10:00")
    user_kk.session.fail_next("forbidden")
    assert await _reminders(app).run_due_reminders(clock.local(), app.bot) == 0
    assert await demo.subscriptions(user_kk.user.id) == []
    clock.set("2030-06-14T10:00")
    assert await _reminders(app).run_due_reminders(clock.local(), app.bot) == 0


async def test_forget_deletes_subscriptions(
    user_ru: LocalUser, app: App, demo: MobileClinics
) -> None:
    await _subscribe(user_ru, "ru")
    await user_ru.send("/forget")
    await user_ru.click(tr("🗑 Yes, delete", "ru"))
    row = await app.db.fetch_one("SELECT COUNT(*) AS n FROM mobile_subscriptions")
    assert row is not None and row["n"] == 0


# Staff import ------------------------------------------------------------------------------
@pytest.fixture
async def staff(make_user: Callable[..., LocalUser]) -> LocalUser:
    return await start_staff(make_user)


async def test_staff_csv_replaces_the_regions_schedule(
    staff: LocalUser, demo: MobileClinics, user_kk: LocalUser
) -> None:
    moved = "kyzylorda;Шиели;ПМК;ЦРБ;2030-06-20;;;УЗИ;test\n"
    content = ("\ufeff" + HEADER + SULUTOBE + moved).encode()
    replies = await staff.send_document("mobile_schedule.csv", content)
    assert replies[0].text == tr(
        "Schedule imported: {rows} rows for {regions}. New visits: {added}, moved: "
        "{rescheduled}, cancelled: {cancelled}. Subscribers of moved and cancelled visits will "
        "be told.",
        "ru",
        rows=2,
        regions="Кызылординская область",
        added=0,
        rescheduled=1,
        cancelled=1,
    )
    text = (await user_kk.send("ПМК Шиели"))[0].text
    assert JUNE_20["kk"] in text


async def test_bad_csv_changes_nothing_and_lists_rows(
    staff: LocalUser, demo: MobileClinics, user_ru: LocalUser
) -> None:
    bad = (
        "kyzylorda;Шиели;ПМК;ЦРБ;20.06;;;УЗИ;test\n"
        "kyzylorda;Атлантида;ПМК;ЦРБ;2030-06-21;;;УЗИ;test\n"
    )
    replies = await staff.send_document("mobile_schedule.csv", (HEADER + SULUTOBE + bad).encode())
    expected = "\n".join(
        [
            tr("Nothing was imported; the schedule is unchanged. Fix these rows:", "ru"),
            tr(
                "Row {line}: {reason}",
                "ru",
                line=3,
                reason=tr("date «{value}» has no year", "ru", value="20.06"),
            ),
            tr(
                "Row {line}: {reason}",
                "ru",
                line=4,
                reason=tr(
                    "settlement «{value}» is not in our list for this region. To have it "
                    "added, write to the bot's administrator with the region, the district "
                    "and the settlement's name",
                    "ru",
                    value="Атлантида",
                ),
            ),
        ]
    )
    assert replies[0].text == expected
    text = (await user_ru.send("ПМК Шиели"))[0].text
    assert JUNE_15["ru"] in text


async def test_a_document_from_a_citizen_is_not_imported(
    user_ru: LocalUser, demo: MobileClinics
) -> None:
    content = (HEADER + SULUTOBE).encode()
    replies = await user_ru.send_document("mobile_schedule.csv", content)
    assert "Schedule imported" not in replies[0].text
    assert tr(PLANNED, "ru") in (await user_ru.send("ПМК Шиели"))[0].text


def test_cli_imports_a_file(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    good = tmp_path / "schedule.csv"
    good.write_bytes((HEADER + SULUTOBE).encode())
    bad = tmp_path / "bad.csv"
    bad.write_bytes((HEADER + "kyzylorda;Шиели;ПМК;ЦРБ;2030-06-20;;;массаж;test\n").encode())
    env = {"DATABASE_PATH": str(settings.database_path), "BOT_TOKEN": ""}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        assert main(["import-schedule", str(bad)]) == 1
        assert "row 2: unknown service «массаж»" in capsys.readouterr().out
        assert main(["import-schedule", str(good)]) == 0
        assert "Imported 1 rows for kyzylorda" in capsys.readouterr().out


async def test_a_server_error_is_retried_and_the_reminder_goes_once(
    user_ru: LocalUser, app: App, demo: MobileClinics, clock: VirtualClock
) -> None:
    await _subscribe(user_ru, "ru")
    clock.set("2030-06-14T10:00")
    # Issue 14: the one sender retries a 5xx with backoff (bounded) instead of leaving the
    # reminder, and everything behind it, to the next minute.
    user_ru.session.fail_next("server_error", method="SendMessage")
    start = len(user_ru.session.calls)
    assert await _reminders(app).run_due_reminders(clock.local(), app.bot) == 1
    clock.set("2030-06-14T10:01")
    assert await _reminders(app).run_due_reminders(clock.local(), app.bot) == 0
    assert len(_texts_to(user_ru.session, user_ru.user.id, start)) == 1


async def test_question_naming_only_a_region_offers_its_settlements(
    speaker: tuple[str, LocalUser], demo: MobileClinics
) -> None:
    locale, user = speaker
    replies = await user.send("ПМК Кызылорда")
    assert replies[-1].text.endswith(tr("Choose the district:", locale))
    replies = await user.click(SHIELI_DISTRICT[locale])
    assert SHIELI[locale] in replies[-1].buttons


async def test_long_lists_of_settlements_are_paged(settings: Settings, tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    villages = "".join(
        f'      - {{code: v{n}, kk: "Ауыл{n:02d}", ru: "Село{n:02d}"}}\n' for n in range(1, 11)
    )
    with (data / "settlements.yaml").open("a", encoding="utf-8") as yaml_file:
        yaml_file.write(f"  turkistan:\n    settlements:\n{villages}")
    app = await build_app(settings.model_copy(update={"data_path": data}), session=LocalSession())
    try:
        user = LocalUser(app.dispatcher, app.bot, user_id=4400, language_code="ru")
        await user.send("/start")
        await user.click("Русский")
        await user.click(tr(MENU, "ru"))
        replies = await user.click("Туркестанская область")
        first = replies[-1].buttons
        assert first[:8] == [f"Село{n:02d}" for n in range(1, 9)]
        # The one pager (bot/views/common.py): «◀️ 1/2 ▶️».
        assert first[8:] == ["1/2", "▶️", tr("⬅️ Back", "ru")]
        replies = await user.click("▶️")
        assert replies[-1].buttons == ["Село09", "Село10", "◀️", "2/2", tr("⬅️ Back", "ru")]
    finally:
        await app.close()


JUNE_15_2030 = {"kk": "15 маусым 2030, сенбі", "ru": "15 июня 2030, суббота"}


async def test_a_visit_more_than_a_year_ahead_shows_its_year(
    speaker: tuple[str, LocalUser], demo: MobileClinics, clock: VirtualClock
) -> None:
    locale, user = speaker
    clock.set("2029-06-01T12:00")  # the visit of 15 June 2030 is more than a year ahead
    replies = await user.send("ПМК Шиели")
    assert f"<b>{JUNE_15_2030[locale]}</b>" in replies[0].text
    clock.set("2030-06-01T12:00")  # two weeks ahead: the year goes without saying
    replies = await user.send("ПМК Шиели")
    assert f"<b>{JUNE_15[locale]}</b>" in replies[0].text
    assert "2030," not in replies[0].text.split(tr("Earlier visits (history):", locale))[0]


PRIVATE_PRICE = {
    "ru": ("сколько стоит эко в частной клинике", "Надёжных данных о цене ЭКО в частных клиниках"),
    "kk": ("жекеменшік клиникада эко қанша тұрады", "Жеке клиникадағы ЭКҰ бағасы туралы"),
}


async def test_a_question_instead_of_a_village_is_answered_not_searched(
    speaker: tuple[str, LocalUser],
) -> None:
    locale, user = speaker
    question, answer = PRIVATE_PRICE[locale]
    await user.click(tr("🚐 Mobile clinics", locale))
    assert (await user.send(question))[0].text.startswith(answer)
    # A village typed after it is still found: the free-text path knows villages too.
    assert "Шиел" in (await user.send("Шиели"))[0].text


async def test_a_village_named_with_the_word_village_opens_its_visits(user_kk: LocalUser) -> None:
    # «сулутобе ауылы» was read as «Aktobe» by the knowledge base: «тобе» in it.
    replies = await user_kk.send("сулутобе ауылы")
    assert replies[0].text.startswith("🚐 <b>Сұлутөбе, Шиелі ауданы")
