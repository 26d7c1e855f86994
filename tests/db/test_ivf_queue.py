from datetime import date
from itertools import islice
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot import PROJECT_ROOT
from bot.db import Database
from bot.db.ivf_queue import IvfQueueRepository
from bot.db.users import UserRepository
from bot.services.iin import parse_iin
from bot.services.ivf_queue import LimitReason, LookupOutcome, LookupResult, QueueLookup
from bot.services.ivf_queue_import import FileProblem, QueueImporter, RowProblem
from bot.services.phone import normalize_phone
from bot.services.pii_hash import PiiHasher
from bot.services.regions import RegionDirectory
from tests.support.clock import VirtualClock
from tests.support.factories import queue_csv, synthetic_iins, with_wrong_control_digit

REGIONS = RegionDirectory.load(PROJECT_ROOT / "data" / "regions.yaml")
HASHER = PiiHasher(SecretStr("test-secret-key"))
IINS = list(islice(synthetic_iins(), 4))
PHONES = ["+77011234567", "+77021112233", "+77051234567", "+77470001122"]
USER = 5001


def rows(positions: tuple[int, ...] = (1, 2, 3), region: str = "Кызылорда") -> list[list[str]]:
    return [
        [IINS[i], PHONES[i], region, str(position), "ожидает", "01.11.2026"]
        for i, position in enumerate(positions)
    ]


async def look_up_own_record(lookup: QueueLookup, person: int) -> LookupResult:
    """USER looks up person `person` of the list, with that person's IIN and phone."""
    phone = lookup.phone_hash(normalize_phone(PHONES[person]))
    return await lookup.look_up(USER, parse_iin(IINS[person]), phone)


@pytest.fixture
def repository(db: Database) -> IvfQueueRepository:
    return IvfQueueRepository(db)


@pytest.fixture
def importer(repository: IvfQueueRepository) -> QueueImporter:
    return QueueImporter(repository, HASHER, today=lambda: date(2026, 11, 23))


@pytest.fixture
async def lookup(db: Database, repository: IvfQueueRepository, clock: VirtualClock) -> QueueLookup:
    await UserRepository(db).touch(USER)
    return QueueLookup(repository, HASHER, clock=clock.now)


async def all_entries(db: Database) -> list[tuple[str, int, str]]:
    found = await db.fetch_all(
        "SELECT region_code, position, status FROM ivf_queue_entries ORDER BY position"
    )
    return [(row[0], row[1], row[2]) for row in found]


async def test_good_file_replaces_the_region_list(importer: QueueImporter, db: Database) -> None:
    report = await importer.import_csv(queue_csv(rows()), REGIONS)
    assert report.ok and report.good_rows == 3 and report.region_codes == ("kyzylorda",)
    report = await importer.import_csv(queue_csv(rows((5, 6))), REGIONS)
    assert report.ok
    assert await all_entries(db) == [("kyzylorda", 5, "waiting"), ("kyzylorda", 6, "waiting")]


async def test_other_regions_lists_are_left_alone(importer: QueueImporter, db: Database) -> None:
    await importer.import_csv(queue_csv(rows((1,), region="Астана")), REGIONS)
    await importer.import_csv(queue_csv(rows((7, 8))), REGIONS)
    assert {entry[0] for entry in await all_entries(db)} == {"astana", "kyzylorda"}


async def test_failed_import_leaves_the_old_list_whole(
    importer: QueueImporter, db: Database
) -> None:
    await importer.import_csv(queue_csv(rows()), REGIONS)
    before = await all_entries(db)
    bad = rows((4, 5, 6))
    bad[2][0] = with_wrong_control_digit(bad[2][0])
    report = await importer.import_csv(queue_csv(bad), REGIONS)
    assert not report.ok and report.good_rows == 2
    assert [(b.line, b.problem) for b in report.bad_rows] == [(4, RowProblem.IIN_CONTROL_DIGIT)]
    assert await all_entries(db) == before


