import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from aiogram.methods import SendMessage

from bot.app import App
from bot.cli import import_queue
from bot.console.session import LocalSession
from bot.console.user import LocalUser
from tests.support.broadcast import wait_until_idle
from tests.support.catalog import tr, trn
from tests.support.factories import queue_csv, with_wrong_control_digit
from tests.support.queue_steps import (
    CONTACT_PHONES,
    FAILED,
    FILE_PHONES,
    IINS,
    KYZYLORDA,
    LOADED,
    NOTIFY_ON,
    look_up,
    rows,
    upload,
)
from tests.support.staff import start_staff

ROW = "Row {line}: {reason}"


async def entries(app: App) -> list[tuple[str, int]]:
    found = await app.db.fetch_all(
        "SELECT region_code, position FROM ivf_queue_entries ORDER BY position"
    )
    return [(row[0], row[1]) for row in found]


@pytest.fixture
async def staff(make_user: Callable[..., LocalUser]) -> LocalUser:
    return await start_staff(make_user)


@pytest.fixture
async def staff_kk(make_user: Callable[..., LocalUser]) -> LocalUser:
    return await start_staff(make_user, "kk")


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
@pytest.mark.parametrize("delimiter", [";", ","])
async def test_staff_upload_loads_the_list(
    staff: LocalUser, app: App, bom: bool, delimiter: str
) -> None:
    replies = await staff.send_document(
        "очередь.csv", queue_csv(rows((3, 4, 5)), delimiter=delimiter, bom=bom)
    )
    assert [r.text for r in replies] == [trn(LOADED, "ru", 3, count="3", regions=KYZYLORDA["ru"])]
    assert await entries(app) == [("kyzylorda", 3), ("kyzylorda", 4), ("kyzylorda", 5)]


async def test_region_in_the_caption(staff_kk: LocalUser, app: App) -> None:
    content = queue_csv([[r[0], r[1], r[3]] for r in rows()], header="ЖСН;Телефон;Кезектегі орны")
    replies = await staff_kk.send_document("list.csv", content, caption="Қызылорда облысы")
    assert replies[0].text == trn(LOADED, "kk", 3, count="3", regions=KYZYLORDA["kk"])
    replies = await staff_kk.send_document("list.csv", content)
    assert replies[0].text == tr(
        "Nothing was changed: which region is this list for? The file has no region column, "
        "so please send it again with the region in the caption, for example «Kyzylorda "
        "region».",
        "kk",
    )


@pytest.mark.parametrize("locale", ["kk", "ru"])
async def test_bad_rows_are_listed_in_staff_language_and_nothing_changes(
    locale: str, make_user: Callable[..., LocalUser], app: App
) -> None:
    staff = await start_staff(make_user, locale)
    await upload(staff, (1, 2, 3))
    bad = rows((4, 5, 6)) + [
        [IINS[0], FILE_PHONES[3], "Кызылорда", "7", "ожидает", "01.11.2026"],
        [with_wrong_control_digit(IINS[3]), FILE_PHONES[3], "Марс", "", "?", "01.11.2026"],
    ]
    replies = await staff.send_document("queue.csv", queue_csv(bad))
    expected = "\n".join(
        [
            trn(FAILED, locale, 2, bad="2", good="3"),
            "",
            tr(
                ROW,
                locale,
                line=5,
                reason=tr("the same IIN as in row {detail}", locale, detail="2"),
            ),
            tr(
                ROW,
                locale,
                line=6,
                # Every problem of the row at once, not one per upload.
                reason="; ".join(
                    [
                        tr("the IIN's control digit is wrong (a typo?)", locale),
                        tr("no place in the queue", locale),
                        tr("unknown region «{detail}»", locale, detail="Марс"),
                        tr(
                            "unknown status «{detail}» (write: waiting, referred, done or "
                            "removed)",
                            locale,
                            detail="?",
                        ),
                    ]
                ),
            ),
        ]
    )
    assert replies[0].text == expected
    assert IINS[0] not in replies[0].text
    assert await entries(app) == [("kyzylorda", 1), ("kyzylorda", 2), ("kyzylorda", 3)]


async def test_long_report_is_cut_with_a_count(staff: LocalUser) -> None:
    bad = [["1", "2", "Кызылорда", "1", "ожидает", ""] for _ in range(35)]
    replies = await staff.send_document("queue.csv", queue_csv(bad))
    lines = replies[0].text.split("\n")
    assert len(lines) == 2 + 30 + 1
    assert lines[-1] == trn("…and {count} more row with errors.", "ru", 5, count="5")


