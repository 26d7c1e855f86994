"""What a document from staff is: a mobile-clinic schedule, a waiting list, or neither; and
whether it can be imported as it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.services.ivf_queue_import import resolve_region
from bot.services.regions import Region, RegionDirectory

# Telegram lets bots download files up to 20 MB.
MAX_WAITING_LIST_SIZE = 20 * 1024 * 1024
MAX_SCHEDULE_SIZE = 2 * 1024 * 1024
CSV_SUFFIXES = (".csv", ".txt")
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".ods")
# A staff document is a schedule when its name or caption says so; checked first, since a
# schedule is a table too and any other table goes on to the waiting-list import.
SCHEDULE_WORDS = (
    "mobile",
    "schedule",
    "visit",
    "pmk",
    "zhmk",
    "пмк",
    "жмк",
    "график",
    "расписан",
    "кесте",
    "поезд",
    "train",
)


class UploadKind(StrEnum):
    SCHEDULE = "schedule"
    WAITING_LIST = "waiting_list"


class UploadRefusal(StrEnum):
    WAITING_LIST_NOT_CSV = "waiting_list_not_csv"
    WAITING_LIST_TOO_LARGE = "waiting_list_too_large"
    UNKNOWN_REGION = "unknown_region"
    SCHEDULE_NOT_CSV = "schedule_not_csv"


@dataclass(frozen=True, slots=True)
class StaffDocument:
    """What Telegram tells about a document before it is downloaded."""

    file_name: str | None
    size: int
    caption: str | None


@dataclass(frozen=True, slots=True)
class UploadCheck:
    kind: UploadKind
    # Named in the caption of a waiting list; None: the file's region column decides.
    region: Region | None = None
    refusal: UploadRefusal | None = None


def check_upload(document: StaffDocument, regions: RegionDirectory) -> UploadCheck | None:
    """Which import a staff document is for and whether it can be imported as it is; None:
    other documents, left to other features."""
    kind = upload_kind(document)
    if kind is UploadKind.SCHEDULE:
        return check_schedule(document)
    if kind is UploadKind.WAITING_LIST:
        return check_waiting_list(document, regions)
    return None


def upload_kind(document: StaffDocument) -> UploadKind | None:
    """Which import a staff document is for, by its name and caption alone."""
    name = (document.file_name or "").lower()
    label = f"{name} {document.caption or ''}".lower()
    if any(word in label for word in SCHEDULE_WORDS):
        return UploadKind.SCHEDULE
    if name.endswith(CSV_SUFFIXES + SPREADSHEET_SUFFIXES):
        return UploadKind.WAITING_LIST
    return None


def check_waiting_list(document: StaffDocument, regions: RegionDirectory) -> UploadCheck:
    """Why this waiting list cannot be imported as it is, or the region of its caption."""
    region = resolve_region(regions, document.caption) if document.caption else None
    refusal = None
    if not (document.file_name or "").lower().endswith(CSV_SUFFIXES):
        refusal = UploadRefusal.WAITING_LIST_NOT_CSV
    elif document.size > MAX_WAITING_LIST_SIZE:
        refusal = UploadRefusal.WAITING_LIST_TOO_LARGE
    elif document.caption and region is None:
        refusal = UploadRefusal.UNKNOWN_REGION
    return UploadCheck(UploadKind.WAITING_LIST, region, refusal)


def check_schedule(document: StaffDocument) -> UploadCheck:
    """Schedules are small CSV files; a nameless document with a schedule caption is tried."""
    name = document.file_name or "schedule.csv"
    if not name.lower().endswith(".csv") or document.size > MAX_SCHEDULE_SIZE:
        return UploadCheck(UploadKind.SCHEDULE, refusal=UploadRefusal.SCHEDULE_NOT_CSV)
    return UploadCheck(UploadKind.SCHEDULE)
