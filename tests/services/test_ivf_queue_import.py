from datetime import date
from itertools import islice

import pytest
from pydantic import SecretStr

from bot import PROJECT_ROOT
from bot.services.iin import parse_iin
from bot.services.ivf_queue import QueueStatus, parse_status
from bot.services.ivf_queue_import import (
    FileProblem,
    RowProblem,
    detect_delimiter,
    parse_queue_file,
)
from bot.services.pii_hash import PiiHasher
from bot.services.regions import RegionDirectory
from tests.support.factories import HEADER, queue_csv, synthetic_iins, with_wrong_control_digit

TODAY = date(2026, 11, 23)
REGIONS = RegionDirectory.load(PROJECT_ROOT / "data" / "regions.yaml")
HASHER = PiiHasher(SecretStr("test-secret-key"))
IINS = list(islice(synthetic_iins(), 6))


def good_rows() -> list[list[str]]:
    return [
        [IINS[0], "+7 701 123 45 67", "Кызылорда", "1", "ожидает", "01.11.2026"],
        [IINS[1], "8 (702) 000-11-22", "Қызылорда облысы", "2", "кезекте", "01.11.2026"],
        [IINS[2], "77051234567", "kyzylorda", "3", "направлена в клинику", "2026-11-01"],
    ]


def parse(content: bytes, region_code: str | None = None):  # type: ignore[no-untyped-def]
    region = REGIONS.get(region_code) if region_code else None
    return parse_queue_file(content, REGIONS, HASHER, region, TODAY)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("waiting", QueueStatus.WAITING),
        ("Ожидает", QueueStatus.WAITING),
        ("в очереди", QueueStatus.WAITING),
        ("кезекте", QueueStatus.WAITING),
        ("күтуде", QueueStatus.WAITING),
        ("referred to a clinic", QueueStatus.REFERRED),
        ("Направлена в клинику", QueueStatus.REFERRED),
        ("жолдама берілді", QueueStatus.REFERRED),
        ("Done", QueueStatus.DONE),
        ("проведено", QueueStatus.DONE),
        ("ЭКҰ жасалды", QueueStatus.DONE),
        ("ЭКО проведено", QueueStatus.DONE),
        ("Ожидает направления", QueueStatus.WAITING),
        ("клиникаға жолдама берілді", QueueStatus.REFERRED),
        ("жасалды", QueueStatus.DONE),
        ("removed", QueueStatus.REMOVED),
        ("снят с очереди", QueueStatus.REMOVED),
        ("кезектен шығарылды", QueueStatus.REMOVED),
        ("шығарылды", QueueStatus.REMOVED),
        ("Исключён", QueueStatus.REMOVED),
        ("", None),
        ("maybe", None),
    ],
)
def test_status_words_in_three_languages(text: str, status: QueueStatus | None) -> None:
    assert parse_status(text) is status


def test_good_file_with_semicolons_and_bom_is_read_whole() -> None:
    parsed = parse(queue_csv(good_rows(), bom=True))
    assert parsed.problem is None and parsed.bad_rows == []
    assert [e.position for e in parsed.entries] == [1, 2, 3]
    assert {e.region_code for e in parsed.entries} == {"kyzylorda"}
    assert parsed.entries[2].status == QueueStatus.REFERRED
    assert parsed.entries[0].list_date == date(2026, 11, 1)


def test_commas_as_excel_writes_them_are_read_too() -> None:
    rows = [[cell.replace(",", " ") for cell in row] for row in good_rows()]
    parsed = parse(queue_csv(rows, delimiter=","))
    assert len(parsed.entries) == 3 and not parsed.bad_rows
    assert detect_delimiter("a,b,c\n") == ","
    assert detect_delimiter("ИИН;Телефон;Регион\n") == ";"


def test_cp1251_file_from_excel_is_read() -> None:
    text = queue_csv(good_rows()[:1]).decode("utf-8").replace("Кызылорда", "Кызылорда")
    parsed = parse(text.encode("cp1251"))
    assert len(parsed.entries) == 1


