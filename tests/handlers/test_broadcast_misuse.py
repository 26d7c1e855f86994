"""Broadcasts under misuse: double taps, other regions' runs, markup in excerpts, long
captions, retracted broadcasts, empty audiences — and what /broadcasts shows."""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.methods import EditMessageCaption, SendMessage

from bot.app import App
from bot.config import Settings
from bot.console.user import BotReply, LocalUser
from bot.services.subscriptions import Topic
from bot.views.broadcast import ComposeChoice, RunControl
from tests.support.broadcast import (
    add_subscriber,
    enqueue,
    open_app,
    session_of,
    start_sender,
    stop_sender,
    wait_until_idle,
)
from tests.support.catalog import tr, trn
from tests.support.clock import VirtualClock
from tests.support.staff import STAFF_ID, staff_member
from tests.support.telegram import RulesSession, TelegramRules

# 20 subscribers of IVF news: even ids in Abai, odd ones in Akmola; half Kazakh, half Russian.
SUBSCRIBERS = {50_000 + n: ("kk" if n % 2 else "ru") for n in range(20)}
QUEUED = "Queued for {count} recipient. Progress will appear here."
ALREADY = "This has already been queued: one press sends it once."
TOO_LATE = (
    "This broadcast can no longer be changed: Telegram allows it for 48 hours, "
    "and only after the sending has ended."
)
NO_LONGER_RUNNING = "This broadcast is no longer running."


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    clock = VirtualClock()
    application = await open_app(settings, TelegramRules(clock=clock.now), clock)
    for user_id, language in SUBSCRIBERS.items():
        region = "abai" if user_id % 2 == 0 else "akmola"
        await add_subscriber(application, user_id, language, (Topic.IVF,), region=region)
    slow_network(session_of(application))
    yield application
    await stop_sender(application)
    await application.close()


def slow_network(session: RulesSession) -> None:
    """Each API call takes a moment, as over HTTP: concurrent updates interleave there."""
    make_request = session.make_request

    async def over_the_network(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.002)
        return await make_request(*args, **kwargs)

    session.make_request = over_the_network  # type: ignore[method-assign]


def received(app: App, chat_id: int) -> list[str]:
    return [text for _, text in session_of(app).rules.received.get(chat_id, [])]


async def compose(
    staff: LocalUser,
    region_label: str | None = "Все регионы",
    kk: str = "Жаңа квоталар",
    *,
    photo: bool = False,
) -> list[BotReply]:
    """/broadcast of IVF news in both languages up to the summary (or what stands instead)."""
    await staff.send("/broadcast")
    await staff.send(kk)
    await staff.send("Новые квоты")
    if photo:
        await staff.send_photo()
    else:
        await staff.click(tr("No attachment", "ru"))
    await staff.click(tr("IVF news audience", "ru"))
    if region_label is not None:
        await staff.click(region_label)
    return await staff.click(tr("Both languages", "ru"))


async def press_twice(staff: LocalUser, label: str) -> list[str]:
    """Two taps on one button, handled concurrently as polling hands them to the bot."""
    button = next(b for row in staff.last_inline for b in row if b.text == label)
    assert button.callback_data is not None
    first, second = await asyncio.gather(
        staff.press_inline(button.callback_data), staff.press_inline(button.callback_data)
    )
    return [reply.text for reply in (*first, *second)]


async def send_once(app: App, staff: LocalUser, region_label: str | None = "Все регионы") -> None:
    await compose(staff, region_label)
    await start_sender(app)
    await staff.click(tr("✅ Send", "ru"))
    await wait_until_idle(app)


async def act_on_first_broadcast(staff: LocalUser, action: str) -> None:
    """/broadcasts, then `action` («✏️ Correct #{id}» or «🗑 Retract #{id}») on broadcast 1."""
    await staff.send("/broadcasts")
    await staff.click(tr(action, "ru", id=1))


# 1. A double tap ------------------------------------------------------------------------------
async def test_double_tap_on_send_queues_the_broadcast_once(app: App, admin: LocalUser) -> None:
    await compose(admin)
    await start_sender(app)
    texts = await press_twice(admin, tr("✅ Send", "ru"))
    await wait_until_idle(app)
    for user_id, language in SUBSCRIBERS.items():
        assert received(app, user_id) == [{"kk": "Жаңа квоталар", "ru": "Новые квоты"}[language]]
    assert len(await app.db.fetch_all("SELECT id FROM broadcasts")) == 1
    assert trn(QUEUED, "ru", 20, count=20) in texts


