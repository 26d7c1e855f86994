"""Villages and towns the mobile clinics visit, found by whatever name a citizen typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.services.data_files import read_yaml
from bot.services.text_folding import fold_words

# Case endings citizens add to a village name, folded («Шиелиге», «Чаглинке», «Жолекте»).
# Only these are stripped, so «Казакстан» does not read as the village «Казак».
_ENDINGS: tuple[str, ...] = tuple(
    sorted(
        {
            "га",
            "ге",
            "ка",
            "ке",
            "да",
            "де",
            "та",
            "те",
            "дан",
            "ден",
            "тан",
            "тен",
            "нан",
            "нен",
            "нин",
            "дин",
            "тин",
            "ын",
            "ин",
            "ны",
            "ни",
            "ды",
            "ди",
            "ты",
            "ти",
            "на",
            "не",
            "а",
            "е",
            "у",
            "ю",
            "ом",
            "ем",
            "ой",
            "ы",
            "и",
            "ского",
            "ское",
        },
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True, slots=True)
class District:
    code: str
    region_code: str
    name_kk: str
    name_ru: str

    def name(self, locale: str) -> str:
        return self.name_kk if locale == "kk" else self.name_ru


@dataclass(frozen=True, slots=True)
class Settlement:
    code: str
    region_code: str
    name_kk: str
    name_ru: str
    district: District | None = None
    aliases: tuple[str, ...] = field(default=())

    def name(self, locale: str) -> str:
        return self.name_kk if locale == "kk" else self.name_ru


def _allowed_typos(length: int) -> int:
    return 2 if length >= 9 else 1 if length >= 5 else 0


def _stems(typed_word: str) -> tuple[str, ...]:
    """The word less each case ending it has (computed once per typed word)."""
    return tuple(typed_word[: -len(end)] for end in _ENDINGS if typed_word.endswith(end))


def _word_matches(name_word: str, typed_word: str, stems: tuple[str, ...] | None = None) -> bool:
    """Same word, an inflected form of it, or one typo away (two in long names)."""
    allowed = _allowed_typos(len(name_word))
    if typed_word == name_word or (
        len(typed_word) >= 4
        and abs(len(typed_word) - len(name_word)) <= allowed
        and OSA.distance(typed_word, name_word) <= allowed
    ):
        return True
    # An ending plus a typo is accepted only in long names: «Казакстан» is not «Казак»+«тан».
    stem_allowed = 1 if len(name_word) >= 7 else 0
    return any(
        abs(len(stem) - len(name_word)) <= stem_allowed
        and OSA.distance(stem, name_word) <= stem_allowed
        for stem in (_stems(typed_word) if stems is None else stems)
    )


class SettlementDirectory:
    """Settlements from `data/settlements.yaml`, by region and district."""

    def __init__(self, settlements: list[Settlement]) -> None:
        self._settlements = settlements
        self._by_code = {item.code: item for item in settlements}
        if len(self._by_code) != len(settlements):
            raise ValueError("settlement codes must be unique")
        self._names: list[tuple[tuple[str, ...], Settlement]] = []
        for item in settlements:
            for name in {item.name_kk, item.name_ru, *item.aliases}:
                words = tuple(fold_words(name))
                if words:
                    self._names.append((words, item))
        self._first_words = [words[0] for words, _ in self._names]

    @classmethod
    def load(cls, path: Path) -> SettlementDirectory:
        raw = read_yaml(path)
        settlements: list[Settlement] = []
        for region_code, content in raw["regions"].items():
            for item in content.get("settlements", ()):
                settlements.append(_settlement(item, region_code, None))
            for district_item in content.get("districts", ()):
                district = District(
                    code=district_item["code"],
                    region_code=region_code,
                    name_kk=district_item["name"]["kk"],
                    name_ru=district_item["name"]["ru"],
                )
                for item in district_item["settlements"]:
                    settlements.append(_settlement(item, region_code, district))
        return cls(settlements)

    def get(self, code: str) -> Settlement | None:
        return self._by_code.get(code)

    def region_codes(self) -> list[str]:
        return sorted({item.region_code for item in self._settlements})

    def districts(self, region_code: str) -> list[District]:
        found = {
            item.district.code: item.district
            for item in self._settlements
            if item.region_code == region_code and item.district is not None
        }
        return sorted(found.values(), key=lambda district: district.name_ru)

    def district(self, code: str) -> District | None:
        return next(
            (
                item.district
                for item in self._settlements
                if item.district and item.district.code == code
            ),
            None,
        )

    def in_district(self, region_code: str, district_code: str | None) -> list[Settlement]:
        """Settlements of a district; `None` gives those with no district recorded."""
        return sorted(
            (
                item
                for item in self._settlements
                if item.region_code == region_code
                and (item.district.code if item.district else None) == district_code
            ),
            key=lambda item: item.name_ru,
        )

    def find(self, text: str, region_code: str | None = None) -> list[Settlement]:
        """Settlements named in `text`, in any script, inflected or misspelt; best first."""
        typed = fold_words(text)
        stems = [_stems(word) for word in typed]
        found: dict[str, tuple[int, Settlement]] = {}
        for start, word in enumerate(typed):
            for index in self._candidates(word, stems[start]):
                words, item = self._names[index]
                if region_code is not None and item.region_code != region_code:
                    continue
                size = len(words)
                window = typed[start : start + size]
                if len(window) == size and all(
                    _word_matches(n, t, s)
                    for n, t, s in zip(words, window, stems[start : start + size], strict=True)
                ):
                    exact = 0 if tuple(window) == words else 1
                    best = found.get(item.code)
                    if best is None or exact < best[0]:
                        found[item.code] = (exact, item)
        ranked = sorted(found.values(), key=lambda pair: (pair[0], pair[1].name_ru))
        if ranked and ranked[0][0] == 0:
            # An exact name beats guesses from typos.
            ranked = [pair for pair in ranked if pair[0] == 0]
        return [item for _, item in ranked]

    def _candidates(self, word: str, stems: tuple[str, ...]) -> set[int]:
        """Names whose first word is near `word` or one of its stems (a cheap C-level pass)."""
        found: set[int] = set()
        for form in (word, *stems):
            if len(form) < 3:
                continue
            matches = process.extract(
                form, self._first_words, scorer=fuzz.ratio, score_cutoff=60, limit=None
            )
            found.update(index for _, _, index in matches)
        return found


def _settlement(
    item: dict[str, object], region_code: str, district: District | None
) -> Settlement:
    aliases = item.get("aliases") or ()
    assert isinstance(aliases, list | tuple)
    return Settlement(
        code=str(item["code"]),
        region_code=region_code,
        name_kk=str(item["kk"]),
        name_ru=str(item["ru"]),
        district=district,
        aliases=tuple(str(alias) for alias in aliases),
    )
