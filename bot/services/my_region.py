"""«My region»: one summary of what the bot knows about the region a user chose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.services.facilities import Facility, FacilityDirectory, RenamedPlace
from bot.services.ivf_quotas import IvfQuotaTable, NationalQuotas, RegionQuotas
from bot.services.regions import Region, RegionDirectory

# Dates of mobile stops are local: the whole country has used UTC+5 since March 2024.
KAZAKHSTAN = ZoneInfo("Asia/Almaty")


@dataclass(frozen=True, slots=True)
class MobileStop:
    """One upcoming stop of a mobile medical complex or a medical train."""

    place_kk: str
    place_ru: str
    starts: date
    ends: date | None
    source: str

    def place(self, locale: str) -> str:
        return self.place_kk if locale == "kk" else self.place_ru


class MobileStopsSource(Protocol):
    """The hook for the mobile-complex / medical-train schedule (another feature provides it)."""

    async def upcoming_stops(self, region_code: str, today: date) -> Sequence[MobileStop]: ...


@dataclass(frozen=True, slots=True)
class RegionSummary:
    region: Region
    quotas: RegionQuotas
    national_quotas: NationalQuotas
    facilities: tuple[Facility, ...]
    national_programmes: tuple[Facility, ...]
    # None: no schedule source is plugged in yet; empty: a source that knows no upcoming stop.
    mobile_stops: tuple[MobileStop, ...] | None = None
    today: date | None = None

    @property
    def is_city(self) -> bool:
        return self.region.kind == "city"


@dataclass(frozen=True, slots=True)
class RegionMatch:
    region: Region
    renamed: tuple[RenamedPlace, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SavedRegion:
    """A region typed and kept, with its summary."""

    match: RegionMatch
    summary: RegionSummary | None


class RegionWriter(Protocol):
    async def set_region(self, user_id: int, region_code: str | None) -> None: ...


@dataclass(frozen=True, slots=True, eq=False)
class RegionSummaries:
    """Combines IVF quotas, facilities and (when plugged in) mobile stops for one region."""

    regions: RegionDirectory
    facilities: FacilityDirectory
    ivf_quotas: IvfQuotaTable
    mobile_stops: MobileStopsSource | None = None

    def find(self, text: str) -> RegionMatch | None:
        """The region typed in any script; old names come with a note on today's name."""
        renamed = tuple(self.facilities.renamed_places(text))
        region = self.facilities.find_region(text, renamed)
        return None if region is None else RegionMatch(region, renamed)

    async def current(self, region_code: str | None) -> RegionSummary | None:
        """The summary as of today in Kazakhstan, or None without a (known) region."""
        if region_code is None:
            return None
        return await self.summary(region_code, datetime.now(KAZAKHSTAN).date())

    async def save_typed(self, users: RegionWriter, user_id: int, text: str) -> SavedRegion | None:
        """Keep the region a message names as the user's; None when it names none."""
        match = self.find(text)
        if match is None:
            return None
        await users.set_region(user_id, match.region.code)
        return SavedRegion(match, await self.current(match.region.code))

    async def summary(self, region_code: str, today: date) -> RegionSummary | None:
        region = self.regions.get(region_code)
        if region is None:
            return None
        stops = None
        if self.mobile_stops is not None:
            stops = tuple(await self.mobile_stops.upcoming_stops(region_code, today))
        return RegionSummary(
            region=region,
            quotas=self.ivf_quotas.for_region(region_code),
            national_quotas=self.ivf_quotas.national,
            facilities=tuple(self.facilities.by_region(region_code)),
            national_programmes=tuple(self.facilities.national()),
            mobile_stops=stops,
            today=today,
        )
