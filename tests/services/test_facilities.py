"""The facility data (every FACTS.md C row, sourced and dated) and the facility search."""

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.services.facilities import NATIONAL, FacilityDirectory, FacilityType, Status
from bot.services.ivf_quotas import IvfQuotaTable
from bot.services.my_region import MobileStop, RegionSummaries
from bot.services.regions import RegionDirectory

DATA = Path(__file__).resolve().parents[2] / "data"
# Section C of FACTS.md, written out so the test stands alone; checked against the sheet when
# the shared fact sheet is present next to the repository.
FACTS_C_ROWS = (
    [f"C1.{n}" for n in range(1, 8)]
    + [f"C2.{n}" for n in range(1, 5)]
    + [f"C3.{n}" for n in range(1, 6)]
    + [f"C4.{n}" for n in range(1, 8)]
)
FACTS_CANDIDATES = [
    parent / "shared" / "domain" / "FACTS.md" for parent in Path(__file__).resolve().parents
]
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def regions() -> RegionDirectory:
    return RegionDirectory.load(DATA / "regions.yaml")


@pytest.fixture(scope="module")
def directory(regions: RegionDirectory) -> FacilityDirectory:
    return FacilityDirectory.load(DATA / "facilities.yaml", regions)


def test_every_facility_has_type_region_dated_sourced_status_and_both_languages(
    directory: FacilityDirectory, regions: RegionDirectory
) -> None:
    codes = {region.code for region in regions.all()} | {NATIONAL}
    for facility in directory.all():
        assert facility.region_code in codes, facility.id
        assert isinstance(facility.type, FacilityType)
        for text in (facility.name, facility.city, facility.offers):
            assert text.kk.strip() and text.ru.strip(), facility.id
        assert facility.name.kk != facility.name.ru, f"{facility.id}: not translated"
        assert facility.offers.kk != facility.offers.ru, f"{facility.id}: not translated"
        assert facility.statuses, facility.id
        assert facility.latest.as_of is not None, f"{facility.id}: latest status has no date"
        for statement in facility.statuses:
            assert isinstance(statement.status, Status)
            assert statement.as_of is None or DATE.match(statement.as_of), facility.id
            assert statement.source.kk and statement.source.ru and statement.ref, facility.id
            assert set(statement.facts) <= set(FACTS_C_ROWS), facility.id
        assert set(facility.facts) <= set(FACTS_C_ROWS), facility.id


def test_statuses_are_listed_oldest_first(directory: FacilityDirectory) -> None:
    for facility in directory.all():
        years = [s.as_of[:4] for s in facility.statuses if s.as_of is not None]
        assert years == sorted(years), facility.id
        undated = [s.as_of is None for s in facility.statuses]
        assert undated == sorted(undated, reverse=True), f"{facility.id}: undated must go first"


def test_current_status_follows_the_latest_source(directory: FacilityDirectory) -> None:
    kyzylorda = directory.get("pet_kyzylorda")
    assert kyzylorda is not None and kyzylorda.latest.status is Status.OPEN
    karaganda = directory.get("uni_karaganda")
    assert karaganda is not None and karaganda.latest.as_of == "2024-06-11"


def test_disagreeing_sources_keep_several_dated_statements(directory: FacilityDirectory) -> None:
    for facility in directory.all():
        if facility.disagreement is not None:
            dates = {statement.as_of for statement in facility.statuses}
            assert len(dates) >= 2 or facility.figures is not None, facility.id


def test_every_facts_c_row_is_covered(directory: FacilityDirectory) -> None:
    covered = {fact for facility in directory.all() for fact in facility.facts}
    covered |= {fact for f in directory.all() for s in f.statuses for fact in s.facts}
    assert set(FACTS_C_ROWS) <= covered


def test_facts_c_rows_match_the_fact_sheet() -> None:
    sheet = next((path for path in FACTS_CANDIDATES if path.exists()), None)
    if sheet is None:
        pytest.skip("the shared FACTS.md is not next to this checkout")
    rows = re.findall(r"^\| (C\d\.\d) \|", sheet.read_text(encoding="utf-8"), re.MULTILINE)
    assert rows == FACTS_C_ROWS


def test_twelve_planned_perinatal_cities_and_astana_two_are_present(
    directory: FacilityDirectory,
) -> None:
    cities = {f.city.ru.split(",")[0] for f in directory.by_type(FacilityType.PERINATAL)}
    for city in (
        "Астана",
        "Алматы",
        "Шымкент",
        "Караганда",
        "Костанай",
        "Атырау",
        "Жезказган",
        "Кызылорда",
        "Тараз",
        "Уральск",
        "Каскелен",
        "Сарыагаш",
    ):
        assert city in cities
    assert sum(f.region_code == "astana" for f in directory.by_type(FacilityType.PERINATAL)) == 2


