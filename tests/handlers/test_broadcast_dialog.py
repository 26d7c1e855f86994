"""A staff member composes, previews, sends, watches, corrects and retracts a broadcast."""

from collections.abc import AsyncIterator, Callable

import pytest
from aiogram.methods import DeleteMessage, SendMessage

from bot.app import App
from bot.config import Settings
from bot.console.user import BotReply, LocalUser, describe
from bot.services.subscriptions import Topic
from bot.views.broadcast import RunControl
from tests.support.broadcast import (
    START,
    add_subscriber,
    open_app,
    session_of,
    start_sender,
    stop_sender,
    wait_until_idle,
)
from tests.support.catalog import tr, trn
from tests.support.clock import VirtualClock
from tests.support.staff import STAFF_ID, staff_member, start_staff
from tests.support.telegram import TelegramRules

# How staff see the subscribers of IVF news (citizens see «IVF news («Аңсаған сәби»)»).
IVF_AUDIENCE = "IVF news audience"
SUMMARY = (
    "Topic: {topic}\nRegion: {region}\nRecipients: {total} ({kk} in Kazakh, {ru} in Russian)"
    "\n\nSend it?"
)
QUEUED = "Queued for {count} recipient. Progress will appear here."
SUBSCRIBERS = {40_001: "kk", 40_002: "ru", 40_003: "kk", 40_004: "ru"}


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    clock = VirtualClock()
    application = await open_app(settings, TelegramRules(clock=clock.now), clock)
    for user_id, language in SUBSCRIBERS.items():
        region = "abai" if user_id < 40_003 else "akmola"
        await add_subscriber(application, user_id, language, (Topic.IVF,), region=region)
    yield application
    await stop_sender(application)
    await application.close()


@pytest.fixture(params=["kk", "ru"])
async def staff(request: pytest.FixtureRequest, make_user: Callable[..., LocalUser]) -> LocalUser:
    user = await start_staff(make_user, request.param)
    user.locale = request.param  # type: ignore[attr-defined]
    return user


def received(app: App, chat_id: int) -> list[str]:
    return [text for _, text in session_of(app).rules.received.get(chat_id, [])]


async def compose(staff: LocalUser, region_label: str | None = None) -> list[BotReply]:
    """Walk the dialog up to the confirmation; returns the previews and summary."""
    locale = staff.locale  # type: ignore[attr-defined]
    await staff.send("/broadcast")
    await staff.send("Жаңа квоталар")
    await staff.send("Новые квоты")
    await staff.click(tr("No attachment", locale))
    await staff.click(tr(IVF_AUDIENCE, locale))
    if region_label is not None:
        await staff.click(region_label)
    return await staff.click(tr("Both languages", locale))


async def test_staff_member_composes_previews_and_sends_in_both_languages(
    app: App, staff: LocalUser
) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    replies = await staff.send("/broadcast")
    assert replies[0].text == tr(START, locale)
    replies = await staff.send("Жаңа квоталар")
    assert replies[0].text == tr("Now the same announcement in Russian.", locale)
    replies = await staff.send("Новые квоты")
    assert replies[0].buttons[0] == tr("No attachment", locale)
    replies = await staff.click(tr("No attachment", locale))
    assert replies[0].text == tr("Who is it for? Choose the topic.", locale)
    await staff.click(tr(IVF_AUDIENCE, locale))
    replies = await staff.click(tr("All regions", locale))
    assert replies[0].text == tr("Which language's speakers?", locale)
    replies = await staff.click(tr("Both languages", locale))
    assert [reply.text for reply in replies] == [
        tr("👁 Kazakh speakers will see:", locale),
        "Жаңа квоталар",
        tr("👁 Russian speakers will see:", locale),
        "Новые квоты",
        tr(
            SUMMARY,
            locale,
            topic=tr(IVF_AUDIENCE, locale),
            region=tr("all regions", locale),
            total=4,
            kk=2,
            ru=2,
        ),
    ]
    await start_sender(app)
    replies = await staff.click(tr("✅ Send", locale))
    assert replies[0].text == trn(QUEUED, locale, 4, count=4)
    await wait_until_idle(app)
    to_staff = [c for c in session_of(app).calls if getattr(c, "chat_id", None) == STAFF_ID]
    progress = describe(next(c for c in to_staff if "№1" in getattr(c, "text", "")))
    assert progress is not None
    assert progress.text.startswith("<b>" + tr("📣 Broadcast #{id}", locale, id=1))
    eta = tr("{seconds} s", locale, seconds=1)
    assert tr("Time left: about {duration}", locale, duration=eta) in progress.text
    assert progress.buttons == [tr("⏸ Pause", locale), tr("⏹ Stop", locale)]
    for user_id, language in SUBSCRIBERS.items():
        assert received(app, user_id) == [{"kk": "Жаңа квоталар", "ru": "Новые квоты"}[language]]
    report = [c.text for c in session_of(app).calls if isinstance(c, SendMessage)][-1]
    assert tr("Delivered: {delivered} of {total}", locale, delivered=4, total=4) in report
    assert tr("Blocked the bot (unsubscribed): {blocked}", locale, blocked=0) in report


