"""Mobile clinics: the visits of a settlement, subscriptions, imports and due reminders."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot.db.mobile_clinics import (
    ImportChanges,
    MobileClinicRepository,
    Notice,
    VisitFields,
    VisitMessage,
    VisitRecord,
)
from bot.services.mobile_schedule import (
    KZ_TZ,
    MedicalService,
    Problem,
    RowError,
    ScheduleParser,
    ScheduleRow,
    Vehicle,
    VisitDate,
    VisitTerms,
)
from bot.services.my_region import MobileStop
from bot.services.regions import RegionDirectory
from bot.services.settlements import Settlement, SettlementDirectory
from bot.services.staff import StaffRole
from bot.services.text_folding import PLACE_WORDS, fold_words, place_words

Clock = Callable[[], datetime]
# The reminder goes out the day before a visit at this local hour: late enough not to wake
# anyone, early enough to arrange the trip.
REMINDER_TIME = time(10, 0)
MAX_UPCOMING = 5
MAX_HISTORY = 3
# Folded word starts that make a question about mobile clinics: ПМК/ЖМК, поезд/пойыз,
# «передвижной», «жылжымалы», «көшпелі», «на колёсах», «Саламатты Қазақстан».
_QUESTION_WORDS = (
    "пмк",
    "жмк",
    "поезд",
    "медпоезд",
    "поиыз",
    "пойыз",
    "передвижн",
    "жылжымал",
    "кошпели",
    "колесах",
    "саламатты",
    "медкомплекс",
)
# «Мобильный» alone is too wide (mobile apps): only with one of these after it. (Folding drops
# the soft sign, so it reads «мобилн».)
_MOBILE_OBJECTS = ("комплекс", "клиник", "больниц", "бригад", "медицин", "поликлиник", "емхан")


def is_mobile_clinic_question(text: str) -> bool:
    """Whether `text` asks about mobile complexes or medical trains, in any script."""
    words = fold_words(text)
    if any(word.startswith(_QUESTION_WORDS) for word in words):
        return True
    return any(
        word.startswith("мобилн") and following.startswith(_MOBILE_OBJECTS)
        for word, following in zip(words, words[1:], strict=False)
    )


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Visit(VisitTerms):
    id: int
    settlement: Settlement
    cancelled: bool


@dataclass(frozen=True, slots=True)
class SettlementSchedule:
    settlement: Settlement
    upcoming: list[Visit]
    nearby: list[Visit]  # elsewhere in the same district
    history: list[Visit]
    subscribed: bool
    today: date | None = None  # the day it was looked up, in Kazakhstan


@dataclass(frozen=True, slots=True)
class PlaceLookup:
    """The settlements a message names, and the region it names when that is all it names."""

    settlements: list[Settlement]
    region_code: str | None


@dataclass(frozen=True, slots=True)
class PlaceVisits:
    """What a place named in a message leads to: the one settlement's schedule, a choice among
    several settlements, or, when none was found, the region it named (if any)."""

    schedule: SettlementSchedule | None = None
    choices: tuple[Settlement, ...] = ()
    region_code: str | None = None

    @property
    def found(self) -> bool:
        return self.schedule is not None or bool(self.choices)


@dataclass(slots=True)
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    region_codes: list[str] = field(default_factory=list)
    added: int = 0
    rescheduled: int = 0
    cancelled: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A reminder or a notice ready to render in the subscriber's language."""

    item: VisitMessage
    visit: Visit
    old_starts: VisitDate | None

    @property
    def user_id(self) -> int:
        return self.item.user_id

    @property
    def kind(self) -> str:
        return self.item.kind


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), KZ_TZ)


def reminder_moment(visit_day: date) -> datetime:
    """When the reminder of a visit on `visit_day` is due (an aware datetime)."""
    return datetime.combine(visit_day - timedelta(days=1), REMINDER_TIME, KZ_TZ)


