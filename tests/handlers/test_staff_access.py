"""Staff commands exist only for staff: anyone else gets the unknown-command reply."""

from collections.abc import Callable
from typing import Any

import pytest
from aiogram.types import TelegramObject

from bot.app import App
from bot.console.user import LocalUser
from bot.telegram.filters import IsStaff
from bot.views.broadcast import RunControl
from tests.support.broadcast import START
from tests.support.catalog import tr
from tests.support.staff import staff_member

UNKNOWN = "I do not know this command. Send /help to see what I can do."
STAFF_COMMANDS = ["/broadcast", "/broadcasts", "/stats", "/staff", "/staff add 5 abai"]


@pytest.mark.parametrize("command", STAFF_COMMANDS)
async def test_citizen_gets_the_unknown_command_reply_for_every_staff_command(
    speaker: tuple[str, LocalUser], command: str
) -> None:
    locale, user = speaker
    replies = await user.send(command)
    assert [reply.text for reply in replies] == [tr(UNKNOWN, locale)]


async def test_staff_buttons_pressed_by_a_citizen_are_stale(user_ru: LocalUser) -> None:
    replies = await user_ru.press_inline(RunControl(run_id=1, action="cancel").pack())
    assert replies[0].text == tr("This button is out of date.", "ru")


async def test_regional_staff_may_broadcast_but_not_manage_staff(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    member = await staff_member(app, make_user, 5555, "abai")
    assert (await member.send("/staff"))[0].text == tr(UNKNOWN, "ru")
    assert (await member.send("/stats"))[0].text.startswith("<b>Пользователи</b>")
    replies = await member.send("/broadcast")
    assert replies[0].text == tr(START, "ru")


async def test_admin_adds_and_removes_a_regional_staff_member(
    admin: LocalUser, make_user: Callable[..., LocalUser]
) -> None:
    replies = await admin.send("/staff add 5555 Семей")
    assert replies[0].text == tr(
        "{id} is now staff and may send announcements to {region} only.",
        "ru",
        id=5555,
        region="область Абай",
    )
    listing = (await admin.send("/staff"))[0].text
    assert "<code>5555</code> — область Абай" in listing
    member = make_user(user_id=5555)
    assert (await member.send("/stats"))[0].text.startswith("<b>")
    replies = await admin.send("/staff remove 5555")
    assert replies[0].text == tr("Removed {id} from staff.", "ru", id=5555)
    assert (await member.send("/stats"))[0].text == tr(UNKNOWN, "ru")


async def test_staff_command_explains_itself_on_bad_input(admin: LocalUser) -> None:
    replies = await admin.send("/staff add someone")
    assert replies[0].text.startswith("Добавить сотрудника: /staff add")
    replies = await admin.send("/staff add 5555 Атлантида")
    assert replies[0].text == tr(
        "I do not know the region «{region}». Try its name, e.g. «Абай облысы».",
        "ru",
        region="Атлантида",
    )


class FakeQuestionLog:
    async def most_common_unanswered(self, days: int, limit: int) -> list[tuple[str, int]]:
        assert (days, limit) == (7, 10)
        return [("квота на ЭКО для мужчин", 4), ("<script>", 1)]


async def test_stats_counts_users_subscribers_and_unanswered_questions(
    app: App, admin: LocalUser, user_kk: LocalUser
) -> None:
    await user_kk.click(tr("🔔 Subscriptions", "kk"))
    await user_kk.click("▫️ " + tr("IVF news («Аңсаған сәби»)", "kk"))
    text = (await admin.send("/stats"))[0].text
    assert "<b>Пользователи</b>: 2" in text
    assert "• Қазақша: 1" in text and "• Русский: 1" in text
    assert "• не указан: 2" in text
    # Staff see the audience's staff-facing name, not the citizen's «IVF news».
    assert f"• {tr('IVF news audience', 'ru')}: 1" in text
    assert tr("<b>Most common unanswered questions, last 7 days</b>", "ru") in text
    app.dispatcher["question_log"] = FakeQuestionLog()
    text = (await admin.send("/stats"))[0].text
    assert tr("<b>Most common unanswered questions, last 7 days</b>", "ru") in text
    assert "1. «квота на ЭКО для мужчин» — 4" in text
    assert "2. «&lt;script&gt;» — 1" in text


async def test_stats_lists_real_unanswered_questions_without_personal_data(
    admin: LocalUser, user_ru: LocalUser
) -> None:
    await user_ru.send("Какая погода завтра в Караганде, мой номер +7 701 123 45 67")
    text = (await admin.send("/stats"))[0].text
    assert "погода" in text
    assert "701" not in text


async def test_a_citizens_updates_meet_the_staff_filter_once_each(
    user_ru: LocalUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    original = IsStaff.__call__

    async def counting(self: IsStaff, event: TelegramObject, **data: Any) -> bool:
        checked.append(type(event).__name__)
        return await original(self, event, **data)

    monkeypatch.setattr(IsStaff, "__call__", counting)
    await user_ru.send("/help")
    await user_ru.send_document("queue.csv", b"iin;phone\n")
    await user_ru.press_inline(RunControl(run_id=1, action="cancel").pack())
    # One check at the staff parent router per update a staff handler could take, never one
    # per staff handler; /help, which no staff handler takes, skips the staff router unchecked.
    assert checked == ["Message", "CallbackQuery"]
