"""IVF quota figures by region and year, exactly as the sources give them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.services.data_files import read_yaml


@dataclass(frozen=True, slots=True)
class QuotaFigure:
    year: int
    quotas: int
    source: str
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueueFigure:
    as_of: str
    count: int
    unit: str  # "women" or "families"
    source: str
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegionQuotas:
    region_code: str
    quotas: tuple[QuotaFigure, ...] = field(default=())
    queue: tuple[QueueFigure, ...] = field(default=())

    @property
    def latest(self) -> QuotaFigure | None:
        return max(self.quotas, key=lambda figure: figure.year, default=None)


@dataclass(frozen=True, slots=True)
class NationalQuotas:
    quotas_per_year: int
    since: int
    source_kk: str
    source_ru: str
    facts: tuple[str, ...]

    def source(self, locale: str) -> str:
        return self.source_kk if locale == "kk" else self.source_ru


class IvfQuotaTable:
    """`data/ivf_quotas.yaml`: the national 7 000 and each region's sourced figures."""

    def __init__(self, national: NationalQuotas, regions: dict[str, RegionQuotas]) -> None:
        self.national = national
        self._regions = regions

    @classmethod
    def load(cls, path: Path) -> IvfQuotaTable:
        raw = read_yaml(path)
        nat = raw["national"]
        national = NationalQuotas(
            quotas_per_year=int(nat["quotas_per_year"]),
            since=int(nat["since"]),
            source_kk=nat["source"]["kk"],
            source_ru=nat["source"]["ru"],
            facts=tuple(nat["facts"]),
        )
        regions = {}
        for code, item in (raw.get("regions") or {}).items():
            regions[code] = RegionQuotas(
                region_code=code,
                quotas=tuple(
                    QuotaFigure(int(q["year"]), int(q["quotas"]), q["source"], tuple(q["facts"]))
                    for q in sorted(item.get("quotas", []), key=lambda q: q["year"])
                ),
                queue=tuple(
                    QueueFigure(
                        str(q["as_of"]), int(q["count"]), q["unit"], q["source"], tuple(q["facts"])
                    )
                    for q in item.get("queue", [])
                ),
            )
        return cls(national, regions)

    def for_region(self, region_code: str) -> RegionQuotas:
        """The region's figures; an empty record when our sources have none."""
        return self._regions.get(region_code, RegionQuotas(region_code=region_code))

    def regions_with_figures(self) -> list[str]:
        return sorted(self._regions)