async def test_double_tap_on_correction_and_retraction_queues_each_once(
    app: App, admin: LocalUser
) -> None:
    await send_once(app, admin)
    await act_on_first_broadcast(admin, "✏️ Correct #{id}")
    await admin.send("Түзетілген квоталар")
    await admin.send("Исправленные квоты")
    await press_twice(admin, tr("✅ Send", "ru"))
    await wait_until_idle(app)
    edits = [m for m, _ in session_of(app).rules.received[50_000] if m == "editMessageText"]
    assert edits == ["editMessageText"]
    await act_on_first_broadcast(admin, "🗑 Retract #{id}")
    await press_twice(admin, tr("🗑 Yes, delete it everywhere", "ru"))
    await wait_until_idle(app)
    deletes = [m for m, _ in session_of(app).rules.received[50_000] if m == "deleteMessage"]
    assert deletes == ["deleteMessage"]
    runs = await app.db.fetch_all("SELECT action FROM broadcast_runs ORDER BY id")
    assert [row["action"] for row in runs] == ["send", "edit", "delete"]


# 2 and 3. Regional limits -------------------------------------------------------------------
async def test_limit_added_mid_dialog_applies_at_send(
    app: App, admin: LocalUser, make_user: Callable[..., LocalUser]
) -> None:
    member = await staff_member(app, make_user, 6001, "akmola")
    await app.dispatcher["staff_members"].add(6001, None, STAFF_ID, datetime.now(UTC))
    await compose(member, "Все регионы")
    # The administrator limits the member to Abai while the preview is on their screen.
    await admin.send("/staff add 6001 Абай")
    await start_sender(app)
    replies = await member.click(tr("✅ Send", "ru"))
    assert replies[-1].text == tr(
        "You may now send announcements to {region} only. Your texts are kept: "
        "choose the audience again.",
        "ru",
        region="область Абай",
    )
    await member.click(tr("IVF news audience", "ru"))
    await member.click(tr("Both languages", "ru"))
    await member.click(tr("✅ Send", "ru"))
    await wait_until_idle(app)
    reached = {user_id for user_id in SUBSCRIBERS if received(app, user_id)}
    assert reached == {user_id for user_id in SUBSCRIBERS if user_id % 2 == 0}


@pytest.mark.parametrize("action", ["pause", "resume", "cancel"])
async def test_regional_member_cannot_control_another_region_or_national_run(
    app: App, admin: LocalUser, make_user: Callable[..., LocalUser], action: str
) -> None:
    await compose(admin)
    await admin.click(tr("✅ Send", "ru"))  # the national run, not started yet
    await admin.press_inline(RunControl(run_id=1, action="pause").pack())
    member = await staff_member(app, make_user, 6002, "abai")
    replies = await member.press_inline(RunControl(run_id=1, action=action).pack())
    assert [reply.text for reply in replies] == [tr(NO_LONGER_RUNNING, "ru")]
    status = await app.db.fetch_one("SELECT status FROM broadcast_runs WHERE id = 1")
    assert status is not None and status["status"] == "paused"


