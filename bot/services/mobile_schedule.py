"""Mobile-clinic schedules as staff send them: a CSV read whole, checked row by row."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from importlib import resources
from zoneinfo import ZoneInfo

from bot.services.regions import RegionDirectory
from bot.services.settlements import Settlement, SettlementDirectory
from bot.services.text_folding import fold, fold_words


def _kazakhstan_zone() -> ZoneInfo:
    # Kazakhstan moved to one zone, UTC+5, on 1 March 2024 (tzdata 2024b). Read the zone from the
    # pinned `tzdata` package, so an old system tz database cannot put us an hour off.
    try:
        with resources.files("tzdata.zoneinfo").joinpath("Asia/Almaty").open("rb") as tzfile:
            return ZoneInfo.from_file(tzfile, key="Asia/Almaty")
    except (ModuleNotFoundError, FileNotFoundError):
        return ZoneInfo("Asia/Almaty")


KZ_TZ = _kazakhstan_zone()
REQUIRED_COLUMNS: tuple[str, ...] = (
    "region",
    "settlement",
    "vehicle",
    "operator",
    "date_from",
    "services",
    "source",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("date_to", "hours")
MAX_VISIT_DAYS = 31


class Vehicle(StrEnum):
    COMPLEX = "complex"
    TRAIN = "train"


class MedicalService(StrEnum):
    """What a visit offers (FACTS.md B1.2, B3.3)."""

    CONSULTATIONS = "consultations"
    SCREENING = "screening"
    ULTRASOUND = "ultrasound"
    ECG = "ecg"
    XRAY = "xray"
    GASTROSCOPY = "gastroscopy"
    LAB = "lab"
    VACCINATION = "vaccination"
    REFERRAL = "referral"
    MINOR_SURGERY = "minor_surgery"
    LEGAL = "legal"


# Names staff write, in any language; compared folded.
_SERVICE_NAMES: dict[MedicalService, tuple[str, ...]] = {
    MedicalService.CONSULTATIONS: ("консультации", "консультация", "консультации врачей", "кеңес"),
    MedicalService.SCREENING: ("скрининг", "скрининги", "профосмотр"),
    MedicalService.ULTRASOUND: ("УЗИ", "УДЗ", "ultrasound"),
    MedicalService.ECG: ("ЭКГ", "ECG"),
    MedicalService.XRAY: ("флюорография", "рентген", "x-ray", "fluorography"),
    MedicalService.GASTROSCOPY: ("гастроскопия", "гастрофиброскопия", "ФГДС"),
    MedicalService.LAB: ("анализы", "лабораторные анализы", "зертханалық талдау", "талдау"),
    MedicalService.VACCINATION: ("вакцинация", "прививки", "екпе", "vaccination"),
    MedicalService.REFERRAL: ("направление на госпитализацию", "жолдама"),
    MedicalService.MINOR_SURGERY: ("малые операции", "шағын операция", "minor surgery"),
    MedicalService.LEGAL: ("юрист", "юридическая помощь", "заң кеңесі", "legal"),
}
_SERVICE_BY_NAME: dict[str, MedicalService] = {
    fold(name): service
    for service, names in _SERVICE_NAMES.items()
    for name in (*names, service.value)
}
_TRAIN_WORDS = ("поезд", "медпоезд", "поиыз", "траин")
_COMPLEX_WORDS = ("комплекс", "кешен", "пмк", "жмк", "передвижн", "жылжымал", "мобильн", "кошпели")


class Problem(StrEnum):
    """Why a row (or the whole file) was refused; the msgid-free code the handler translates."""

    NOT_TEXT = "not_text"
    UNREADABLE = "unreadable"  # the CSV reader gave up at this line
    NO_ROWS = "no_rows"
    MISSING_COLUMNS = "missing_columns"
    FIELD_COUNT = "field_count"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_SETTLEMENT = "unknown_settlement"
    UNKNOWN_VEHICLE = "unknown_vehicle"
    MISSING_OPERATOR = "missing_operator"
    BAD_DATE = "bad_date"
    MISSING_YEAR = "missing_year"
    END_BEFORE_START = "end_before_start"
    TOO_LONG = "too_long"
    BAD_HOURS = "bad_hours"
    UNKNOWN_SERVICE = "unknown_service"
    MISSING_SOURCE = "missing_source"
    DUPLICATE = "duplicate"
    REGION_NOT_YOURS = "region_not_yours"  # a regional staff member's file names another region


@dataclass(frozen=True, slots=True)
class VisitDate:
    """A day as the source gives it: the year or the day may be missing in history rows."""

    year: int | None
    month: int
    day: int | None

    @property
    def exact(self) -> date | None:
        if self.year is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    def iso(self) -> str:
        """`2025-08-12`; `--08-12` without a year (ISO 8601); `2025-08` without a day."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, text: str) -> VisitDate:
        if text.startswith("--"):
            return cls(None, int(text[2:4]), int(text[5:7]))
        if len(text) == 7:
            return cls(int(text[:4]), int(text[5:7]), None)
        return cls(int(text[:4]), int(text[5:7]), int(text[8:10]))

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year or 0, self.month, self.day or 0)