def test_raw_statuses_use_only_known_values() -> None:
    raw = yaml.safe_load((DATA / "facilities.yaml").read_text(encoding="utf-8"))
    values = {s["status"] for item in raw["facilities"] for s in item["statuses"]}
    assert values <= {status.value for status in Status}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Когда откроется перинатальный центр в Шымкенте?", ["per_shymkent2"]),
        ("перинатальный центр в шымкенте", ["per_shymkent2"]),
        ("Будет ли перинатальный центр в Жезказгане?", ["per_zhezkazgan"]),
        ("Темірлан ауылындағы перинаталдық орталық неше орындық болады?", ["per_temirlan"]),
        ("Темирлан перинаталдык орталык", ["per_temirlan"]),
        ("Сарыагаштагы перзентхана", ["per_saryagash"]),
        ("Қызылордада жаңа перзентхана салына ма?", ["per_kyzylorda"]),
        ("Kyzylordada zhana perinataldyq ortalyq bar ma", ["per_kyzylorda"]),
        ("Qaskelende perinataldyq ortalyq", ["per_kaskelen"]),
        ("роддом в Каскелене", ["per_kaskelen"]),
        ("Протонная терапия платная или по страховке?", ["onco_astana"]),
        ("protonnaya terapiya gde", ["onco_astana"]),
        ("Есть ли ПЭТ/КТ в Актау?", ["pet_aktau"]),
        ("PET KT Aktau", ["pet_aktau"]),
        ("ПЭТ-КТ Кызылорда", ["pet_kyzylorda"]),
        ("ядерная медицина Усть-Каменогорск", ["nuc_oskemen"]),
        ("Сколько районных больниц модернизируют по нацпроекту?", ["hosp_32"]),
        ("аудандық аурухана Павлодар", ["hosp_32"]),
        ("университетская клиника в Семее", ["uni_semey"]),
        ("университеттік клиника Ақтөбе", ["uni_aktobe"]),
        ("Перинатальный центр Нур-Султан", ["per_astana1", "per_astana2"]),
    ],
)
def test_search_finds_the_facility_in_any_script(
    directory: FacilityDirectory, question: str, expected: list[str]
) -> None:
    assert directory.is_facility_question(question)
    assert [f.id for f in directory.search(question).facilities] == expected


@pytest.mark.parametrize(
    "question",
    [
        "Ақтөбедегі облыстық перинаталдық орталықта жылына қанша ЭКО жасалады?",
        "Сколько квот на ЭКО в перинатальном центре?",
        "Когда приедет передвижной комплекс в Петропавловск",
        "Петропавл больница",
        "",
        "   ",
        "!!!",
        "мне 32 года",
    ],
)
def test_other_questions_are_not_facility_questions(
    directory: FacilityDirectory, question: str
) -> None:
    assert not directory.is_facility_question(question)


def test_type_missing_in_a_region_returns_no_facilities_but_the_place(
    directory: FacilityDirectory,
) -> None:
    result = directory.search("ПЭТ/КТ в Павлодаре")
    assert not result.found
    assert result.region is not None and result.region.code == "pavlodar"
    assert result.types == (FacilityType.NUCLEAR_MEDICINE,)


def test_old_names_win_over_fuzzy_current_names(directory: FacilityDirectory) -> None:
    region = directory.find_region(
        "Оңтүстік Қазақстан облысы", directory.renamed_places("Оңтүстік Қазақстан облысы")
    )
    assert region is not None and region.code == "turkistan"


class FakeStops:
    async def upcoming_stops(self, region_code: str, today: date) -> list[MobileStop]:
        if region_code != "pavlodar":
            return []
        return [MobileStop("Шідерті", "Шидерты", date(2026, 8, 27), date(2026, 8, 29), "W49")]


async def test_region_summary_combines_quotas_facilities_and_the_mobile_hook(
    regions: RegionDirectory, directory: FacilityDirectory
) -> None:
    quotas = IvfQuotaTable.load(DATA / "ivf_quotas.yaml")
    without = RegionSummaries(regions, directory, quotas)
    summary = await without.summary("almaty", date(2026, 11, 23))
    assert summary is not None
    assert summary.is_city and summary.mobile_stops is None
    assert [q.quotas for q in summary.quotas.quotas] == [130, 800]
    assert {f.id for f in summary.facilities} == {"per_almaty", "uni_almaty", "onco_kazior"}
    assert [f.id for f in summary.national_programmes] == ["hosp_32"]
    assert await without.summary("atlantis", date(2026, 11, 23)) is None

    plugged = RegionSummaries(regions, directory, quotas, mobile_stops=FakeStops())
    pavlodar = await plugged.summary("pavlodar", date(2026, 8, 1))
    assert pavlodar is not None and not pavlodar.facilities
    assert [stop.place("ru") for stop in pavlodar.mobile_stops or ()] == ["Шидерты"]


@pytest.mark.parametrize(
    ("typed", "code", "renamed"),
    [
        ("Nur-Sultan", "astana", True),
        ("Талдықорған", "zhetisu", True),
        ("ЮКО", "turkistan", True),
        ("Shymkent", "shymkent", False),
        ("Караганды", "karaganda", False),
    ],
)
def test_region_match_notes_old_names(
    regions: RegionDirectory, directory: FacilityDirectory, typed: str, code: str, renamed: bool
) -> None:
    summaries = RegionSummaries(regions, directory, IvfQuotaTable.load(DATA / "ivf_quotas.yaml"))
    match = summaries.find(typed)
    assert match is not None and match.region.code == code
    assert bool(match.renamed) is renamed


def test_unknown_region_text_is_not_matched(
    regions: RegionDirectory, directory: FacilityDirectory
) -> None:
    summaries = RegionSummaries(regions, directory, IvfQuotaTable.load(DATA / "ivf_quotas.yaml"))
    assert summaries.find("где-то далеко") is None