async def test_author_and_members_of_the_run_region_control_it(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    author = await staff_member(app, make_user, 6003, "abai")
    colleague = await staff_member(app, make_user, 6004, "abai")
    stranger = await staff_member(app, make_user, 6005, "akmola")
    await compose(author, region_label=None)
    await author.click(tr("✅ Send", "ru"))
    replies = await stranger.press_inline(RunControl(run_id=1, action="pause").pack())
    assert replies[0].text == tr(NO_LONGER_RUNNING, "ru")
    replies = await colleague.press_inline(RunControl(run_id=1, action="pause").pack())
    assert replies[0].text == tr("Paused.", "ru")
    replies = await author.press_inline(RunControl(run_id=1, action="resume").pack())
    assert replies[0].text == tr("Resumed.", "ru")


# 7 and 14. The audit -------------------------------------------------------------------------
async def test_broadcasts_excerpt_is_cut_on_visible_text_not_inside_a_tag(
    app: App, admin: LocalUser
) -> None:
    # 195 letters, then a link, as Telegram formatting reaches the bot (`html_text`): a cut at
    # 200 characters of HTML would split the <a> tag.
    long_text = "а" * 195 + ' <a href="https://egov.kz">eGov</a> және <b>1414</b> &amp; 103'
    await start_sender(app)
    await enqueue(app, kk=long_text, ru=long_text)
    await wait_until_idle(app)
    replies = await admin.send("/broadcasts")
    entry = replies[0].text
    assert entry.endswith("\n\n" + "а" * 195 + " eGo…")
    assert "<a" not in entry and "&lt;a" not in entry
    assert replies[0].buttons == [
        tr("✏️ Correct #{id}", "ru", id=1),
        tr("🗑 Retract #{id}", "ru", id=1),
    ]


async def test_broadcasts_shows_kazakhstan_time(app: App, admin: LocalUser) -> None:
    await send_once(app, admin)
    await app.db.execute("UPDATE broadcasts SET created_at = '2026-03-01T17:36:00+00:00'")
    replies = await admin.send("/broadcasts")
    assert " · 1 марта 2026, 22:36 · " in replies[0].text.splitlines()[0]


async def test_retracted_broadcast_is_offered_for_nothing_and_reported_as_deleted(
    app: App, admin: LocalUser
) -> None:
    await send_once(app, admin)
    await act_on_first_broadcast(admin, "🗑 Retract #{id}")
    await admin.click(tr("🗑 Yes, delete it everywhere", "ru"))
    await wait_until_idle(app)
    report = [c.text for c in session_of(app).calls if isinstance(c, SendMessage)][-1]
    assert tr("Deleted: {delivered} of {total}", "ru", delivered=20, total=20) in report
    replies = await admin.send("/broadcasts")
    assert replies[0].buttons == []
    assert "удалено 20 из 20" in replies[0].text
    assert "доставлено 20 из 20" in replies[0].text  # the first send
    replies = await admin.press_inline(ComposeChoice(step="retract", value="1").pack())
    assert replies[-1].text == tr(TOO_LATE, "ru")


async def test_one_recipient_is_counted_in_the_singular(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    await app.db.execute("DELETE FROM subscriptions WHERE user_id != 50000")
    member = await staff_member(app, make_user, 6006, "abai")
    await compose(member, region_label=None)
    replies = await member.click(tr("✅ Send", "ru"))
    assert replies[-1].text == "Поставлено в очередь: 1 получатель. Ход отправки появится здесь."


async def test_empty_audience_keeps_the_texts_and_asks_for_the_audience_again(
    app: App, admin: LocalUser
) -> None:
    replies = await compose(admin, "Кызылординская область")  # nobody there has subscribed
    assert [reply.text for reply in replies] == [
        tr(
            "No subscriber matches this audience, so there is nobody to send it to. "
            "Your texts are kept: choose the topic again (and the region, if you may).",
            "ru",
        )
    ]
    await admin.click(tr("IVF news audience", "ru"))
    await admin.click("область Абай")
    replies = await admin.click(tr("Both languages", "ru"))
    # Abai's subscribers all read Russian: the typed Russian text is still there.
    assert [reply.text for reply in replies[:2]] == [
        tr("👁 Russian speakers will see:", "ru"),
        "Новые квоты",
    ]


# 8. A correction longer than a caption ---------------------------------------------------------
async def test_correction_of_a_photo_broadcast_over_1024_characters_is_refused(
    app: App, admin: LocalUser
) -> None:
    await compose(admin, photo=True)
    await start_sender(app)
    await admin.click(tr("✅ Send", "ru"))
    await wait_until_idle(app)
    await act_on_first_broadcast(admin, "✏️ Correct #{id}")
    replies = await admin.send("ы" * 1025)
    too_long = "This is too long: Telegram allows {limit} characters here. Please shorten it."
    assert replies[0].text == tr(too_long, "ru", limit="1\xa0024")
    await admin.send("Түзетілген квоталар")
    await admin.send("Исправленные квоты")
    await admin.click(tr("✅ Send", "ru"))
    await wait_until_idle(app)
    captions = [c.caption for c in session_of(app).calls if isinstance(c, EditMessageCaption)]
    assert set(captions) == {"Түзетілген квоталар", "Исправленные квоты"}
    stored = await app.db.fetch_one("SELECT text_kk, text_ru FROM broadcasts")
    assert stored is not None and tuple(stored) == ("Түзетілген квоталар", "Исправленные квоты")


async def test_a_correction_nobody_received_leaves_the_stored_text(
    app: App, admin: LocalUser
) -> None:
    await send_once(app, admin)
    session_of(app).rules.blocked.update(SUBSCRIBERS)
    await act_on_first_broadcast(admin, "✏️ Correct #{id}")
    await admin.click(tr("Same text for all", "ru"))
    await admin.send("Исправленные квоты")
    await admin.click(tr("✅ Send", "ru"))
    await wait_until_idle(app)
    stored = await app.db.fetch_one("SELECT text_ru FROM broadcasts")
    assert stored is not None and stored["text_ru"] == "Новые квоты"