async def test_database_error_midway_rolls_the_whole_import_back(
    importer: QueueImporter, repository: IvfQueueRepository, db: Database
) -> None:
    await importer.import_csv(queue_csv(rows()), REGIONS)
    before = await all_entries(db)
    # Two regions in one file: the second region's insert fails after the first was replaced.
    await db.execute(
        "CREATE TRIGGER fail_astana BEFORE INSERT ON ivf_queue_entries "
        "WHEN NEW.region_code = 'astana' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    mixed = rows((9,)) + [[IINS[3], PHONES[3], "Астана", "1", "ожидает", "01.11.2026"]]
    with pytest.raises(Exception, match="disk full"):
        await importer.import_csv(queue_csv(mixed), REGIONS)
    assert await all_entries(db) == before


def _bytes_on_disk(folder: Path) -> bytes:
    """The database with its WAL and shared-memory files, as anyone with the disk would read."""
    return b"".join(path.read_bytes() for path in folder.glob("disk.sqlite3*"))


async def test_no_iin_or_phone_is_readable_in_the_database_file(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "disk.sqlite3")
    try:
        repository = IvfQueueRepository(database)
        await UserRepository(database).touch(USER)
        await QueueImporter(repository, HASHER).import_csv(queue_csv(rows()), REGIONS)
        lookup = QueueLookup(repository, HASHER)
        phone_hash = lookup.phone_hash(normalize_phone(PHONES[0]))
        result = await lookup.look_up(USER, parse_iin(IINS[0]), phone_hash)
        assert result.outcome is LookupOutcome.FOUND
    finally:
        await database.close()
    raw = _bytes_on_disk(tmp_path)
    for value in [*IINS, *PHONES, *(phone[2:] for phone in PHONES)]:
        assert value.encode() not in raw
        assert value.encode("utf-16-le") not in raw


async def test_import_and_lookup_refuse_without_a_secret(repository: IvfQueueRepository) -> None:
    report = await QueueImporter(repository, PiiHasher(None)).import_csv(
        queue_csv(rows()), REGIONS
    )
    assert report.file_problem is FileProblem.SECRET_MISSING
    lookup = QueueLookup(repository, PiiHasher(None))
    assert not lookup.available
    result = await lookup.look_up(USER, parse_iin(IINS[0]), b"")
    assert result.outcome is LookupOutcome.UNAVAILABLE
    assert await repository.count_entries() == 0


async def test_lookup_needs_both_iin_and_phone(
    importer: QueueImporter, lookup: QueueLookup, clock: VirtualClock
) -> None:
    await importer.import_csv(queue_csv(rows()), REGIONS)
    own_phone = lookup.phone_hash(normalize_phone(PHONES[0]))
    found = await lookup.look_up(USER, parse_iin(IINS[0]), own_phone)
    assert found.outcome is LookupOutcome.FOUND
    assert [r.entry.position for r in found.records] == [1]
    clock.advance(3600)
    other_person = await lookup.look_up(USER, parse_iin(IINS[1]), own_phone)
    clock.advance(3600)
    nobody = await lookup.look_up(USER, parse_iin(IINS[3]), own_phone)
    assert other_person == nobody
    assert nobody.outcome is LookupOutcome.NOT_FOUND and nobody.records == ()


async def test_change_since_the_last_lookup_is_reported(
    importer: QueueImporter, lookup: QueueLookup, clock: VirtualClock
) -> None:
    await importer.import_csv(queue_csv(rows((10, 11, 12))), REGIONS)
    phone = lookup.phone_hash(normalize_phone(PHONES[1]))
    first = await lookup.look_up(USER, parse_iin(IINS[1]), phone)
    assert first.records[0].previous is None
    await importer.import_csv(queue_csv(rows((3, 4, 5))), REGIONS)
    clock.advance(10)
    second = await lookup.look_up(USER, parse_iin(IINS[1]), phone)
    previous = second.records[0].previous
    assert previous is not None and previous.last_position == 11
    assert second.records[0].entry.position == 4


async def test_five_lookups_an_hour_then_a_kind_wait(
    importer: QueueImporter, lookup: QueueLookup, clock: VirtualClock
) -> None:
    await importer.import_csv(queue_csv(rows()), REGIONS)
    phone = lookup.phone_hash(normalize_phone(PHONES[0]))
    for _ in range(5):
        assert (await lookup.look_up(USER, parse_iin(IINS[0]), phone)).outcome is (
            LookupOutcome.FOUND
        )
        clock.advance(60)
    limited = await lookup.look_up(USER, parse_iin(IINS[0]), phone)
    assert limited.outcome is LookupOutcome.LIMITED and limited.limit is not None
    assert limited.limit.reason is LimitReason.HOURLY
    assert limited.limit.wait_seconds == 3600 - 5 * 60
    clock.advance(3600)
    assert (await lookup.look_up(USER, parse_iin(IINS[0]), phone)).outcome is LookupOutcome.FOUND


async def test_pause_after_failures_grows_and_survives_a_restart(
    importer: QueueImporter, lookup: QueueLookup, clock: VirtualClock, db: Database
) -> None:
    await importer.import_csv(queue_csv(rows()), REGIONS)
    wrong_phone = lookup.phone_hash(normalize_phone("+77770000000"))
    waits = []
    for _ in range(3):
        assert (await lookup.look_up(USER, parse_iin(IINS[0]), wrong_phone)).outcome is (
            LookupOutcome.NOT_FOUND
        )
        # A new service object, as after a restart: the attempts are in the database.
        limit = await QueueLookup(IvfQueueRepository(db), HASHER, clock=clock.now).check_limit(
            USER
        )
        assert limit is not None and limit.reason is LimitReason.AFTER_FAILURES
        waits.append(limit.wait_seconds)
        clock.advance(limit.wait_seconds)
    assert waits == [60, 120, 240]
    # A success resets the pause.
    phone = lookup.phone_hash(normalize_phone(PHONES[0]))
    assert (await lookup.look_up(USER, parse_iin(IINS[0]), phone)).outcome is LookupOutcome.FOUND
    assert await lookup.check_limit(USER) is None


async def test_import_queues_notices_only_for_subscribers_whose_record_changed(
    importer: QueueImporter, lookup: QueueLookup, repository: IvfQueueRepository
) -> None:
    await importer.import_csv(queue_csv(rows((5, 6, 7))), REGIONS)
    await look_up_own_record(lookup, 1)
    assert await lookup.set_notify(USER, True)
    same = await importer.import_csv(queue_csv(rows((5, 6, 7))), REGIONS)
    assert same.notifications == 0 and await repository.pending_notices() == []
    changed = await importer.import_csv(queue_csv(rows((4, 5, 6))), REGIONS)
    assert changed.notifications == 1
    [notice] = await repository.pending_notices()
    assert (notice.user_id, notice.old_position, notice.new_position) == (USER, 6, 5)


async def test_forgetting_the_user_removes_links_and_notices_but_not_attempts(
    importer: QueueImporter, lookup: QueueLookup, db: Database
) -> None:
    await importer.import_csv(queue_csv(rows((5, 6, 7))), REGIONS)
    await look_up_own_record(lookup, 0)
    await lookup.set_notify(USER, True)
    await importer.import_csv(queue_csv(rows((1, 2, 3))), REGIONS)
    await UserRepository(db).delete(USER)
    for table in ("ivf_queue_links", "outbox"):
        row = await db.fetch_one(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (USER,))
        assert row is not None and row[0] == 0, table
    # Not the look-up limit: /forget must not reset it (issue 12).
    assert await IvfQueueRepository(db).attempts_since(USER, 0) != []
