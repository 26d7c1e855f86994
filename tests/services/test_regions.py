from pathlib import Path

import pytest

from bot.services.regions import RegionDirectory

DATA = Path(__file__).resolve().parents[2] / "data" / "regions.yaml"


@pytest.fixture(scope="module")
def regions() -> RegionDirectory:
    return RegionDirectory.load(DATA)


def test_there_are_17_regions_and_3_cities(regions: RegionDirectory) -> None:
    kinds = [region.kind for region in regions.all()]
    assert kinds.count("region") == 17
    assert kinds.count("city") == 3


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Алматы", "almaty"),
        ("Алматы облысы", "almaty_region"),
        ("Алматинская обл", "almaty_region"),
        ("в Шымкенте", "shymkent"),
        ("Шымкентте", "shymkent"),
        ("Nur-Sultan", "astana"),
        ("Астанада", "astana"),
        ("Караганды", "karaganda"),
        ("kyzylorda", "kyzylorda"),
        ("Qyzylorda oblysy", "kyzylorda"),
        ("ЮКО", "turkistan"),
        ("Оңтүстік Қазақстан облысы", "turkistan"),
        ("Южно-Казахстанская область", "turkistan"),
        ("Солтүстік Қазақстан облысы", "north_kazakhstan"),
        ("Taldykorgan", "zhetisu"),
        ("Туркестанской области", "turkistan"),
        ("Оскемен", "east_kazakhstan"),
        ("Усть-Каменогорск", "east_kazakhstan"),
        ("Мангистауской", "mangystau"),
        ("Костанайской области", "kostanay"),
        ("Ақтөбе", "aktobe"),
        ("Жезказган", "ulytau"),
        ("Семей", "abai"),
    ],
)
def test_finds_a_region_in_any_script(regions: RegionDirectory, typed: str, code: str) -> None:
    found = regions.find(typed)
    assert found is not None
    assert found.code == code


@pytest.mark.parametrize("typed", ["эко", "когда приедет", "", "12345", "🙂"])
def test_finds_nothing_where_no_region_is_named(regions: RegionDirectory, typed: str) -> None:
    assert regions.find(typed) is None


def test_a_long_paragraph_is_read_up_to_its_first_words(regions: RegionDirectory) -> None:
    # Telegram's longest message typed into a region step: the region named near its start.
    filler = " ".join(f"сөз{index}" for index in range(400))
    found = regions.find(("Мен Қызылорда облысынанмын. " + filler)[:4096])
    assert found is not None and found.code == "kyzylorda"
