from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.services.mobile_clinics import due_visit_day, is_mobile_clinic_question
from bot.services.mobile_schedule import (
    KZ_TZ,
    MedicalService,
    Problem,
    ScheduleParser,
    Vehicle,
    VisitDate,
    parse_visit_date,
)
from bot.services.regions import RegionDirectory
from bot.services.settlements import SettlementDirectory

DATA = Path(__file__).resolve().parents[2] / "data"
HEADER = "region;settlement;vehicle;operator;date_from;date_to;hours;services;source\n"
GOOD = "kyzylorda;Шиели;ЖМК;Шиелі аудандық ауруханасы;12.08.2030;;10:00-17:00;УЗИ|ЭКГ;акимат\n"


@pytest.fixture(scope="module")
def settlements() -> SettlementDirectory:
    return SettlementDirectory.load(DATA / "settlements.yaml")


@pytest.fixture(scope="module")
def parser(settlements: SettlementDirectory) -> ScheduleParser:
    return ScheduleParser(RegionDirectory.load(DATA / "regions.yaml"), settlements)


def test_kazakhstan_is_utc_plus_five_in_2025() -> None:
    moment = datetime(2025, 8, 12, 10, 0, tzinfo=KZ_TZ)
    assert moment.utcoffset() == timedelta(hours=5)
    assert datetime(2025, 1, 15, 10, 0, tzinfo=KZ_TZ).utcoffset() == timedelta(hours=5)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Шиели", "shieli"),
        ("Шиелі", "shieli"),
        ("Shieli", "shieli"),
        ("Shyeli", "shieli"),  # Latin with a typo
        ("Шеили", "shieli"),  # transposed letters
        ("когда приедет ПМК в Шиелиге", "shieli"),
        ("жмк Жолекке кашан келеди", "zholek"),
        ("поезд в Чаглинку", "chaglinka"),
        ("Qandyagash", "kandyagash"),
        ("Кандагач", "kandyagash"),
        ("Мартук", "martok"),
        ("Мәртөк", "martok"),
    ],
)
def test_settlement_is_found_in_any_script_with_typos(
    settlements: SettlementDirectory, typed: str, code: str
) -> None:
    found = settlements.find(typed)
    assert [item.code for item in found] == [code]


@pytest.mark.parametrize(
    "typed", ["Саламатты Казакстан поезд", "когда приедет ПМК", "Астана", "как получить квоту"]
)
def test_no_settlement_is_guessed_from_ordinary_words(
    settlements: SettlementDirectory, typed: str
) -> None:
    assert settlements.find(typed) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("когда приедет ПМК в Шиели", True),
        ("жмк кашан келеди биздин ауылга", True),
        ("ZhMK qashan keledi", True),
        ("медпоезд Саламатты Казахстан", True),
        ("пойыз қашан келеді", True),
        ("мобильный медкомплекс", True),
        ("мобильная бригада врачей", True),
        ("поликлиника на колёсах", True),
        ("скачать мобильное приложение", False),
        ("квота на ЭКО", False),
    ],
)
def test_mobile_clinic_questions_are_recognised(text: str, expected: bool) -> None:
    assert is_mobile_clinic_question(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.08.2025", VisitDate(2025, 8, 12)),
        ("2025-08-12", VisitDate(2025, 8, 12)),
        ("1.9.2025", VisitDate(2025, 9, 1)),
        ("12/08/2025", VisitDate(2025, 8, 12)),
    ],
)
def test_dates_are_read_as_staff_type_them(text: str, expected: VisitDate) -> None:
    assert parse_visit_date(text, allow_partial=False) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("27.08", Problem.MISSING_YEAR),
        ("31.02.2025", Problem.BAD_DATE),
        ("tomorrow", Problem.BAD_DATE),
        ("08.2025", Problem.BAD_DATE),
        ("2025-13-01", Problem.BAD_DATE),
    ],
)
def test_staff_dates_must_be_full(text: str, problem: Problem) -> None:
    assert parse_visit_date(text, allow_partial=False) is problem


def test_history_rows_may_lack_the_year_or_the_day() -> None:
    assert parse_visit_date("27.08", allow_partial=True) == VisitDate(None, 8, 27)
    assert parse_visit_date("08.2025", allow_partial=True) == VisitDate(2025, 8, None)
    assert VisitDate(None, 8, 27).exact is None
    assert VisitDate.from_iso("--08-27") == VisitDate(None, 8, 27)
    assert VisitDate.from_iso("2025-08") == VisitDate(2025, 8, None)


def test_a_good_file_is_read_with_bom_and_semicolons(parser: ScheduleParser) -> None:
    parsed = parser.parse(("\ufeff" + HEADER + GOOD).encode("utf-8"))
    assert parsed.ok, parsed.errors
    row = parsed.rows[0]
    assert (row.region_code, row.settlement_code, row.vehicle) == (
        "kyzylorda",
        "shieli",
        Vehicle.COMPLEX,
    )
    assert row.starts.exact == date(2030, 8, 12) == row.ends.exact
    assert (row.opens_at, row.closes_at) == ("10:00", "17:00")
    assert row.services == (MedicalService.ULTRASOUND, MedicalService.ECG)


