"""New and modernised facilities (`data/facilities.yaml`): browse by type or region, and search."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from bot.services.data_files import read_yaml
from bot.services.regions import Region, RegionDirectory
from bot.services.text_folding import fold_words

# The region code of a programme that covers the whole country (the 32 district hospitals).
NATIONAL = "national"


class FacilityType(StrEnum):
    PERINATAL = "perinatal"
    UNIVERSITY_CLINIC = "university_clinic"
    DISTRICT_HOSPITAL = "district_hospital"
    ONCOLOGY = "oncology"
    NUCLEAR_MEDICINE = "nuclear_medicine"


class Status(StrEnum):
    PLANNED = "planned"
    DESIGN = "design"
    UNDER_CONSTRUCTION = "under_construction"
    OPEN = "open"
    UNCLEAR = "unclear"  # named in an earlier list, absent from a later one


@dataclass(frozen=True, slots=True)
class Localized:
    kk: str
    ru: str

    def get(self, locale: str) -> str:
        return self.kk if locale == "kk" else self.ru


@dataclass(frozen=True, slots=True)
class StatusStatement:
    """What one source said about a facility, as of its date."""

    status: Status
    as_of: str | None  # "YYYY-MM-DD", "YYYY-MM", "YYYY", or None for an undated source
    approx: bool
    source: Localized
    ref: str
    facts: tuple[str, ...]
    note: Localized | None = None


@dataclass(frozen=True, slots=True)
class Facility:
    id: str
    type: FacilityType
    name: Localized
    city: Localized
    region_code: str
    offers: Localized
    statuses: tuple[StatusStatement, ...]
    facts: tuple[str, ...]
    beds: int | None = None
    figures: Localized | None = None
    disagreement: Localized | None = None
    unverified: Localized | None = None
    keywords: tuple[tuple[str, ...], ...] = field(default=())
    places: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def latest(self) -> StatusStatement:
        """The current statement: the data lists statements oldest first.

        Dates cannot be sorted as text: «2025» (a source that gives only the year) may be later
        than «2025-06-10», as for the Kyzylorda PET/CT opened after the June 2025 plan.
        """
        return self.statuses[-1]

    @property
    def is_national(self) -> bool:
        return self.region_code == NATIONAL


@dataclass(frozen=True, slots=True)
class TypeInfo:
    type: FacilityType
    name: Localized
    summary: Localized
    facts: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class RenamedPlace:
    region_code: str
    names: tuple[tuple[str, ...], ...]
    note: Localized


@dataclass(frozen=True, slots=True)
class FacilitySearchResult:
    """What a typed question asked about: facility types, a place, and the facilities found."""

    types: tuple[FacilityType, ...]
    region: Region | None
    facilities: tuple[Facility, ...]
    renamed: tuple[RenamedPlace, ...] = field(default=())

    @property
    def found(self) -> bool:
        return bool(self.facilities)


# Questions about IVF that mention a perinatal centre («ЭКО в перинатальном центре Актобе»)
# belong to the IVF answers, not to the facility directory.
# Likewise mobile complexes and medical trains («жаңа жылжымалы медициналық кешен») have their
# own feature.
_OTHER_TOPIC_WORDS = frozenset(fold_words("ЭКО ЭКҰ ЭКУ ivf ПМК ЖМК"))
_OTHER_TOPIC_STEMS = tuple(
    fold_words("квот экстракорпорал Аңсаған жылжымал көшпелі передвижн мобильн поезд пойыз")
)
# Words that name no region on their own, skipped when looking for several regions.
_NOT_PLACES = frozenset(fold_words("Қазақстан облысы облыс область области қаласы город"))


def _localized(raw: Any) -> Localized:
    if isinstance(raw, str):
        return Localized(raw, raw)
    return Localized(kk=raw["kk"], ru=raw["ru"])


def _optional(raw: Any) -> Localized | None:
    return None if raw is None else _localized(raw)


def _folded(words: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(folded for word in words if (folded := tuple(fold_words(word))))


def _word_matches(keyword: str, typed: str) -> bool:
    """Short keywords («пэт», «црб») match whole words only; longer ones are stems, one typo."""
    if len(keyword) <= 4:
        return typed == keyword
    if typed.startswith(keyword):
        return True
    return len(keyword) >= 7 and Levenshtein.distance(typed[: len(keyword)], keyword) <= 1


def _mentions(typed: list[str], phrases: Iterable[tuple[str, ...]]) -> bool:
    for phrase in phrases:
        size = len(phrase)
        for start in range(len(typed) - size + 1):
            window = typed[start : start + size]
            if all(_word_matches(k, t) for k, t in zip(phrase, window, strict=True)):
                return True
    return False


def _statement(raw: dict[str, Any]) -> StatusStatement:
    as_of = raw.get("as_of")
    return StatusStatement(
        status=Status(raw["status"]),
        as_of=None if as_of is None else str(as_of),
        approx=bool(raw.get("approx", False)),
        source=_localized(raw["source"]),
        ref=str(raw["ref"]),
        facts=tuple(raw["facts"]),
        note=_optional(raw.get("note")),
    )


def _facility(raw: dict[str, Any]) -> Facility:
    return Facility(
        id=raw["id"],
        type=FacilityType(raw["type"]),
        name=_localized(raw["name"]),
        city=_localized(raw["city"]),
        region_code=raw["region"],
        offers=_localized(raw["offers"]),
        statuses=tuple(_statement(s) for s in raw["statuses"]),
        facts=tuple(raw["facts"]),
        beds=raw.get("beds"),
        figures=_optional(raw.get("figures")),
        disagreement=_optional(raw.get("disagreement")),
        unverified=_optional(raw.get("unverified")),
        keywords=_folded(raw.get("keywords", ())),
        places=_folded(raw.get("places", ())),
    )


class FacilityDirectory:
    """Facilities by type and region, and `search(text)` for a question typed in any script."""

    def __init__(
        self,
        types: list[TypeInfo],
        facilities: list[Facility],
        renamed: list[RenamedPlace],
        regions: RegionDirectory,
        general: Iterable[str] = (),
    ) -> None:
        self._types = {info.type: info for info in types}
        self._facilities = facilities
        self._by_id = {facility.id: facility for facility in facilities}
        self._renamed = renamed
        self._regions = regions
        # Phrases asking about new facilities of any type («жаңа медициналық», «новые больницы»).
        self._general = _folded(general)

    @classmethod
    def load(cls, path: Path, regions: RegionDirectory) -> FacilityDirectory:
        raw = read_yaml(path)
        types = [
            TypeInfo(
                type=FacilityType(code),
                name=_localized(item["name"]),
                summary=_localized(item["summary"]),
                facts=tuple(item["facts"]),
                keywords=_folded(item["keywords"]),
            )
            for code, item in raw["types"].items()
        ]
        renamed = [
            RenamedPlace(item["region"], _folded(item["names"]), _localized(item["note"]))
            for item in raw.get("renamed_places", ())
        ]
        facilities = [_facility(item) for item in raw["facilities"]]
        return cls(types, facilities, renamed, regions, raw.get("general_keywords", ()))

    # Browsing -------------------------------------------------------------------------------
    def all(self) -> list[Facility]:
        return list(self._facilities)

    def get(self, facility_id: str) -> Facility | None:
        return self._by_id.get(facility_id)

    def types(self) -> list[TypeInfo]:
        return list(self._types.values())

    def type_info(self, facility_type: FacilityType) -> TypeInfo:
        return self._types[facility_type]

    def by_type(self, facility_type: FacilityType) -> list[Facility]:
        return [f for f in self._facilities if f.type == facility_type]

    def by_region(self, region_code: str) -> list[Facility]:
        """Facilities located in the region; nationwide programmes are listed apart."""
        return [f for f in self._facilities if f.region_code == region_code]

    def national(self) -> list[Facility]:
        return self.by_region(NATIONAL)

    def region(self, code: str) -> Region | None:
        return self._regions.get(code)

    # Typed questions ------------------------------------------------------------------------
    def is_facility_question(self, text: str) -> bool:
        """A facility word is typed (in any script) and the question is not about IVF."""
        typed = fold_words(text)
        if any(w in _OTHER_TOPIC_WORDS or w.startswith(_OTHER_TOPIC_STEMS) for w in typed):
            return False
        return (
            bool(self._matched_types(typed))
            or _mentions(typed, self._general)
            or any(_mentions(typed, facility.keywords) for facility in self._facilities)
        )

    def search(self, text: str) -> FacilitySearchResult:
        """The facilities a typed question is about: by type or name words, then by place."""
        typed = fold_words(text)
        types = self._matched_types(typed)
        named = [f for f in self._facilities if _mentions(typed, f.keywords)]
        # A name word («протон», «Orhun») is more precise than the type it belongs to.
        candidates = named or [f for f in self._facilities if f.type in types]
        renamed = tuple(r for r in self._renamed if _mentions(typed, r.names))
        region = self.find_region(text, renamed)
        codes = {region.code} if region else set()
        if not candidates and _mentions(typed, self._general):
            # «What new medical centres opened in Kyzylorda and Aktau?»: any type, every place.
            candidates = list(self._facilities)
            codes |= self._regions_named(typed)
        in_place = [f for f in candidates if _mentions(typed, f.places)]
        if in_place:
            candidates = in_place
        elif codes:
            # A nationwide programme also answers a question about any one region.
            candidates = [f for f in candidates if f.region_code in codes | {NATIONAL}]
        return FacilitySearchResult(
            types=tuple(types), region=region, facilities=tuple(candidates), renamed=renamed
        )

    def find_region(self, text: str, renamed: Sequence[RenamedPlace] = ()) -> Region | None:
        """An old name typed exactly wins over a fuzzy match of a current one.

        `RegionDirectory.find` reads «Оңтүстік Қазақстан» as «Солтүстік Қазақстан» (two letters
        apart, and the longer name is tried first), so the rename table is checked before it.
        """
        for place in renamed:
            if (region := self._regions.get(place.region_code)) is not None:
                return region
        return self._regions.find(text)

    def renamed_places(self, text: str) -> list[RenamedPlace]:
        """Old names in `text` (Nur-Sultan, South Kazakhstan region, ...) with today's names."""
        typed = fold_words(text)
        return [r for r in self._renamed if _mentions(typed, r.names)]

    def _regions_named(self, typed: list[str]) -> set[str]:
        words = [word for word in typed if len(word) >= 4 and word not in _NOT_PLACES]
        return {region.code for word in words if (region := self._regions.find(word))}

    def _matched_types(self, typed: list[str]) -> list[FacilityType]:
        return [info.type for info in self._types.values() if _mentions(typed, info.keywords)]
