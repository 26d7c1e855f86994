"""Checks every file in `data/` before the bot uses it: `python -m bot check-data`, start-up
and CI. Each problem names its file and line, so whoever edited the file can fix it.

What is checked: the YAML parses; both languages are there; every fact has a source (and a
year where the schema has one); region and settlement codes are known; and, when
`../shared/domain/FACTS.md` is beside the repository, that the figures an answer or a quota
states are in the FACTS rows it cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.services.mobile_schedule import ScheduleParser
from bot.services.regions import RegionDirectory
from bot.services.settlements import SettlementDirectory

LANGS = ("kk", "ru")
# 7 000, 7 000 (no-break space), 231,9, 6.2; «7 мың» / «7 тысяч» may stand for 7 000.
_NUMBER = re.compile(r"(\d+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)?)(\s*(?:тыс|мың|thousand))?")
_FACTS_ROW = re.compile(r"^\|\s*([A-Z]\d+(?:\.\d+)?)\s*\|")


@dataclass(frozen=True, order=True)
class DataProblem:
    file: str  # relative to the data folder
    line: int  # 1-based; 0 for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class _Located(dict[str, Any]):
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    line = 0
    key_lines: dict[str, int] = {}  # noqa: RUF012 - replaced per instance by the loader


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml when present) whose mappings know their line."""


def _located_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[_Located]:
    mapping = _Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {
        str(key.value): key.start_mark.line + 1 for key, _value in node.value if key.value != "<<"
    }
    yield mapping
    mapping.update({str(key): value for key, value in loader.construct_mapping(node).items()})


_LineLoader.add_constructor("tag:yaml.org,2002:map", _located_mapping)


def _line(value: object) -> int:
    return value.line if isinstance(value, _Located) else 0


def _key_line(mapping: object, key: str) -> int:
    return mapping.key_lines.get(key, mapping.line) if isinstance(mapping, _Located) else 0


def numbers(text: str) -> list[set[float]]:
    """Each number in `text` as the set of values it may stand for."""
    found = []
    for match in _NUMBER.finditer(text.replace("**", "")):
        value = float(re.sub(r"[ \u00a0\u202f]", "", match.group(1)).replace(",", "."))
        found.append({value, value * 1000} if match.group(2) else {value})
    return found


def facts_rows(text: str) -> dict[str, str]:
    """FACTS.md rows by id: «A5.3», «F1», and the by-region table as «A5-almaty»."""
    rows: dict[str, str] = {}
    in_region_table = False
    for line in text.splitlines():
        if line.startswith("By city / region"):
            in_region_table = True
        elif line.startswith("### "):
            in_region_table = False
        match = _FACTS_ROW.match(line)
        if match:
            rows[match.group(1)] = line
        elif in_region_table and line.startswith("| ") and not line.startswith("| Place"):
            place = re.sub(r"\(.*?\)", "", line.split("|")[1])
            slug = "-".join(w for w in place.lower().split() if w not in ("city", "region"))
            rows[f"A5-{slug}"] = line
    return rows