async def test_spreadsheet_file_is_refused_with_how_to_save_csv(staff: LocalUser) -> None:
    replies = await staff.send_document("queue.xlsx", b"PK\x03\x04")
    assert replies[0].text == tr(
        "Please send the waiting list as a CSV file. In Excel: File → Save as → «CSV UTF-8 "
        "(comma delimited)».",
        "ru",
    )


async def test_unknown_region_in_caption_changes_nothing(staff: LocalUser, app: App) -> None:
    replies = await staff.send_document("queue.csv", queue_csv(rows()), caption="Атлантида")
    assert replies[0].text == tr(
        "I do not know the region «{text}» in the caption. Nothing was changed.",
        "ru",
        text="Атлантида",
    )
    assert await entries(app) == []


async def test_citizen_document_is_not_imported(user_ru: LocalUser, app: App) -> None:
    replies = await user_ru.send_document("queue.csv", queue_csv(rows()))
    assert replies[0].text == tr(
        "I can read only text. Please type your question or choose a topic in the menu.", "ru"
    )
    assert await entries(app) == []


async def test_logs_of_import_and_lookup_hold_no_iin_and_no_phone(
    staff: LocalUser, user_ru: LocalUser, log_text: Callable[[], str]
) -> None:
    logging.getLogger().setLevel(logging.DEBUG)
    await upload(staff, (5, 6, 7))
    await look_up(user_ru, "ru", CONTACT_PHONES[0], IINS[0])
    await user_ru.click(tr(NOTIFY_ON, "ru"))
    await look_up(user_ru, "ru", CONTACT_PHONES[1], IINS[0])  # not found
    bad = rows((1, 2, 3))
    bad[1][0] = with_wrong_control_digit(bad[1][0])
    await staff.send_document("queue.csv", queue_csv(bad))
    await upload(staff, (1, 2, 3))  # a change: the subscriber is told
    logged = log_text()
    assert "Update id=" in logged  # DEBUG/INFO logging was really captured
    digits_only = "".join(ch for ch in logged if ch.isdigit() or ch == "\n")
    for iin in IINS:
        assert iin not in logged and iin not in digits_only
    for phone in [*CONTACT_PHONES, *FILE_PHONES]:
        core = "".join(ch for ch in phone if ch.isdigit())[-10:]
        assert core not in logged and phone not in logged


async def test_other_documents_from_staff_are_left_to_other_features(staff: LocalUser) -> None:
    replies = await staff.send_document("photo.pdf", b"%PDF-1.4")
    assert replies[0].text == tr(
        "I can read only text. Please type your question or choose a topic in the menu.", "ru"
    )


async def test_cli_import_then_the_bot_sends_owed_messages_at_start(
    user_ru: LocalUser, staff: LocalUser, app: App, session: LocalSession, tmp_path: Path
) -> None:
    await upload(staff, (5, 6, 7))
    await look_up(user_ru, "ru", CONTACT_PHONES[0], IINS[0])
    await user_ru.click(tr(NOTIFY_ON, "ru"))
    changed = rows((5, 6, 7))
    changed[0][4] = "направлена в клинику"
    path = tmp_path / "queue.csv"
    path.write_bytes(queue_csv(changed))
    code, report = await import_queue(app.settings, path, "kyzylorda", "kk")
    assert (code, report) == (
        0,
        trn(LOADED, "kk", 3, count="3", regions=KYZYLORDA["kk"])
        + "\n"
        + trn("{count} subscriber will get a message about their change.", "kk", 1, count="1"),
    )
    start = len(session.calls)
    # As start_polling does it; the one sender sends what the import queued.
    await app.dispatcher.emit_startup(bot=app.bot, **app.dispatcher.workflow_data)
    await wait_until_idle(app)
    await app.dispatcher.emit_shutdown(bot=app.bot, **app.dispatcher.workflow_data)
    [notice] = [
        call.text
        for call in session.calls[start:]
        if isinstance(call, SendMessage) and call.chat_id == user_ru.chat.id
    ]
    assert tr("Place in the queue: <b>{position}</b>", "ru", position="5") in notice
    assert (
        tr(
            "Status: {old} → <b>{new}</b>",
            "ru",
            old=tr("waiting in the queue", "ru"),
            new=tr("referred to a clinic", "ru"),
        )
        in notice
    )


async def test_cli_refuses_an_unknown_region_and_a_missing_file(app: App, tmp_path: Path) -> None:
    path = tmp_path / "queue.csv"
    path.write_bytes(queue_csv(rows()))
    code, _ = await import_queue(app.settings, path, "atlantis")
    assert code == 2
    code, _ = await import_queue(app.settings, tmp_path / "missing.csv", None)
    assert code == 2
    assert await entries(app) == []