def due_visit_day(now: datetime) -> date | None:
    """The visit day whose reminders are due at `now`, if any.

    A reminder is due from 10:00 the day before until the visit day starts, so one that fell
    due while the bot was down still goes out on start, and one for a day already begun never.
    """
    tomorrow = now.astimezone(KZ_TZ).date() + timedelta(days=1)
    return tomorrow if reminder_moment(tomorrow) <= now < local_midnight(tomorrow) else None


def _fields(row: ScheduleRow) -> VisitFields:
    return VisitFields(
        region_code=row.region_code,
        settlement_code=row.settlement_code,
        vehicle=row.vehicle.value,
        operator=row.operator,
        starts_on=row.starts.iso(),
        ends_on=row.ends.iso(),
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        services=tuple(service.value for service in row.services),
        source=row.source,
    )


def _is_ahead(starts_on: str, today: date) -> bool:
    exact = VisitDate.from_iso(starts_on).exact
    return exact is not None and exact >= today


def plan_import(
    old: list[VisitRecord], rows: list[ScheduleRow], today: date, source: str
) -> ImportChanges:
    """Turn a region's new schedule into changes, keeping visit ids where the visit survives.

    A visit still ahead that is in the new file on the same day is kept; one that moved to
    another day (same settlement and vehicle) is rescheduled; one that is gone is cancelled.
    Past visits stay as history.
    """
    updates: list[tuple[int, VisitFields]] = []
    inserts: list[VisitFields] = []
    notices: list[Notice] = []
    known = {(v.fields.settlement_code, v.fields.vehicle, v.fields.starts_on): v for v in old}
    old_ahead = {
        key: visit
        for key, visit in known.items()
        if visit.status == "planned" and _is_ahead(visit.fields.starts_on, today)
    }
    unmatched_new: list[ScheduleRow] = []
    for row in rows:
        fields = _fields(row)
        key = (fields.settlement_code, fields.vehicle, fields.starts_on)
        if key in old_ahead:
            updates.append((old_ahead.pop(key).id, fields))
        elif not _is_ahead(fields.starts_on, today):
            if key in known:
                updates.append((known[key].id, fields))
            else:
                inserts.append(fields)
        else:
            unmatched_new.append(row)
    moved_from: dict[tuple[str, str], list[VisitRecord]] = defaultdict(list)
    for visit in sorted(old_ahead.values(), key=lambda v: v.fields.starts_on):
        moved_from[(visit.fields.settlement_code, visit.fields.vehicle)].append(visit)
    for row in unmatched_new:
        fields = _fields(row)
        candidates = moved_from.get((fields.settlement_code, fields.vehicle))
        if candidates:
            previous = candidates.pop(0)
            updates.append((previous.id, fields))
            notices.append(
                Notice(
                    visit_id=previous.id,
                    kind="rescheduled",
                    starts_on=fields.starts_on,
                    old_starts_on=previous.fields.starts_on,
                    settlement_code=fields.settlement_code,
                )
            )
        else:
            inserts.append(fields)
    cancels = [visit for visits in moved_from.values() for visit in visits]
    notices += [
        Notice(
            visit_id=visit.id,
            kind="cancelled",
            starts_on=visit.fields.starts_on,
            old_starts_on=None,
            settlement_code=visit.fields.settlement_code,
        )
        for visit in cancels
    ]
    return ImportChanges(
        region_codes=tuple(sorted({row.region_code for row in rows})),
        source=source,
        updates=updates,
        inserts=inserts,
        cancels=[visit.id for visit in cancels],
        notices=notices,
        rows=len(rows),
    )