def test_iin_with_spaces_is_accepted() -> None:
    rows = good_rows()
    rows[0][0] = f"{IINS[0][:6]} {IINS[0][6:]}"
    parsed = parse(queue_csv(rows))
    assert not parsed.bad_rows
    assert parsed.entries[0].iin_hash == HASHER.iin(parse_iin(IINS[0]))


def test_file_without_header_uses_the_documented_order() -> None:
    parsed = parse(queue_csv(good_rows(), header=None))
    assert len(parsed.entries) == 3 and not parsed.bad_rows


def test_region_from_caption_when_the_file_has_no_region_column() -> None:
    rows = [[r[0], r[1], r[3], r[4]] for r in good_rows()]
    content = queue_csv(rows, header="ИИН;Телефон;Позиция;Статус")
    assert parse(content).problem is FileProblem.NO_REGION
    parsed = parse(content, "kyzylorda")
    assert {e.region_code for e in parsed.entries} == {"kyzylorda"}
    assert {e.list_date for e in parsed.entries} == {TODAY}


@pytest.mark.parametrize(
    ("column", "value", "problem", "detail"),
    [
        (0, "", RowProblem.IIN_MISSING, ""),
        (0, "90011540010", RowProblem.IIN_LENGTH, ""),
        (0, "9001154001O9", RowProblem.IIN_NOT_DIGITS, ""),
        (0, with_wrong_control_digit(IINS[1]), RowProblem.IIN_CONTROL_DIGIT, ""),
        (0, IINS[0], RowProblem.IIN_DUPLICATE, "2"),
        (1, "12-34", RowProblem.PHONE_INVALID, ""),
        (1, "", RowProblem.PHONE_INVALID, ""),
        (2, "Марс", RowProblem.REGION_UNKNOWN, "Марс"),
        (3, "", RowProblem.POSITION_MISSING, ""),
        (3, "второй", RowProblem.POSITION_INVALID, ""),
        (3, "0", RowProblem.POSITION_INVALID, ""),
        (3, "-2", RowProblem.POSITION_INVALID, ""),
        (4, "unknown", RowProblem.STATUS_UNKNOWN, "unknown"),
        (5, "31.02.2026", RowProblem.DATE_INVALID, "31.02.2026"),
    ],
)
def test_each_kind_of_bad_row_is_reported_by_number(
    column: int, value: str, problem: RowProblem, detail: str
) -> None:
    rows = good_rows()
    rows[1][column] = value
    parsed = parse(queue_csv(rows))
    assert [(b.line, b.problem, b.detail) for b in parsed.bad_rows] == [(3, problem, detail)]
    assert len(parsed.entries) == 2  # the good rows are counted


def test_row_of_another_region_than_the_caption_is_bad() -> None:
    rows = good_rows()
    rows[2][2] = "Алматы"
    parsed = parse(queue_csv(rows), "kyzylorda")
    assert [(b.line, b.problem) for b in parsed.bad_rows] == [(4, RowProblem.REGION_OTHER)]


def test_missing_columns_and_empty_file_are_file_problems() -> None:
    parsed = parse(queue_csv([["x", "y"]], header="ИИН;Регион;Статус"))
    assert parsed.problem is FileProblem.MISSING_COLUMNS
    assert [c.value for c in parsed.missing_columns] == ["phone", "position"]
    assert parse(queue_csv([], header=HEADER)).problem is FileProblem.EMPTY
    assert parse(b"").problem is FileProblem.EMPTY


def test_blank_lines_are_skipped_and_row_numbers_stay_those_of_the_sheet() -> None:
    rows = good_rows()
    rows.insert(1, ["", "", "", "", "", ""])
    rows[3][3] = ""
    parsed = parse(queue_csv(rows))
    assert [(b.line, b.problem) for b in parsed.bad_rows] == [(5, RowProblem.POSITION_MISSING)]
