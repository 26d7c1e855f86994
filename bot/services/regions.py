"""The 17 regions and 3 cities, and finding one in whatever a citizen typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz.distance import Levenshtein

from bot.services.text_folding import fold_words


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    kind: str  # "region" or "city"
    name_kk: str
    name_ru: str
    centre_kk: str | None = None
    centre_ru: str | None = None
    former_name_kk: str | None = None
    former_name_ru: str | None = None
    aliases: tuple[str, ...] = field(default=())

    def name(self, locale: str) -> str:
        return self.name_kk if locale == "kk" else self.name_ru

    def centre(self, locale: str) -> str | None:
        return self.centre_kk if locale == "kk" else self.centre_ru


@dataclass(frozen=True, slots=True)
class _Alias:
    words: tuple[str, ...]
    region: Region

    @property
    def length(self) -> int:
        return sum(len(word) for word in self.words)


def _word_matches(alias_word: str, typed_word: str) -> bool:
    """Inflected or misspelt forms count: «Шымкентте», «Караганды» for «Караганда»."""
    if typed_word == alias_word:
        return True
    if len(alias_word) < 4:
        return False
    stem = typed_word[: len(alias_word)]
    if stem == alias_word and len(typed_word) - len(alias_word) <= 4:
        return True
    # One typo allowed in words of 5+ letters, two in words of 9+.
    allowed = 2 if len(alias_word) >= 9 else 1 if len(alias_word) >= 5 else 0
    return (
        abs(len(typed_word) - len(alias_word)) <= allowed + 3
        and Levenshtein.distance(stem, alias_word) <= allowed
    )


class RegionDirectory:
    """Regions loaded from `data/regions.yaml`, searchable by any typed name."""

    def __init__(self, regions: list[Region]) -> None:
        self._regions = regions
        self._by_code = {region.code: region for region in regions}
        aliases: list[_Alias] = []
        for region in regions:
            names = [region.name_kk, region.name_ru, *region.aliases]
            names += [n for n in (region.former_name_kk, region.former_name_ru) if n]
            for name in names:
                words = tuple(fold_words(name))
                if words:
                    aliases.append(_Alias(words, region))
        # Longest first, so «Алматы облысы» beats «Алматы».
        self._aliases = sorted(aliases, key=lambda alias: alias.length, reverse=True)

    @classmethod
    def load(cls, path: Path) -> RegionDirectory:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        regions = []
        for item in raw["regions"]:
            former = item.get("former_names") or {}
            centre = item.get("centre") or {}
            regions.append(
                Region(
                    code=item["code"],
                    kind=item["kind"],
                    name_kk=item["name"]["kk"],
                    name_ru=item["name"]["ru"],
                    centre_kk=centre.get("kk"),
                    centre_ru=centre.get("ru"),
                    former_name_kk=former.get("kk"),
                    former_name_ru=former.get("ru"),
                    aliases=tuple(item.get("aliases", ())),
                )
            )
        return cls(regions)

    def all(self) -> list[Region]:
        return list(self._regions)

    def get(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def find(self, text: str) -> Region | None:
        """The region named anywhere in `text`, in any script, inflected or with a typo."""
        typed = fold_words(text)
        for alias in self._aliases:
            size = len(alias.words)
            for start in range(len(typed) - size + 1):
                window = typed[start : start + size]
                if all(_word_matches(a, t) for a, t in zip(alias.words, window, strict=True)):
                    return alias.region
        return None