@dataclass(eq=False)
class MobileClinics:
    """What the mobile-clinic feature knows and does; handlers and the reminder task call it."""

    repository: MobileClinicRepository
    settlements: SettlementDirectory
    parser: ScheduleParser
    regions: RegionDirectory
    clock: Clock = utc_now

    @classmethod
    def create(
        cls,
        repository: MobileClinicRepository,
        settlements: SettlementDirectory,
        regions: RegionDirectory,
    ) -> MobileClinics:
        return cls(repository, settlements, ScheduleParser(regions, settlements), regions)

    def today(self) -> date:
        return self.clock().astimezone(KZ_TZ).date()

    def _now_text(self) -> str:
        return self.clock().astimezone(UTC).isoformat(timespec="seconds")

    def _visit(self, record: VisitRecord) -> Visit | None:
        settlement = self.settlements.get(record.fields.settlement_code)
        if settlement is None:
            return None
        return Visit(
            id=record.id,
            settlement=settlement,
            vehicle=Vehicle(record.fields.vehicle),
            operator=record.fields.operator,
            starts=VisitDate.from_iso(record.fields.starts_on),
            ends=VisitDate.from_iso(record.fields.ends_on),
            opens_at=record.fields.opens_at,
            closes_at=record.fields.closes_at,
            services=tuple(MedicalService(code) for code in record.fields.services),
            source=record.fields.source,
            cancelled=record.status == "cancelled",
        )

    def locate(self, text: str) -> PlaceLookup:
        """Find the settlement in a question; a region named too narrows the search."""
        # A message is read whole; a paragraph only up to its first PLACE_WORDS distinct words.
        words = text.split()
        places = text if len(words) <= PLACE_WORDS else place_words(words)
        region = self.regions.find(places)
        found = self.settlements.find(places, region.code) if region else []
        found = found or self.settlements.find(places)
        known = region is not None and region.code in self.settlements.region_codes()
        return PlaceLookup(found, region.code if region and known else None)

    async def visits_of(self, settlements: Sequence[Settlement], user_id: int) -> PlaceVisits:
        """The schedule of the one settlement named, or a choice when the name fits several."""
        if len(settlements) == 1:
            return PlaceVisits(schedule=await self.schedule_for(settlements[0], user_id))
        return PlaceVisits(choices=tuple(settlements))

    async def visits_named_in(self, text: str, user_id: int) -> PlaceVisits:
        """The visits of the settlement a message names; else the region it names, if any."""
        lookup = self.locate(text)
        if lookup.settlements:
            return await self.visits_of(lookup.settlements, user_id)
        return PlaceVisits(region_code=lookup.region_code)

    async def schedule_for(self, settlement: Settlement, user_id: int) -> SettlementSchedule:
        """Upcoming visits here and in the district, and the past ones, newest first."""
        today = self.today()
        neighbours = (
            self.settlements.in_district(settlement.region_code, settlement.district.code)
            if settlement.district
            else [settlement]
        )
        records = await self.repository.visits_at([item.code for item in neighbours])
        visits = [v for v in map(self._visit, records) if v is not None and not v.cancelled]
        ahead = [v for v in visits if (v.ends.exact or date.min) >= today]
        history = [v for v in visits if v not in ahead and v.settlement == settlement]
        history.sort(key=lambda v: v.starts.sort_key(), reverse=True)
        return SettlementSchedule(
            settlement=settlement,
            upcoming=[v for v in ahead if v.settlement == settlement][:MAX_UPCOMING],
            nearby=[v for v in ahead if v.settlement != settlement][:MAX_UPCOMING],
            history=history[:MAX_HISTORY],
            subscribed=settlement.code in await self.repository.subscriptions(user_id),
            today=today,
        )

    async def upcoming_stops(self, region_code: str, today: date) -> list[MobileStop]:
        """Planned visits in a region from `today` on, for the «My region» summary."""
        stops = []
        for record in await self.repository.visits_in_regions([region_code]):
            visit = self._visit(record)
            starts = visit.starts.exact if visit else None
            if visit is None or visit.cancelled or starts is None or starts < today:
                continue
            stops.append(
                MobileStop(
                    place_kk=visit.settlement.name_kk,
                    place_ru=visit.settlement.name_ru,
                    starts=starts,
                    ends=visit.ends.exact,
                    source=visit.source,
                )
            )
        return sorted(stops, key=lambda stop: stop.starts)

    async def subscribe(self, user_id: int, settlement: Settlement) -> None:
        await self.repository.subscribe(user_id, settlement.code, self._now_text())

    async def unsubscribe(self, user_id: int, settlement_code: str) -> bool:
        return await self.repository.unsubscribe(user_id, settlement_code)

    async def subscriptions(self, user_id: int) -> list[Settlement]:
        codes = await self.repository.subscriptions(user_id)
        return [item for item in map(self.settlements.get, codes) if item is not None]

    async def import_schedule(
        self,
        content: bytes,
        source: str,
        allow_partial_dates: bool = False,
        staff: StaffRole | None = None,
    ) -> ImportResult:
        """Replace the schedule of every region in the file, or change nothing if a row is bad
        or, for a regional staff member (`staff`), names another region."""
        parsed = self.parser.parse(content, allow_partial_dates=allow_partial_dates)
        if not parsed.ok:
            return ImportResult(errors=parsed.errors)
        if staff is not None:
            foreign = [
                RowError(row.line, Problem.REGION_NOT_YOURS, row.region_code)
                for row in parsed.rows
                if not staff.reaches(row.region_code)
            ]
            if foreign:
                return ImportResult(errors=foreign)
        return await self._apply(parsed.rows, source)

    async def _apply(self, rows: list[ScheduleRow], source: str) -> ImportResult:
        region_codes = sorted({row.region_code for row in rows})
        old = await self.repository.visits_in_regions(region_codes)
        changes = plan_import(old, rows, self.today(), source)
        await self.repository.apply_import(changes, self._now_text())
        return ImportResult(
            rows=len(rows),
            region_codes=region_codes,
            added=len(changes.inserts),
            rescheduled=sum(1 for n in changes.notices if n.kind == "rescheduled"),
            cancelled=len(changes.cancels),
        )

    async def load_history(self, path: Path) -> ImportResult:
        """Load the shipped schedule file for regions that staff have never imported."""
        content = await asyncio.to_thread(path.read_bytes)
        parsed = self.parser.parse(content, allow_partial_dates=True)
        if not parsed.ok:
            return ImportResult(errors=parsed.errors)
        done = await self.repository.imported_regions()
        rows = [row for row in parsed.rows if row.region_code not in done]
        if not rows:
            return ImportResult()
        return await self._apply(rows, path.name)

    # Reminders ---------------------------------------------------------------------------
    async def queue_due_reminders(self, now: datetime) -> int:
        day = due_visit_day(now)
        if day is None:
            return 0
        return await self.repository.queue_reminders(day.isoformat(), self._iso(now))

    async def outgoing(
        self, user_id: int, payload: Mapping[str, Any], now: datetime | None = None
    ) -> OutgoingMessage | None:
        """An owed reminder or notice (an outbox row's content) ready to render, or None when
        it is no longer worth sending (moved or cancelled since, or the day has begun)."""
        record = await self.repository.visit(int(payload["visit_id"]))
        if record is None:
            return None
        item = VisitMessage(
            user_id=user_id,
            kind=str(payload["kind"]),
            starts_on=str(payload["starts_on"]),
            old_starts_on=payload.get("old_starts_on"),
            visit=record,
        )
        visit = self._visit(record)
        if visit is None or not self._still_relevant(item, visit, now or self.clock()):
            return None
        old = VisitDate.from_iso(item.old_starts_on) if item.old_starts_on else None
        return OutgoingMessage(item=item, visit=visit, old_starts=old)

    @staticmethod
    def _still_relevant(item: VisitMessage, visit: Visit, now: datetime) -> bool:
        if item.kind == "cancelled":
            return visit.cancelled
        day = visit.starts.exact
        if visit.cancelled or day is None or visit.starts.iso() != item.starts_on:
            return False  # moved again or cancelled since: a later message says so
        return now < local_midnight(day)

    @staticmethod
    def _iso(moment: datetime) -> str:
        return moment.astimezone(UTC).isoformat(timespec="seconds")