async def test_text_goes_out_as_typed_and_region_filters_the_audience(
    app: App, staff: LocalUser
) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    await start_sender(app)
    await staff.send("/broadcast")
    await staff.send("Жаңа <b>квоталар</b>")  # typed tags, not Telegram formatting
    await staff.send("Новые квоты")
    await staff.click(tr("No attachment", locale))
    await staff.click(tr(IVF_AUDIENCE, locale))
    await staff.click("Абай облысы" if locale == "kk" else "область Абай")
    replies = await staff.click(tr("Both languages", locale))
    assert replies[1].text == "Жаңа &lt;b&gt;квоталар&lt;/b&gt;"
    assert "2" in replies[-1].text
    await staff.click(tr("✅ Send", locale))
    await wait_until_idle(app)
    assert received(app, 40_001) == ["Жаңа &lt;b&gt;квоталар&lt;/b&gt;"]
    assert received(app, 40_002) == ["Новые квоты"]
    assert received(app, 40_003) == received(app, 40_004) == []


async def test_same_text_for_everyone_and_a_photo(app: App, staff: LocalUser) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    await staff.send("/broadcast")
    replies = await staff.click(tr("Same text for all", locale))
    assert replies[0].text == tr("Send the text that everyone will receive.", locale)
    await staff.send("Жаңа аурухана / Новая больница")
    replies = await staff.send_photo()
    assert replies[0].text == tr("Who is it for? Choose the topic.", locale)
    await staff.click(tr(IVF_AUDIENCE, locale))
    await staff.click(tr("All regions", locale))
    replies = await staff.click(tr("Kazakh speakers only", locale))
    assert [reply.kind for reply in replies] == ["message", "photo", "message"]
    await start_sender(app)
    await staff.click(tr("✅ Send", locale))
    await wait_until_idle(app)
    assert session_of(app).rules.received[40_001] == [
        ("sendPhoto", "Жаңа аурухана / Новая больница")
    ]
    assert received(app, 40_002) == []


@pytest.mark.parametrize("steps", range(7))
async def test_cancel_works_at_every_step(app: App, staff: LocalUser, steps: int) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    actions = [
        lambda: staff.send("/broadcast"),
        lambda: staff.send("Жаңа квоталар"),
        lambda: staff.send("Новые квоты"),
        lambda: staff.click(tr("No attachment", locale)),
        lambda: staff.click(tr(IVF_AUDIENCE, locale)),
        lambda: staff.click(tr("All regions", locale)),
        lambda: staff.click(tr("Both languages", locale)),
    ]
    for action in actions[: steps + 1]:
        await action()
    replies = await staff.send("/cancel")
    assert replies[0].text == tr("Cancelled. What else can I help with?", locale)
    rows = await app.db.fetch_all("SELECT id FROM broadcasts")
    assert rows == []


async def test_invalid_input_gets_a_clear_answer_at_each_step(staff: LocalUser) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    await staff.send("/broadcast")
    replies = await staff.send_sticker()
    assert replies[0].text == tr("Please send the text as a message, or /cancel.", locale)
    await staff.send("Жаңа квоталар")
    await staff.send("Новые квоты")
    replies = await staff.send("тағы бір мәтін")
    assert replies[0].text == tr(
        "Send a photo or a document, press «No attachment», or /cancel.", locale
    )
    await staff.click(tr("No attachment", locale))
    replies = await staff.send("ЭКО")
    assert replies[0].text == tr("Please choose with the buttons above, or /cancel.", locale)


async def test_too_long_text_is_refused(staff: LocalUser) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    await staff.send("/broadcast")
    replies = await staff.send("x" * 4097)
    too_long = "This is too long: Telegram allows {limit} characters here. Please shorten it."
    assert replies[0].text == tr(too_long, locale, limit="4\xa0096")
    replies = await staff.send("x" * 4096)
    assert replies[0].text == tr("Now the same announcement in Russian.", locale)


