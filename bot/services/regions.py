"""The 17 regions and 3 cities, and finding one in whatever a citizen typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.services.data_files import read_yaml
from bot.services.text_folding import PLACE_WORDS, fold_words


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


def _word_is_form(alias_word: str, typed_word: str) -> bool:
    """The word itself or an inflected form of it («Шымкентте», «Астанада»)."""
    if typed_word == alias_word:
        return True
    return (
        len(alias_word) >= 4
        and typed_word.startswith(alias_word)
        and len(typed_word) - len(alias_word) <= 4
    )


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
        self._aliases = aliases
        self._first_words = [alias.words[0] for alias in aliases]
        self._by_first_word: dict[str, list[int]] = {}
        for index, word in enumerate(self._first_words):
            self._by_first_word.setdefault(word, []).append(index)

    @classmethod
    def load(cls, path: Path) -> RegionDirectory:
        raw = read_yaml(path)
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
        """The region named anywhere in `text`, in any script, inflected or with a typo.

        Exact names win over near ones, so an old name typed exactly («Оңтүстік Қазақстан»)
        is not mistaken for a current name one letter away («Солтүстік Қазақстан»).
        """
        typed = fold_words(text)
        if len(typed) > PLACE_WORDS:
            # A paragraph typed into a region step: its first distinct words, as the
            # understanding step reads them (a 4,096-character one cost 6–9 ms, now < 1).
            typed = list(dict.fromkeys(typed))[:PLACE_WORDS]
        return self._find(typed, exact=True) or self._find(typed, exact=False)

    def _find(self, typed: list[str], *, exact: bool) -> Region | None:
        # The longest name that matches wins, so «Алматы облысы» beats «Алматы».
        best: _Alias | None = None
        for start, word in enumerate(typed):
            for index in self._candidates(word, exact=exact):
                alias = self._aliases[index]
                window = typed[start : start + len(alias.words)]
                matches = _word_is_form if exact else _word_matches
                if (
                    len(window) == len(alias.words)
                    and all(matches(a, t) for a, t in zip(alias.words, window, strict=True))
                    and (best is None or alias.length > best.length)
                ):
                    best = alias
        return best.region if best else None

    def _candidates(self, word: str, *, exact: bool) -> list[int]:
        """Aliases whose first word could match `word` (cheap pre-selection)."""
        if exact:
            # The word itself, or the word less an ending of up to four letters.
            stems = [word] + [word[:cut] for cut in range(max(4, len(word) - 4), len(word))]
            return [index for stem in stems for index in self._by_first_word.get(stem, ())]
        if len(word) < 5:
            return []
        found = process.extract(
            word, self._first_words, scorer=fuzz.ratio, score_cutoff=70, limit=None
        )
        return [index for _, _, index in found]
