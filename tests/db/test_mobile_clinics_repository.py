from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.db import Database
from bot.db.mobile_clinics import MobileClinicRepository, VisitFields, VisitRecord
from bot.db.outbox import OutboxRepository
from bot.db.users import UserRepository
from bot.services.mobile_clinics import MobileClinics, plan_import
from bot.services.mobile_schedule import KZ_TZ, MedicalService, ScheduleRow, Vehicle, VisitDate
from bot.services.regions import RegionDirectory
from bot.services.settlements import SettlementDirectory

DATA = Path(__file__).resolve().parents[2] / "data"
HEADER = "region;settlement;vehicle;operator;date_from;date_to;hours;services;source\n"


@pytest.fixture
def service(db: Database) -> MobileClinics:
    clinics = MobileClinics.create(
        MobileClinicRepository(db),
        SettlementDirectory.load(DATA / "settlements.yaml"),
        RegionDirectory.load(DATA / "regions.yaml"),
    )
    clinics.clock = lambda: datetime(2030, 6, 1, 6, 0, tzinfo=UTC)
    return clinics


async def _count(db: Database, table: str) -> int:
    row = await db.fetch_one(f"SELECT COUNT(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


async def test_history_is_loaded_once_and_a_staff_import_survives_restarts(
    db: Database, service: MobileClinics
) -> None:
    assert (await service.load_history(DATA / "mobile_visits.csv")).rows == 19
    staff_file = HEADER + "akmola;Чаглинка;поезд;КТЖ;12.08.2030;;;консультации;test\n"
    result = await service.import_schedule(staff_file.encode(), "test")
    assert (result.ok, result.added) == (True, 1)
    # Next start: Akmola was imported by staff, so its history rows are not loaded again.
    assert (await service.load_history(DATA / "mobile_visits.csv")).rows == 0
    assert await _count(db, "mobile_visits") == 20


async def test_a_failed_import_changes_nothing(db: Database, service: MobileClinics) -> None:
    await service.load_history(DATA / "mobile_visits.csv")
    before = await db.fetch_all("SELECT * FROM mobile_visits ORDER BY id")
    bad = HEADER + (
        "akmola;Чаглинка;поезд;КТЖ;12.08.2030;;;консультации;test\n"
        "akmola;Чаглинка;поезд;КТЖ;13.08.2030;;;;test\n"
    )
    result = await service.import_schedule(bad.encode(), "test")
    assert not result.ok
    after = await db.fetch_all("SELECT * FROM mobile_visits ORDER BY id")
    assert [tuple(row) for row in after] == [tuple(row) for row in before]
    assert await _count(db, "mobile_imports") == 3


async def test_reminders_are_queued_once_and_deleted_with_the_user(
    db: Database, service: MobileClinics
) -> None:
    users = UserRepository(db)
    await users.touch(11)
    staff_file = HEADER + "kyzylorda;Шиели;ПМК;ЦРБ;15.06.2030;;;УЗИ;test\n"
    assert (await service.import_schedule(staff_file.encode(), "test")).ok
    settlement = service.settlements.get("shieli")
    assert settlement is not None
    await service.subscribe(11, settlement)
    due = datetime(2030, 6, 14, 10, 0, tzinfo=KZ_TZ)
    assert await service.queue_due_reminders(due) == 1
    assert await service.queue_due_reminders(due) == 0
    [owed] = await OutboxRepository(db).pending_messages()
    assert await service.outgoing(owed.user_id, owed.payload, due) is not None
    await users.delete(11)
    assert await _count(db, "mobile_subscriptions") == 0
    assert await _count(db, "outbox") == 0


def _row(settlement: str, day: str, line: int = 2) -> ScheduleRow:
    starts = VisitDate.from_iso(day)
    return ScheduleRow(
        line=line,
        region_code="kyzylorda",
        settlement_code=settlement,
        vehicle=Vehicle.COMPLEX,
        operator="ЦРБ",
        starts=starts,
        ends=starts,
        opens_at=None,
        closes_at=None,
        services=(MedicalService.LAB,),
        source="test",
    )


def _record(visit_id: int, settlement: str, day: str) -> VisitRecord:
    fields = VisitFields(
        region_code="kyzylorda",
        settlement_code=settlement,
        vehicle="complex",
        operator="ЦРБ",
        starts_on=day,
        ends_on=day,
        opens_at=None,
        closes_at=None,
        services=("lab",),
        source="test",
    )
    return VisitRecord(id=visit_id, fields=fields, status="planned")


def test_plan_keeps_same_day_visits_moves_changed_ones_and_cancels_missing_ones() -> None:
    old = [
        _record(1, "shieli", "2030-06-15"),
        _record(2, "zholek", "2030-06-12"),
        _record(3, "sulutobe", "2030-06-10"),
        _record(4, "sulutobe", "2030-05-01"),  # past: history, left alone
    ]
    rows = [
        _row("shieli", "2030-06-15"),
        _row("zholek", "2030-06-20"),
        _row("shieli", "2030-07-01"),
    ]
    changes = plan_import(old, rows, date(2030, 6, 1), "test")
    assert [visit_id for visit_id, _ in changes.updates] == [1, 2]
    assert [fields.starts_on for fields in changes.inserts] == ["2030-07-01"]
    assert list(changes.cancels) == [3]
    assert [(n.visit_id, n.kind, n.starts_on, n.old_starts_on) for n in changes.notices] == [
        (2, "rescheduled", "2030-06-20", "2030-06-12"),
        (3, "cancelled", "2030-06-10", None),
    ]