async def test_regional_staff_member_skips_the_region_and_reaches_only_it(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    member = await staff_member(app, make_user, 6666, "akmola")
    member.locale = "ru"  # type: ignore[attr-defined]
    replies = await compose(member)
    assert replies[-1].text == tr(
        SUMMARY,
        "ru",
        topic=tr(IVF_AUDIENCE, "ru"),
        region="Акмолинская область",
        total=2,
        kk=1,
        ru=1,
    )


async def test_progress_buttons_pause_resume_and_stop(app: App, staff: LocalUser) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    await compose(staff, region_label=tr("All regions", locale))
    await staff.click(tr("✅ Send", locale))
    run_id = 1
    replies = await staff.press_inline(RunControl(run_id=run_id, action="pause").pack())
    assert replies[0].text == tr("Paused.", locale)
    await start_sender(app)
    await wait_until_idle(app)
    assert received(app, 40_001) == []  # paused before the sender started
    replies = await staff.press_inline(RunControl(run_id=run_id, action="resume").pack())
    assert replies[0].text == tr("Resumed.", locale)
    await wait_until_idle(app)
    assert received(app, 40_001) == ["Жаңа квоталар"]
    replies = await staff.press_inline(RunControl(run_id=run_id, action="cancel").pack())
    assert replies[0].text == tr("This broadcast is no longer running.", locale)


async def test_stopping_a_paused_broadcast_reports_what_was_not_sent(
    app: App, staff: LocalUser
) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    await compose(staff, region_label=tr("All regions", locale))
    await staff.click(tr("✅ Send", locale))
    await staff.press_inline(RunControl(run_id=1, action="pause").pack())
    await start_sender(app)
    await wait_until_idle(app)
    replies = await staff.press_inline(RunControl(run_id=1, action="cancel").pack())
    texts = [reply.text for reply in replies]
    assert tr("Stopping…", locale) in texts
    assert any(tr("Not sent (stopped): {cancelled}", locale, cancelled=4) in t for t in texts)


async def test_broadcast_is_corrected_then_retracted_from_the_history(
    app: App, staff: LocalUser
) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    await start_sender(app)
    await compose(staff, region_label=tr("All regions", locale))
    await staff.click(tr("✅ Send", locale))
    await wait_until_idle(app)
    replies = await staff.send("/broadcasts")
    # The audit: who, to whom, how it went (and when, in the first line).
    assert f"<code>{STAFF_ID}</code>" in replies[0].text
    assert tr(IVF_AUDIENCE, locale) in replies[0].text
    assert (
        tr(
            "{title}: {status}, delivered {delivered} of {total}, "
            "blocked {blocked}, failed {failed}",
            locale,
            title=tr("📣 Broadcast #{id}", locale, id=1),
            status=tr("finished", locale),
            delivered=4,
            total=4,
            blocked=0,
            failed=0,
        )
        in replies[0].text
    )
    assert replies[0].buttons == [
        tr("✏️ Correct #{id}", locale, id=1),
        tr("🗑 Retract #{id}", locale, id=1),
    ]
    await staff.click(tr("✏️ Correct #{id}", locale, id=1))
    await staff.send("Түзетілген квоталар")
    replies = await staff.send("Исправленные квоты")
    assert replies[-1].text == tr(
        "Replace the text of broadcast #{id} in every chat it reached?", locale, id=1
    )
    await staff.click(tr("✅ Send", locale))
    await wait_until_idle(app)
    assert received(app, 40_002) == ["Новые квоты", "Исправленные квоты"]
    replies = await staff.send("/broadcasts")
    await staff.click(tr("🗑 Retract #{id}", locale, id=1))
    replies = await staff.click(tr("🗑 Yes, delete it everywhere", locale))
    assert replies[0].text == trn(QUEUED, locale, 4, count=4)
    await wait_until_idle(app)
    deleted = {c.chat_id for c in session_of(app).calls if isinstance(c, DeleteMessage)}
    assert deleted == set(SUBSCRIBERS)


STAFF_AUDIENCES = [
    "IVF news audience",
    "Mobile clinic audience: by region",
    "New facilities audience",
]
CITIZEN_TOPIC = "Mobile clinics in my region"


async def test_staff_choose_audiences_by_staff_facing_names(staff: LocalUser) -> None:
    locale = staff.locale  # type: ignore[attr-defined]
    await staff.send("/broadcast")
    await staff.send("Жаңа квоталар")
    await staff.send("Новые квоты")
    replies = await staff.click(tr("No attachment", locale))
    labels = replies[0].buttons
    assert labels[:3] == [tr(name, locale) for name in STAFF_AUDIENCES]
    assert tr(CITIZEN_TOPIC, locale) not in labels