def test_commas_and_windows_cyrillic_are_accepted(parser: ScheduleParser) -> None:
    text = (
        "region,settlement,vehicle,operator,date_from,services,source\n"
        'Кызылординская область,Жолек,передвижной комплекс,ЦРБ,2030-08-12,"УЗИ, анализы",акимат\n'
    )
    parsed = parser.parse(text.encode("cp1251"))
    assert parsed.ok, parsed.errors
    assert parsed.rows[0].settlement_code == "zholek"
    assert parsed.rows[0].services == (MedicalService.ULTRASOUND, MedicalService.LAB)


@pytest.mark.parametrize(
    ("row", "problem", "value"),
    [
        ("Марс;Шиели;ЖМК;ЦРБ;12.08.2030;;;УЗИ;акимат", Problem.UNKNOWN_REGION, "Марс"),
        (
            "kyzylorda;Чаглинка;ЖМК;ЦРБ;12.08.2030;;;УЗИ;акимат",
            Problem.UNKNOWN_SETTLEMENT,
            "Чаглинка",
        ),
        (
            "kyzylorda;Шиели;самолёт;ЦРБ;12.08.2030;;;УЗИ;акимат",
            Problem.UNKNOWN_VEHICLE,
            "самолёт",
        ),
        ("kyzylorda;Шиели;ЖМК;;12.08.2030;;;УЗИ;акимат", Problem.MISSING_OPERATOR, ""),
        ("kyzylorda;Шиели;ЖМК;ЦРБ;32.08.2030;;;УЗИ;акимат", Problem.BAD_DATE, "32.08.2030"),
        ("kyzylorda;Шиели;ЖМК;ЦРБ;12.08;;;УЗИ;акимат", Problem.MISSING_YEAR, "12.08"),
        (
            "kyzylorda;Шиели;ЖМК;ЦРБ;12.08.2030;10.08.2030;;УЗИ;акимат",
            Problem.END_BEFORE_START,
            "10.08.2030",
        ),
        (
            "kyzylorda;Шиели;ЖМК;ЦРБ;12.08.2030;30.09.2030;;УЗИ;акимат",
            Problem.TOO_LONG,
            "30.09.2030",
        ),
        (
            "kyzylorda;Шиели;ЖМК;ЦРБ;12.08.2030;;25:00-26:00;УЗИ;акимат",
            Problem.BAD_HOURS,
            "25:00-26:00",
        ),
        ("kyzylorda;Шиели;ЖМК;ЦРБ;12.08.2030;;;массаж;акимат", Problem.UNKNOWN_SERVICE, "массаж"),
        ("kyzylorda;Шиели;ЖМК;ЦРБ;12.08.2030;;;УЗИ;", Problem.MISSING_SOURCE, ""),
        ("kyzylorda;Шиели;ЖМК;ЦРБ;12.08.2030", Problem.FIELD_COUNT, "5"),
    ],
)
def test_each_bad_row_is_reported_by_number_and_reason(
    parser: ScheduleParser, row: str, problem: Problem, value: str
) -> None:
    parsed = parser.parse((HEADER + GOOD + row + "\n").encode())
    assert not parsed.ok
    assert [(e.line, e.problem, e.value) for e in parsed.errors] == [(3, problem, value)]


def test_a_repeated_visit_is_reported(parser: ScheduleParser) -> None:
    parsed = parser.parse((HEADER + GOOD + GOOD).encode())
    assert [(e.line, e.problem, e.value) for e in parsed.errors] == [(3, Problem.DUPLICATE, "2")]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", Problem.NO_ROWS),
        (HEADER.encode(), Problem.NO_ROWS),
        (b"region;settlement\nkyzylorda;Shieli\n", Problem.MISSING_COLUMNS),
        (b"\x00\x01\xff\xfe\x00", Problem.NOT_TEXT),
    ],
)
def test_a_file_that_is_not_a_schedule_is_refused(
    parser: ScheduleParser, content: bytes, problem: Problem
) -> None:
    parsed = parser.parse(content)
    assert [error.problem for error in parsed.errors] == [problem]


def test_the_shipped_history_file_is_valid_and_all_past(parser: ScheduleParser) -> None:
    parsed = parser.parse((DATA / "mobile_visits.csv").read_bytes(), allow_partial_dates=True)
    assert parsed.ok, parsed.errors
    assert len(parsed.rows) == 19
    for row in parsed.rows:
        assert row.vehicle is Vehicle.TRAIN
        assert row.starts.exact is None or row.starts.exact < date(2026, 1, 1)


def test_reminders_are_due_from_ten_the_day_before_until_the_visit_day() -> None:
    def at(local: str) -> datetime:
        return datetime.fromisoformat(local).replace(tzinfo=KZ_TZ).astimezone(UTC)

    assert due_visit_day(at("2030-06-14T09:59")) is None
    assert due_visit_day(at("2030-06-14T10:00")) == date(2030, 6, 15)
    assert due_visit_day(at("2030-06-14T23:59")) == date(2030, 6, 15)
    assert due_visit_day(at("2030-06-15T00:00")) is None
    # 10:00 in Almaty is 05:00 UTC.
    assert due_visit_day(datetime(2030, 6, 14, 5, 0, tzinfo=UTC)) == date(2030, 6, 15)
    assert due_visit_day(datetime(2030, 6, 14, 4, 59, tzinfo=UTC)) is None
