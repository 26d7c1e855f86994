"""Staff CSV imports under misuse: other regions' data, odd files, long reports, bad phones;
and /stats for a regional member."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.app import App
from bot.console.user import LocalUser
from bot.db.subscriptions import SubscriptionRepository
from bot.services.subscriptions import Topic
from tests.support.catalog import tr, trn
from tests.support.factories import queue_csv
from tests.support.queue_steps import (
    FAILED,
    FILE_PHONES,
    IINS,
    KYZYLORDA,
    LOADED,
    rows,
    upload,
)
from tests.support.staff import staff_member

ROW = "Row {line}: {reason}"
APOLOGY = (
    "Sorry, something went wrong on my side. Please try again in a minute; if it happens "
    "again, call 1414."
)
NOT_YOUR_LIST = (
    "Nothing was changed: the file has the list of {regions}, and you may load the list of "
    "your own region only."
)
SCHEDULE_HEADER = "region;settlement;vehicle;operator;date_from;date_to;hours;services;source\n"
SHIELI = "kyzylorda;Шиели;ЖМК;ЦРБ;10.06.2030;;10:00-17:00;consultations;test\n"
ZHOLEK = "kyzylorda;Жолек;ЖМК;ЦРБ;12.06.2030;13.06.2030;;consultations;test\n"
SULUTOBE = "kyzylorda;Сулутобе;ЖМК;ЦРБ;14.06.2030;;;consultations;test\n"
SCHEDULE_FAILED = "Nothing was imported; the schedule is unchanged. Fix these rows:"


@pytest.fixture
async def abai_member(app: App, make_user: Callable[..., LocalUser]) -> LocalUser:
    return await staff_member(app, make_user, 7001, "abai")


async def entries(app: App) -> list[tuple[str, int]]:
    found = await app.db.fetch_all(
        "SELECT region_code, position FROM ivf_queue_entries ORDER BY region_code, position"
    )
    return [(row[0], row[1]) for row in found]


async def planned_visits(app: App) -> int:
    row = await app.db.fetch_one(
        "SELECT COUNT(*) FROM mobile_visits WHERE region_code = 'kyzylorda' AND status = 'planned'"
    )
    assert row is not None
    return int(row[0])


def assert_one_message(text: str) -> None:
    assert text != tr(APOLOGY, "ru")
    assert len(text) <= 4096


# 2. Regional limits on imports and /stats -----------------------------------------------------
async def test_regional_member_cannot_replace_another_regions_waiting_list(
    app: App, admin: LocalUser, abai_member: LocalUser, log_text: Callable[[], str]
) -> None:
    await upload(admin, (1, 2, 3))
    replies = await abai_member.send_document("queue.csv", queue_csv(rows((9,))))
    assert [reply.text for reply in replies] == [tr(NOT_YOUR_LIST, "ru", regions=KYZYLORDA["ru"])]
    headless = queue_csv([[r[0], r[1], r[3]] for r in rows((9,))], header="ИИН;Телефон;Место")
    replies = await abai_member.send_document("queue.csv", headless, caption="Кызылорда")
    assert replies[0].text == tr(NOT_YOUR_LIST, "ru", regions=KYZYLORDA["ru"])
    assert await entries(app) == [("kyzylorda", 1), ("kyzylorda", 2), ("kyzylorda", 3)]
    log = log_text()
    assert not any(iin in log for iin in IINS)
    for phone in FILE_PHONES:
        assert phone not in log and "".join(filter(str.isdigit, phone))[-10:] not in log


async def test_regional_members_file_without_region_loads_their_own_region(
    app: App, abai_member: LocalUser
) -> None:
    headless = queue_csv([[r[0], r[1], r[3]] for r in rows((1, 2))], header="ИИН;Телефон;Место")
    replies = await abai_member.send_document("queue.csv", headless)
    assert replies[0].text == trn(LOADED, "ru", 2, count="2", regions="область Абай")
    assert await entries(app) == [("abai", 1), ("abai", 2)]


async def test_regional_member_cannot_change_another_regions_schedule(
    app: App, admin: LocalUser, abai_member: LocalUser
) -> None:
    await admin.send_document("mobile_schedule.csv", (SCHEDULE_HEADER + SHIELI + ZHOLEK).encode())
    assert await planned_visits(app) == 2
    replies = await abai_member.send_document(
        "mobile_schedule.csv", (SCHEDULE_HEADER + SULUTOBE).encode()
    )
    assert replies[0].text == "\n".join(
        [
            tr(SCHEDULE_FAILED, "ru"),
            tr(
                ROW,
                "ru",
                line=2,
                reason=tr(
                    "the visit is in {value}, and you may load the schedule of your own "
                    "region only",
                    "ru",
                    value=KYZYLORDA["ru"],
                ),
            ),
        ]
    )
    assert await planned_visits(app) == 2
    outbox = await app.db.fetch_one("SELECT COUNT(*) FROM outbox")
    assert outbox is not None and outbox[0] == 0


async def test_regional_member_sees_only_their_regions_figures(
    app: App, abai_member: LocalUser, user_kk: LocalUser, user_ru: LocalUser
) -> None:
    users = app.dispatcher["users"]
    await users.set_region(user_kk.user.id, "abai")
    await users.set_region(user_ru.user.id, "kyzylorda")
    subscriptions = SubscriptionRepository(app.db)
    for user in (user_kk, user_ru):
        await subscriptions.subscribe_many(user.user.id, [Topic.IVF], datetime.now(UTC))
    text = (await abai_member.send("/stats"))[0].text
    assert "<b>Пользователи</b>: 1" in text
    assert "• Қазақша: 1" in text and "Русский" not in text
    assert "• область Абай: 1" in text and KYZYLORDA["ru"] not in text
    assert "• Аудитория новостей ЭКО: 1" in text
    assert tr("<b>Most common unanswered questions, last 7 days</b>", "ru") not in text


# 9. Reports that reach the staff member -----------------------------------------------------
async def test_schedule_with_31_bad_rows_and_long_cells_gets_one_report(
    abai_member: LocalUser,
) -> None:
    long_name = "Ауыл" * 200
    bad = "".join(
        f"abai;{long_name}{n};ЖМК;ЦРБ;01.07.2030;;;consultations;test\n" for n in range(31)
    )
    replies = await abai_member.send_document(
        "mobile_schedule.csv", (SCHEDULE_HEADER + bad).encode()
    )
    text = replies[0].text
    assert_one_message(text)
    assert text.startswith(tr(SCHEDULE_FAILED, "ru"))
    assert text.splitlines()[-1].startswith("…и ещё ")


async def test_waiting_list_report_with_long_cells_fits_one_message(
    abai_member: LocalUser,
) -> None:
    status = "неизвестный статус " * 20
    bad = [[r[0], r[1], "Абай", "1", status, "01.11.2026"] for r in rows((1, 2, 3))] * 20
    replies = await abai_member.send_document("queue.csv", queue_csv(bad))
    assert_one_message(replies[0].text)


async def test_utf16_waiting_list_gets_a_specific_reason(admin: LocalUser, app: App) -> None:
    content = queue_csv(rows()).decode("utf-8").encode("utf-16")
    replies = await admin.send_document("queue.csv", content)
    assert replies[0].text == tr(
        "Nothing was changed: the file is not a CSV text file I can read (Excel's «Unicode "
        "text» is UTF-16). In Excel: File → Save as → «CSV UTF-8 (comma delimited)».",
        "ru",
    )
    assert await entries(app) == []


async def test_waiting_list_the_csv_reader_rejects_gets_a_specific_reason(
    admin: LocalUser, app: App
) -> None:
    # A cell longer than the CSV reader's limit (131 072 characters), in the third row.
    bad = [*rows((1,)), [IINS[1], FILE_PHONES[1], "Кызылорда", "2", "x" * 140_000, ""]]
    replies = await admin.send_document("queue.csv", queue_csv(bad))
    assert replies[0].text == tr(
        "Nothing was changed: from row {line} on the file cannot be read as CSV (an "
        "unclosed quote or a very long cell?). Please check that row and save the file "
        "again as «CSV UTF-8».",
        "ru",
        line=3,
    )


async def test_schedule_the_csv_reader_rejects_gets_a_specific_reason(
    admin: LocalUser,
) -> None:
    bad = SCHEDULE_HEADER + SHIELI + "kyzylorda;Жолек;" + "x" * 140_000 + "\n"
    replies = await admin.send_document("mobile_schedule.csv", bad.encode())
    assert_one_message(replies[0].text)
    assert (
        tr(
            "the file cannot be read as CSV from this row on (an unclosed quote or a very long "
            "cell?): save it again as CSV UTF-8",
            "ru",
        )
        in replies[0].text
    )


async def test_place_of_23_digits_is_reported_as_a_row_problem(admin: LocalUser, app: App) -> None:
    bad = [*rows((1, 2)), [IINS[2], FILE_PHONES[2], "Кызылорда", "1" * 23, "ожидает", ""]]
    replies = await admin.send_document("queue.csv", queue_csv(bad))
    assert replies[0].text == "\n".join(
        [
            trn(FAILED, "ru", 1, bad="1", good="2"),
            "",
            tr(
                ROW,
                "ru",
                line=4,
                reason=tr(
                    "the place in the queue is larger than 1 000 000, more than any list has "
                    "(a typo?)",
                    "ru",
                ),
            ),
        ]
    )
    assert await entries(app) == []


# 10. Phones -----------------------------------------------------------------------------------
@pytest.mark.parametrize("phone", ["8702444", "+7 727 250 00 00", "+7 916 123 45 67"])
async def test_waiting_list_row_without_a_kazakh_mobile_is_reported(
    admin: LocalUser, app: App, phone: str, log_text: Callable[[], str]
) -> None:
    bad = [*rows((1, 2)), [IINS[2], phone, "Кызылорда", "3", "ожидает", ""]]
    replies = await admin.send_document("queue.csv", queue_csv(bad))
    assert replies[0].text.splitlines()[-1] == tr(
        ROW,
        "ru",
        line=4,
        reason=tr(
            "no phone number, or it is not a Kazakh mobile number like +7 701 123 45 67", "ru"
        ),
    )
    assert await entries(app) == []
    assert phone not in log_text() and IINS[2] not in log_text()


# 15. A row with several problems ----------------------------------------------------------------
async def test_schedule_row_with_three_problems_reports_all_three(admin: LocalUser) -> None:
    bad = "kyzylorda;Атлантида;самолёт;;10.06.2030;;;consultations;test\n"
    replies = await admin.send_document("mobile_schedule.csv", (SCHEDULE_HEADER + bad).encode())
    reasons = [
        tr(
            "settlement «{value}» is not in our list for this region. To have it added, write "
            "to the bot's administrator with the region, the district and the settlement's name",
            "ru",
            value="Атлантида",
        ),
        tr("vehicle «{value}»: write ЖМК, ПМК or поезд", "ru", value="самолёт"),
        tr("who runs the visit (operator) is empty", "ru"),
    ]
    assert replies[0].text == "\n".join(
        [tr(SCHEDULE_FAILED, "ru"), tr(ROW, "ru", line=2, reason="; ".join(reasons))]
    )
    assert "settlements.yaml" not in replies[0].text