class DataCheck:
    """Collects the problems of one data folder."""

    def __init__(self, data_path: Path, facts_path: Path | None = None) -> None:
        self.data_path = data_path
        self.facts = (
            facts_rows(facts_path.read_text(encoding="utf-8"))
            if facts_path is not None and facts_path.is_file()
            else None
        )
        self.problems: list[DataProblem] = []
        self._file = ""

    def run(self) -> list[DataProblem]:
        regions = self._yaml("regions.yaml")
        region_codes = self._regions(regions) if regions is not None else set()
        settlements = self._yaml("settlements.yaml")
        if settlements is not None:
            self._settlements(settlements, region_codes)
        quotas = self._yaml("ivf_quotas.yaml")
        if quotas is not None:
            self._quotas(quotas, region_codes)
        facilities = self._yaml("facilities.yaml")
        if facilities is not None:
            self._facilities(facilities, region_codes)
        entry_ids: set[str] = set()
        for path in sorted((self.data_path / "knowledge").glob("*.yaml")):
            content = self._yaml(str(path.relative_to(self.data_path)))
            if isinstance(content, dict) and "entries" in content:
                self._knowledge(content, entry_ids)
        if regions is not None and settlements is not None and not self.problems:
            self._schedules()
        return sorted(self.problems)

    # Helpers ------------------------------------------------------------------------------
    def _problem(self, line: int, message: str) -> None:
        self.problems.append(DataProblem(self._file, line, message))

    def _yaml(self, name: str) -> Any:
        self._file = name
        path = self.data_path / name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self._problem(0, f"cannot read: {error}")
            return None
        try:
            content = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as error:
            # The line where the broken construct starts, and where the parser gave up.
            start = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
            found = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or "not valid YAML"
            where = f" (noticed on line {found.line + 1})" if found and found != start else ""
            self._problem(start.line + 1 if start else 0, f"not valid YAML: {problem}{where}")
            return None
        if not isinstance(content, dict):
            self._problem(1, "expected a mapping at the top")
            return None
        return content

    def _unique(self, item: dict[str, Any], key: str, seen: set[str], what: str) -> str | None:
        """The item's `key` (its code or id), reported when missing or already seen."""
        value = item.get(key)
        if not value:
            self._problem(_line(item), f"a {what} without «{key}»")
            return None
        if str(value) in seen:
            self._problem(_key_line(item, key), f"{what} {key} {value} appears twice")
        seen.add(str(value))
        return str(value)

    def _both_languages(self, item: Any, key: str, where: object) -> None:
        value = item.get(key) if isinstance(item, dict) else None
        if not isinstance(value, dict):
            self._problem(_key_line(where, key), f"«{key}» needs kk and ru")
            return
        missing = [lang for lang in LANGS if not str(value.get(lang) or "").strip()]
        if missing:
            self._problem(_key_line(where, key), f"«{key}» has no {'/'.join(missing)}")

    def _cited_numbers(self, facts: object) -> set[float] | None:
        """Every number of the FACTS rows cited, or None when FACTS.md is not here."""
        if self.facts is None or not isinstance(facts, list):
            return None
        cited: set[float] = set()
        for fact in facts:
            for value in numbers(self.facts.get(str(fact), "")):
                cited |= value
        return cited

    def _unknown_facts(self, facts: object, where: object) -> None:
        if self.facts is None or not isinstance(facts, list):
            return
        unknown = [str(fact) for fact in facts if str(fact) not in self.facts]
        if unknown:
            self._problem(_line(where), f"FACTS.md has no rows {', '.join(unknown)}")

    # Files --------------------------------------------------------------------------------
    def _regions(self, content: dict[str, Any]) -> set[str]:
        if not content.get("source"):
            self._problem(1, "no «source»")
        codes: set[str] = set()
        for item in content.get("regions") or []:
            if isinstance(item, dict):
                self._unique(item, "code", codes, "region")
                self._both_languages(item, "name", item)
        if not codes:
            self._problem(1, "no regions")
        return codes

    def _settlements(self, content: dict[str, Any], region_codes: set[str]) -> None:
        codes: set[str] = set()
        by_region = content.get("regions") or {}
        for region_code, region in by_region.items():
            if region_code not in region_codes:
                self._problem(
                    _key_line(by_region, region_code), f"unknown region code {region_code}"
                )
            for item in _settlement_items(region):
                code = self._unique(item, "code", codes, "settlement")
                missing = [lang for lang in LANGS if not str(item.get(lang) or "").strip()]
                if missing:
                    self._problem(_line(item), f"settlement {code} has no {'/'.join(missing)}")

    def _quotas(self, content: dict[str, Any], region_codes: set[str]) -> None:
        national = content.get("national")
        if not isinstance(national, dict):
            self._problem(1, "no «national» figures")
        else:
            self._both_languages(national, "source", national)
        by_region = content.get("regions") or {}
        for region_code, region in by_region.items():
            if region_code not in region_codes:
                self._problem(
                    _key_line(by_region, region_code), f"unknown region code {region_code}"
                )
            if not isinstance(region, dict):
                continue
            for kind in ("quotas", "queue"):
                for row in region.get(kind) or []:
                    self._quota_row(row, kind)

    def _quota_row(self, row: Any, kind: str) -> None:
        if not isinstance(row, dict):
            self._problem(0, f"a «{kind}» row is not a mapping")
            return
        figure_key, year_key = ("quotas", "year") if kind == "quotas" else ("count", "as_of")
        if not row.get("source"):
            self._problem(_line(row), "no «source»")
        if not row.get(year_key):
            self._problem(_line(row), f"no «{year_key}»")
        figure = row.get(figure_key)
        if not isinstance(figure, int) or figure < 0:
            self._problem(_line(row), f"«{figure_key}» must be a whole number")
            return
        self._unknown_facts(row.get("facts"), row)
        cited = self._cited_numbers(row.get("facts"))
        if cited is not None and float(figure) not in cited:
            self._problem(_line(row), f"{figure} is not in FACTS rows {row.get('facts')}")

    def _facilities(self, content: dict[str, Any], region_codes: set[str]) -> None:
        ids: set[str] = set()
        for item in content.get("facilities") or []:
            if not isinstance(item, dict):
                continue
            facility = self._unique(item, "id", ids, "facility")
            region = item.get("region")
            if region != "national" and region not in region_codes:
                self._problem(_key_line(item, "region"), f"unknown region code {region}")
            self._both_languages(item, "name", item)
            statuses = item.get("statuses") or []
            if not statuses:
                self._problem(_line(item), f"facility {facility} has no «statuses»")
            for status in statuses:
                if isinstance(status, dict) and not status.get("source"):
                    self._problem(_line(status) or _line(item), "a status without «source»")
                if isinstance(status, dict) and "as_of" not in status:
                    self._problem(_line(status) or _line(item), "a status without «as_of»")

    def _knowledge(self, content: dict[str, Any], entry_ids: set[str]) -> None:
        for entry in content.get("entries") or []:
            if not isinstance(entry, dict):
                continue
            entry_id = self._unique(entry, "id", entry_ids, "entry")
            self._both_languages(entry, "answer", entry)
            if entry.get("kind", "fact") != "fact":
                continue
            self._both_languages(entry, "source", entry)
            facts = entry.get("facts")
            if not facts:
                self._problem(_line(entry), f"entry {entry_id} cites no FACTS rows («facts»)")
            self._unknown_facts(facts, entry)
            cited = self._cited_numbers(facts)
            answer = entry.get("answer")
            if cited is None or not isinstance(answer, dict):
                continue
            for lang in LANGS:
                stray = [min(n) for n in numbers(str(answer.get(lang) or "")) if not n & cited]
                if stray:
                    shown = ", ".join(f"{value:g}" for value in stray)
                    self._problem(
                        _line(answer) or _line(entry),
                        f"entry {entry_id} ({lang}): {shown} not in FACTS rows {facts}",
                    )

    def _schedules(self) -> None:
        """Schedule CSVs through the parser staff uploads go through (codes, dates, services)."""
        parser = ScheduleParser(
            RegionDirectory.load(self.data_path / "regions.yaml"),
            SettlementDirectory.load(self.data_path / "settlements.yaml"),
        )
        for path in [self.data_path / "mobile_visits.csv", *self._example_schedules()]:
            self._file = str(path.relative_to(self.data_path))
            parsed = parser.parse(path.read_bytes(), allow_partial_dates=True)
            for error in parsed.errors:
                detail = f": {error.value}" if error.value else ""
                self._problem(error.line, f"{error.problem}{detail}")

    def _example_schedules(self) -> list[Path]:
        return sorted((self.data_path / "examples").glob("mobile_visits*.csv"))


def _settlement_items(region: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(region, dict):
        return
    yield from (item for item in region.get("settlements") or [] if isinstance(item, dict))
    for district in region.get("districts") or []:
        if isinstance(district, dict):
            yield from _settlement_items(district)


def check_data(data_path: Path, facts_path: Path | None = None) -> list[DataProblem]:
    """Every problem in `data_path`, sorted by file and line; empty when all is well."""
    return DataCheck(data_path, facts_path).run()