@dataclass(frozen=True, slots=True)
class VisitTerms:
    """What a schedule says of one visit: the same in an uploaded row and in a stored visit."""

    vehicle: Vehicle
    operator: str
    starts: VisitDate
    ends: VisitDate
    opens_at: str | None
    closes_at: str | None
    services: tuple[MedicalService, ...]
    source: str


@dataclass(frozen=True, slots=True)
class ScheduleRow(VisitTerms):
    line: int
    region_code: str
    settlement_code: str

    @property
    def key(self) -> tuple[str, Vehicle, str]:
        return (self.settlement_code, self.vehicle, self.starts.iso())


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # the row number a spreadsheet shows; 0 for the file as a whole
    problem: Problem
    value: str = ""


@dataclass(slots=True)
class ParsedSchedule:
    rows: list[ScheduleRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def region_codes(self) -> list[str]:
        return sorted({row.region_code for row in self.rows})


_FULL_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[./](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[./](\d{4})$")
_TIME = r"(\d{1,2})[:.](\d{2})"
_HOURS = re.compile(rf"^(?:{_TIME})?\s*[-–—]\s*{_TIME}$")


def parse_visit_date(text: str, allow_partial: bool) -> VisitDate | Problem:
    """`12.08.2025` or `2025-08-12`; history rows may also be `27.08` or `08.2025`."""
    text = text.strip()
    parts: tuple[int | None, int, int | None]
    if match := _FULL_DATE.match(text):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := _ISO_DATE.match(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif match := _DAY_MONTH.match(text):
        if not allow_partial:
            return Problem.MISSING_YEAR
        parts = (None, int(match[2]), int(match[1]))
    elif match := _MONTH_YEAR.match(text):
        if not allow_partial:
            return Problem.BAD_DATE
        parts = (int(match[2]), int(match[1]), None)
    else:
        return Problem.BAD_DATE
    year, month, day = parts
    try:
        # A leap year stands in for a missing year, so 29.02 stays possible.
        date(year or 2024, month, day or 1)
    except ValueError:
        return Problem.BAD_DATE
    return VisitDate(year, month, day)


def parse_hours(text: str) -> tuple[str | None, str | None] | None:
    """`10:00-17:00` → ("10:00", "17:00"); `-23:00` (until 23:00) → (None, "23:00")."""
    match = _HOURS.match(text.strip())
    if match is None:
        return None
    times: list[str | None] = []
    for hour, minute in ((match[1], match[2]), (match[3], match[4])):
        if hour is None:
            times.append(None)
            continue
        if int(hour) > 23 or int(minute) > 59:
            return None
        times.append(f"{int(hour):02d}:{minute}")
    return times[0], times[1]


def parse_vehicle(text: str) -> Vehicle | None:
    words = fold_words(text)
    if any(word.startswith(_TRAIN_WORDS) for word in words):
        return Vehicle.TRAIN
    if any(word.startswith(_COMPLEX_WORDS) for word in words):
        return Vehicle.COMPLEX
    return None


def parse_services(text: str) -> tuple[MedicalService, ...] | RowError:
    found: list[MedicalService] = []
    for part in re.split(r"[|,/+;]", text):
        if not part.strip():
            continue
        service = _SERVICE_BY_NAME.get(fold(part))
        if service is None:
            return RowError(0, Problem.UNKNOWN_SERVICE, part.strip())
        if service not in found:
            found.append(service)
    if not found:
        return RowError(0, Problem.UNKNOWN_SERVICE, "")
    return tuple(found)


def decode_csv(content: bytes) -> str | None:
    """UTF-8 (with or without the BOM Excel writes), else the Windows Cyrillic code page."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return None


def _read_records(text: str, delimiter: str) -> list[tuple[int, list[str]]] | RowError:
    """Every record with its line number, or where the CSV reader gave up (an unclosed quote
    swallowing the file, a cell past its size limit)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for fields in reader:
            records.append((reader.line_num, fields))
    except csv.Error:
        return RowError(reader.line_num, Problem.UNREADABLE)
    return records


class ScheduleParser:
    """Reads a schedule CSV into rows, or into the list of what is wrong with it."""

    def __init__(self, regions: RegionDirectory, settlements: SettlementDirectory) -> None:
        self._regions = regions
        self._settlements = settlements

    def parse(self, content: bytes, allow_partial_dates: bool = False) -> ParsedSchedule:
        result = ParsedSchedule()
        text = decode_csv(content)
        if text is None:
            result.errors.append(RowError(0, Problem.NOT_TEXT))
            return result
        lines = [line for line in text.splitlines() if line.strip() and line.lstrip()[0] != "#"]
        if not lines:
            result.errors.append(RowError(0, Problem.NO_ROWS))
            return result
        delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
        records = _read_records(text, delimiter)
        if isinstance(records, RowError):
            result.errors.append(records)
            return result
        header: list[str] | None = None
        seen: dict[tuple[str, Vehicle, str], int] = {}
        for line, fields in records:
            if (
                not fields
                or fields[0].lstrip().startswith("#")
                or not any(f.strip() for f in fields)
            ):
                continue
            if header is None:
                header = [name.strip().lower() for name in fields]
                missing = [name for name in REQUIRED_COLUMNS if name not in header]
                if missing:
                    result.errors.append(RowError(0, Problem.MISSING_COLUMNS, ", ".join(missing)))
                    return result
                continue
            if len(fields) != len(header):
                result.errors.append(RowError(line, Problem.FIELD_COUNT, str(len(fields))))
                continue
            values = {name: value.strip() for name, value in zip(header, fields, strict=True)}
            row = self._row(line, values, allow_partial_dates)
            if isinstance(row, list):
                result.errors.extend(row)
            elif row.key in seen:
                result.errors.append(RowError(line, Problem.DUPLICATE, str(seen[row.key])))
            else:
                seen[row.key] = line
                result.rows.append(row)
        if not result.rows and not result.errors:
            result.errors.append(RowError(0, Problem.NO_ROWS))
        return result

    def _row(
        self, line: int, values: dict[str, str], allow_partial: bool
    ) -> ScheduleRow | list[RowError]:
        """The row, or every problem it has: staff fix a row once, not once per upload."""
        errors: list[RowError] = []
        region_text = values["region"]
        region = self._regions.get(region_text) or self._regions.find(region_text)
        found: list[Settlement] = []
        if region is None:
            errors.append(RowError(line, Problem.UNKNOWN_REGION, region_text))
        else:
            found = self._settlements.find(values["settlement"], region.code)
            if len(found) != 1:
                errors.append(RowError(line, Problem.UNKNOWN_SETTLEMENT, values["settlement"]))
        vehicle = parse_vehicle(values["vehicle"])
        if vehicle is None:
            errors.append(RowError(line, Problem.UNKNOWN_VEHICLE, values["vehicle"]))
        if not values["operator"]:
            errors.append(RowError(line, Problem.MISSING_OPERATOR))
        starts = parse_visit_date(values["date_from"], allow_partial)
        if isinstance(starts, Problem):
            errors.append(RowError(line, starts, values["date_from"]))
        ends_text = values.get("date_to", "")
        ends = parse_visit_date(ends_text, allow_partial) if ends_text else starts
        if isinstance(ends, Problem):
            if ends_text:
                errors.append(RowError(line, ends, ends_text))
        elif isinstance(starts, VisitDate):
            if ends.sort_key() < starts.sort_key():
                errors.append(RowError(line, Problem.END_BEFORE_START, ends_text))
            first, last = starts.exact, ends.exact
            if first and last and (last - first).days >= MAX_VISIT_DAYS:
                errors.append(RowError(line, Problem.TOO_LONG, ends_text))
        hours_text = values.get("hours", "")
        hours = parse_hours(hours_text) if hours_text else (None, None)
        if hours is None:
            errors.append(RowError(line, Problem.BAD_HOURS, hours_text))
        services = parse_services(values["services"])
        if isinstance(services, RowError):
            errors.append(RowError(line, services.problem, services.value))
        if not values["source"]:
            errors.append(RowError(line, Problem.MISSING_SOURCE))
        if errors:
            return errors
        assert region is not None and vehicle is not None and hours is not None
        assert isinstance(starts, VisitDate) and isinstance(ends, VisitDate)
        assert not isinstance(services, RowError)
        return ScheduleRow(
            line=line,
            region_code=region.code,
            settlement_code=found[0].code,
            vehicle=vehicle,
            operator=values["operator"],
            starts=starts,
            ends=ends,
            opens_at=hours[0],
            closes_at=hours[1],
            services=services,
            source=values["source"],
        )
