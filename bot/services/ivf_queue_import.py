"""Loading a region's IVF waiting list from the CSV file staff have: all rows or nothing."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from bot.db.ivf_queue import IvfQueueRepository, NewQueueEntry
from bot.services.iin import IinProblem, InvalidIin, parse_iin
from bot.services.ivf_queue import QueueStatus, parse_status
from bot.services.phone import InvalidPhone, normalize_kazakh_mobile
from bot.services.pii_hash import PiiHasher
from bot.services.regions import Region, RegionDirectory
from bot.services.staff import StaffRole
from bot.services.text_folding import fold


class Column(StrEnum):
    IIN = "iin"
    PHONE = "phone"
    REGION = "region"
    POSITION = "position"
    STATUS = "status"
    DATE = "date"


# Without a header row the columns are taken in this order.
DEFAULT_ORDER = (
    Column.IIN,
    Column.PHONE,
    Column.REGION,
    Column.POSITION,
    Column.STATUS,
    Column.DATE,
)
# Header words in Kazakh, Russian and English, folded; checked in this order, so that
# «Дата постановки в очередь» is a date and «Номер телефона» a phone before a position.
_HEADER_WORDS: tuple[tuple[Column, tuple[str, ...]], ...] = tuple(
    (column, tuple(fold(word) for word in words))
    for column, words in (
        (Column.PHONE, ("телефон", "phone", "тел", "моб")),
        (Column.IIN, ("ИИН", "ЖСН", "IIN")),
        (Column.DATE, ("дата", "күні", "date")),
        (Column.STATUS, ("статус", "мәртебе", "status", "состояние", "жағдай")),
        (Column.REGION, ("регион", "област", "облыс", "өңір", "region", "город", "қала")),
        (Column.POSITION, ("позиция", "место", "очеред", "кезек", "орын", "position", "place")),
    )
)
_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y")
_DELIMITERS = (";", ",", "\t")
# No region's list is this long; a longer «place» is a typo (and would overflow SQLite).
MAX_POSITION = 1_000_000


class RowProblem(StrEnum):
    TOO_FEW_CELLS = "too_few_cells"
    IIN_MISSING = "iin_missing"
    IIN_LENGTH = "iin_length"
    IIN_NOT_DIGITS = "iin_not_digits"
    IIN_CONTROL_DIGIT = "iin_control_digit"
    IIN_DUPLICATE = "iin_duplicate"
    PHONE_INVALID = "phone_invalid"
    POSITION_MISSING = "position_missing"
    POSITION_INVALID = "position_invalid"
    POSITION_TOO_LARGE = "position_too_large"
    REGION_MISSING = "region_missing"
    REGION_UNKNOWN = "region_unknown"
    REGION_OTHER = "region_other"
    STATUS_UNKNOWN = "status_unknown"
    DATE_INVALID = "date_invalid"


_IIN_PROBLEMS = {
    IinProblem.LENGTH: RowProblem.IIN_LENGTH,
    IinProblem.NOT_DIGITS: RowProblem.IIN_NOT_DIGITS,
    IinProblem.CONTROL_DIGIT: RowProblem.IIN_CONTROL_DIGIT,
}


class FileProblem(StrEnum):
    SECRET_MISSING = "secret_missing"
    EMPTY = "empty"
    MISSING_COLUMNS = "missing_columns"
    NO_REGION = "no_region"
    NOT_TEXT = "not_text"  # UTF-16 ("Unicode text" in Excel) or a binary file
    UNREADABLE = "unreadable"  # the CSV reader gave up (an unclosed quote, a huge cell)
    REGION_NOT_YOURS = "region_not_yours"  # a regional staff member's file names another region


@dataclass(frozen=True, slots=True)
class BadRow:
    """A rejected row: its number as a spreadsheet shows it, and why (never the IIN or phone)."""

    line: int
    problem: RowProblem
    # The other row for a duplicate, the text of an unknown region or status.
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ImportReport:
    good_rows: int = 0
    bad_rows: tuple[BadRow, ...] = ()
    region_codes: tuple[str, ...] = ()
    file_problem: FileProblem | None = None
    missing_columns: tuple[Column, ...] = ()
    notifications: int = 0
    # Where the CSV reader gave up (UNREADABLE).
    problem_line: int = 0

    @property
    def ok(self) -> bool:
        return self.file_problem is None and not self.bad_rows


@dataclass
class _ParsedFile:
    entries: list[NewQueueEntry] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    problem: FileProblem | None = None
    missing_columns: tuple[Column, ...] = ()
    problem_line: int = 0


def decode_csv(content: bytes) -> str | None:
    """UTF-8 with or without BOM; Excel's «CSV» on a Russian Windows writes cp1251. None for
    what is not such text: UTF-16 (Excel's «Unicode text») and binary files have NUL bytes."""
    if b"\x00" in content:
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1251", errors="replace")


def detect_delimiter(text: str) -> str:
    """Excel writes `;` where the decimal mark is a comma (kk/ru settings), `,` elsewhere."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return max(_DELIMITERS, key=first_line.count)


def read_header(cells: list[str]) -> dict[Column, int] | None:
    """Column positions named by a header row, or None when the row is data."""
    found: dict[Column, int] = {}
    for index, cell in enumerate(cells):
        folded = fold(cell)
        if not folded and cell.strip() in ("№", "#"):
            folded = fold("позиция")
        for column, words in _HEADER_WORDS:
            if column not in found and folded and any(word in folded for word in words):
                found[column] = index
                break
    return found if len(found) >= 2 else None


def parse_list_date(text: str) -> date | None:
    # Excel may add a time: «01.11.2026 0:00».
    value = text.strip().split(" ")[0]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def resolve_region(regions: RegionDirectory, text: str) -> Region | None:
    """A region by its code (`almaty_city`) or by any name a person types."""
    cleaned = text.strip()
    if not cleaned:
        return None
    return regions.get(cleaned.lower()) or regions.find(cleaned)


@dataclass(eq=False)
class _RowReader:
    """Checks rows one by one; caches the slow look-ups (region names, statuses, dates)."""

    columns: dict[Column, int]
    regions: RegionDirectory
    hasher: PiiHasher
    region: Region | None
    today: date
    seen_iins: dict[bytes, int] = field(default_factory=dict, init=False)
    _region_cache: dict[str, Region | None] = field(default_factory=dict, init=False)
    _status_cache: dict[str, QueueStatus | None] = field(default_factory=dict, init=False)
    _date_cache: dict[str, date | None] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.width = max(self.columns.values()) + 1

    def cell(self, cells: list[str], column: Column) -> str | None:
        index = self.columns.get(column)
        if index is None:
            return None
        return cells[index].strip() if index < len(cells) else ""

    def read(self, line: int, cells: list[str]) -> NewQueueEntry | list[BadRow]:
        """The entry, or every problem of the row at once (staff fix a row once)."""
        if len(cells) < self.width and self.cell(cells, Column.IIN) == "":
            return [BadRow(line, RowProblem.TOO_FEW_CELLS)]
        problems: list[BadRow] = []
        iin_hash = self._iin(line, self.cell(cells, Column.IIN) or "", problems)
        try:
            phone = normalize_kazakh_mobile(self.cell(cells, Column.PHONE) or "")
        except InvalidPhone:
            problems.append(BadRow(line, RowProblem.PHONE_INVALID))
        position = self._position(self.cell(cells, Column.POSITION) or "")
        if isinstance(position, RowProblem):
            problems.append(BadRow(line, position))
        region = self._region(line, self.cell(cells, Column.REGION))
        if isinstance(region, BadRow):
            problems.append(region)
        status_text = self.cell(cells, Column.STATUS)
        status = QueueStatus.WAITING if status_text is None else self._status(status_text)
        if status is None:
            problems.append(BadRow(line, RowProblem.STATUS_UNKNOWN, status_text or ""))
        date_text = self.cell(cells, Column.DATE)
        list_date = self.today if not date_text else self._date(date_text)
        if list_date is None:
            problems.append(BadRow(line, RowProblem.DATE_INVALID, date_text or ""))
        if problems:
            return problems
        assert iin_hash is not None and isinstance(position, int) and status and list_date
        assert isinstance(region, Region)
        return NewQueueEntry(
            iin_hash, self.hasher.phone(phone), region.code, position, status, list_date
        )

    def _iin(self, line: int, text: str, problems: list[BadRow]) -> bytes | None:
        if not text:
            problems.append(BadRow(line, RowProblem.IIN_MISSING))
            return None
        try:
            iin_hash = self.hasher.iin(parse_iin(text))
        except InvalidIin as error:
            problems.append(BadRow(line, _IIN_PROBLEMS[error.problem]))
            return None
        first = self.seen_iins.setdefault(iin_hash, line)
        if first != line:
            problems.append(BadRow(line, RowProblem.IIN_DUPLICATE, str(first)))
        return iin_hash

    @staticmethod
    def _position(text: str) -> int | RowProblem:
        compact = text.replace(" ", "").replace("\u00a0", "")
        if not compact:
            return RowProblem.POSITION_MISSING
        if compact.endswith(".0"):  # Excel writes whole numbers as 12.0 now and then
            compact = compact[:-2]
        if not compact.isascii() or not compact.isdigit() or int(compact) < 1:
            return RowProblem.POSITION_INVALID
        if int(compact) > MAX_POSITION:
            return RowProblem.POSITION_TOO_LARGE
        return int(compact)

    def _region(self, line: int, text: str | None) -> Region | BadRow:
        if not text:
            if self.region is None:
                return BadRow(line, RowProblem.REGION_MISSING)
            return self.region
        if text not in self._region_cache:
            self._region_cache[text] = resolve_region(self.regions, text)
        found = self._region_cache[text]
        if found is None:
            return BadRow(line, RowProblem.REGION_UNKNOWN, text)
        if self.region is not None and found.code != self.region.code:
            return BadRow(line, RowProblem.REGION_OTHER, text)
        return found

    def _status(self, text: str) -> QueueStatus | None:
        if text not in self._status_cache:
            self._status_cache[text] = parse_status(text)
        return self._status_cache[text]

    def _date(self, text: str) -> date | None:
        if text not in self._date_cache:
            self._date_cache[text] = parse_list_date(text)
        return self._date_cache[text]


def parse_queue_file(
    content: bytes,
    regions: RegionDirectory,
    hasher: PiiHasher,
    region: Region | None,
    today: date,
) -> _ParsedFile:
    parsed = _ParsedFile()
    text = decode_csv(content)
    if text is None:
        parsed.problem = FileProblem.NOT_TEXT
        return parsed
    records = _read_records(text)
    if isinstance(records, int):
        parsed.problem = FileProblem.UNREADABLE
        parsed.problem_line = records
        return parsed
    reader: _RowReader | None = None
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if reader is None:
            header = read_header(cells)
            columns = header or dict(zip(DEFAULT_ORDER, range(len(cells)), strict=False))
            missing = tuple(
                c for c in (Column.IIN, Column.PHONE, Column.POSITION) if c not in columns
            )
            if missing:
                parsed.problem = FileProblem.MISSING_COLUMNS
                parsed.missing_columns = missing
                return parsed
            if Column.REGION not in columns and region is None:
                parsed.problem = FileProblem.NO_REGION
                return parsed
            reader = _RowReader(columns, regions, hasher, region, today)
            if header is not None:
                continue
        result = reader.read(line, cells)
        if isinstance(result, list):
            parsed.bad_rows.extend(result)
        else:
            parsed.entries.append(result)
    if not parsed.entries and not parsed.bad_rows:
        parsed.problem = FileProblem.EMPTY
    return parsed


def _read_records(text: str) -> list[tuple[int, list[str]]] | int:
    """Rows numbered as the spreadsheet shows them (the header is row 1), or the row where the
    CSV reader gave up."""
    rows = csv.reader(io.StringIO(text), delimiter=detect_delimiter(text))
    records = []
    try:
        for line, cells in enumerate(rows, start=1):
            records.append((line, cells))
    except csv.Error:
        return len(records) + 1
    return records


def _today() -> date:
    return datetime.now(UTC).date()


@dataclass
class QueueImporter:
    """Checks a whole file, then replaces the lists of its regions in one transaction."""

    repository: IvfQueueRepository
    hasher: PiiHasher
    today: Callable[[], date] = field(default=_today)

    async def import_csv(
        self,
        content: bytes,
        regions: RegionDirectory,
        region: Region | None = None,
        staff: StaffRole | None = None,
    ) -> ImportReport:
        """`region`: the list's region when the file has no region column (caption, --region);
        `staff`: who uploads it — a regional member loads only their region's list."""
        if not self.hasher.available:
            return ImportReport(file_problem=FileProblem.SECRET_MISSING)
        if staff is not None and region is not None and not staff.reaches(region.code):
            return ImportReport(
                file_problem=FileProblem.REGION_NOT_YOURS, region_codes=(region.code,)
            )
        # 100 000 rows take a few seconds of hashing: keep the event loop answering others.
        parsed = await asyncio.to_thread(
            parse_queue_file, content, regions, self.hasher, region, self.today()
        )
        if parsed.problem is FileProblem.NO_REGION and staff is not None and staff.region_code:
            # No region column and no caption: a regional member's list is their region's.
            own = regions.get(staff.region_code)
            parsed = await asyncio.to_thread(
                parse_queue_file, content, regions, self.hasher, own, self.today()
            )
        if parsed.problem is not None or parsed.bad_rows:
            return ImportReport(
                good_rows=len(parsed.entries),
                bad_rows=tuple(parsed.bad_rows),
                file_problem=parsed.problem,
                missing_columns=parsed.missing_columns,
                problem_line=parsed.problem_line,
            )
        codes = tuple(sorted({entry.region_code for entry in parsed.entries}))
        if staff is not None and not staff.reaches_all(codes):
            foreign = tuple(code for code in codes if not staff.reaches(code))
            return ImportReport(file_problem=FileProblem.REGION_NOT_YOURS, region_codes=foreign)
        notifications = await self.repository.replace_lists(parsed.entries, codes)
        return ImportReport(
            good_rows=len(parsed.entries), region_codes=codes, notifications=notifications
        )
