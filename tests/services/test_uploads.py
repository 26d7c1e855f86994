"""What a staff document is, and whether it can be imported as it is."""

from pathlib import Path

import pytest

from bot.services.regions import RegionDirectory
from bot.services.uploads import (
    StaffDocument,
    UploadKind,
    UploadRefusal,
    check_schedule,
    check_upload,
    check_waiting_list,
    upload_kind,
)

MB = 1024 * 1024


@pytest.fixture(scope="module")
def regions() -> RegionDirectory:
    return RegionDirectory.load(Path(__file__).resolve().parents[2] / "data" / "regions.yaml")


@pytest.mark.parametrize(
    ("file_name", "caption", "expected"),
    [
        ("mobile_schedule.csv", None, UploadKind.SCHEDULE),
        ("list.csv", "график ЖМК", UploadKind.SCHEDULE),
        ("кесте.xlsx", None, UploadKind.SCHEDULE),  # a schedule, even in the wrong format
        (None, "Пмк на июнь", UploadKind.SCHEDULE),
        ("queue.csv", None, UploadKind.WAITING_LIST),
        ("QUEUE.TXT", "Кызылорда", UploadKind.WAITING_LIST),
        ("queue.xlsx", None, UploadKind.WAITING_LIST),  # refused later, with how to save CSV
        ("photo.pdf", None, None),
        ("report.docx", "Кызылорда", None),
        (None, None, None),
    ],
)
def test_a_staff_document_is_a_schedule_a_waiting_list_or_neither(
    file_name: str | None, caption: str | None, expected: UploadKind | None
) -> None:
    assert upload_kind(StaffDocument(file_name, 100, caption)) is expected


@pytest.mark.parametrize(
    ("document", "refusal"),
    [
        (StaffDocument("queue.csv", 100, None), None),
        (StaffDocument("queue.txt", 20 * MB, None), None),
        (StaffDocument("queue.xlsx", 100, None), UploadRefusal.WAITING_LIST_NOT_CSV),
        (StaffDocument(None, 100, None), UploadRefusal.WAITING_LIST_NOT_CSV),
        (StaffDocument("queue.csv", 20 * MB + 1, None), UploadRefusal.WAITING_LIST_TOO_LARGE),
        (StaffDocument("queue.csv", 100, "Атлантида"), UploadRefusal.UNKNOWN_REGION),
        # The format is told first: the caption does not matter for a file that cannot be read.
        (StaffDocument("queue.ods", 100, "Атлантида"), UploadRefusal.WAITING_LIST_NOT_CSV),
    ],
)
def test_waiting_list_refusals(
    regions: RegionDirectory, document: StaffDocument, refusal: UploadRefusal | None
) -> None:
    assert check_waiting_list(document, regions).refusal is refusal


def test_the_caption_of_a_waiting_list_names_its_region(regions: RegionDirectory) -> None:
    check = check_waiting_list(StaffDocument("list.csv", 100, "Қызылорда облысы"), regions)
    assert check.refusal is None
    assert check.region is not None and check.region.code == "kyzylorda"
    assert check_waiting_list(StaffDocument("list.csv", 100, None), regions).region is None


@pytest.mark.parametrize(
    ("document", "refusal"),
    [
        (StaffDocument("mobile_schedule.csv", 2 * MB, None), None),
        (StaffDocument(None, 100, "график"), None),  # a nameless file is tried as CSV
        (StaffDocument("mobile_schedule.csv", 2 * MB + 1, None), UploadRefusal.SCHEDULE_NOT_CSV),
        (StaffDocument("mobile_schedule.xlsx", 100, None), UploadRefusal.SCHEDULE_NOT_CSV),
        (StaffDocument("schedule.txt", 100, None), UploadRefusal.SCHEDULE_NOT_CSV),
    ],
)
def test_schedule_refusals(document: StaffDocument, refusal: UploadRefusal | None) -> None:
    assert check_schedule(document).refusal is refusal


def test_other_documents_are_not_checked(regions: RegionDirectory) -> None:
    assert check_upload(StaffDocument("photo.pdf", 100, "Кызылорда"), regions) is None
    check = check_upload(StaffDocument("queue.xlsx", 100, None), regions)
    assert check is not None and check.kind is UploadKind.WAITING_LIST
    assert check.refusal is UploadRefusal.WAITING_LIST_NOT_CSV
