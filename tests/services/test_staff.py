from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.db.staff import StaffRepository
from bot.services.regions import RegionDirectory
from bot.services.staff import (
    AudienceCheck,
    StaffAdded,
    StaffAdministration,
    StaffCommand,
    StaffListing,
    StaffRemoved,
    StaffRole,
    StaffRoles,
    StaffUsage,
    UnknownRegion,
    parse_staff_command,
)
from bot.views.core import plain_excerpt

REGIONS_FILE = Path(__file__).resolve().parents[2] / "data" / "regions.yaml"
ADMIN = StaffRole(1, is_admin=True, region_code=None)
NATIONAL = StaffRole(2, is_admin=False, region_code=None)
ABAI = StaffRole(3, is_admin=False, region_code="abai")


@pytest.mark.parametrize(
    ("role", "region", "expected"),
    [
        (ADMIN, "almaty", True),
        (ADMIN, None, True),
        (NATIONAL, "almaty", True),
        (ABAI, "abai", True),
        (ABAI, "almaty", False),
        (ABAI, None, False),  # a national broadcast is not Abai's
    ],
)
def test_a_regional_member_reaches_only_their_region(
    role: StaffRole, region: str | None, expected: bool
) -> None:
    assert role.reaches(region) is expected


def test_a_regional_member_imports_only_files_of_their_region() -> None:
    assert ABAI.reaches_all(["abai"])
    assert not ABAI.reaches_all(["abai", "almaty"])
    assert ADMIN.reaches_all(["abai", "almaty"])


@pytest.mark.parametrize(
    ("started_by", "region", "expected"),
    [(3, "almaty", True), (1, None, False), (1, "almaty", False), (1, "abai", True)],
)
def test_runs_are_controlled_by_their_author_or_staff_of_their_region(
    started_by: int, region: str | None, expected: bool
) -> None:
    assert ABAI.may_control(started_by, region) is expected


async def test_roles_read_the_limit_afresh(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    members = StaffRepository(db)
    roles = StaffRoles(frozenset({1}), members)
    assert await roles.role(1) == ADMIN
    assert await roles.role(3) is None
    await members.add(3, None, 1, datetime.now(UTC))
    assert await roles.role(3) == StaffRole(3, is_admin=False, region_code=None)
    await members.add(3, "abai", 1, datetime.now(UTC))
    assert await roles.role(3) == ABAI
    await db.close()


@pytest.mark.parametrize(
    ("html_text", "expected"),
    [
        ("Жаңа <b>квоталар</b>", "Жаңа квоталар"),
        ('<a href="https://egov.kz">eGov</a> &amp; 1414', "eGov & 1414"),
        ("ы" * 8 + "<i>x</i>", "ыыыыы…"),
        ("&lt;script&gt;", "<script>"),  # shown escaped again by the caller
    ],
)
def test_excerpt_is_cut_on_visible_text(html_text: str, expected: str) -> None:
    assert plain_excerpt(html_text, 6 if "x" in html_text else 200) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (None, StaffCommand("list")),
        ("", StaffCommand("list")),
        ("add 42", StaffCommand("add", 42)),
        ("add 42 Абай облысы", StaffCommand("add", 42, "Абай облысы")),
        ("remove 42", StaffCommand("remove", 42)),
        ("remove 42 abai", StaffCommand("remove", 42)),  # a region means nothing to remove
        ("add", StaffCommand("usage")),
        ("add @someone", StaffCommand("usage")),
        ("delete 42", StaffCommand("usage")),
        ("42", StaffCommand("usage")),
    ],
)
def test_staff_command_arguments(args: str | None, expected: StaffCommand) -> None:
    assert parse_staff_command(args) == expected


async def test_administration_adds_limits_and_removes_members(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    regions = RegionDirectory.load(REGIONS_FILE)
    administration = StaffAdministration(frozenset({9, 1}), StaffRepository(db), regions)
    now = datetime.now(UTC)
    assert await administration.run(None, by=1, now=now) == StaffListing((1, 9), ())
    added = await administration.run("add 3 Абай облысы", by=1, now=now)
    assert isinstance(added, StaffAdded) and added.region is not None
    assert added.region.code == "abai"
    assert await administration.run("add 4 Атлантида", by=1, now=now) == UnknownRegion("Атлантида")
    listing = await administration.run("", by=1, now=now)
    assert isinstance(listing, StaffListing) and [m[0] for m in listing.members] == [3]
    assert await administration.run("remove 3", by=1, now=now) == StaffRemoved(3, removed=True)
    assert await administration.run("remove 3", by=1, now=now) == StaffRemoved(3, removed=False)
    assert await administration.run("promote 3", by=1, now=now) == StaffUsage()
    await db.close()


async def test_region_limit_and_audience_check(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    members = StaffRepository(db)
    roles = StaffRoles(frozenset({1}), members)
    await members.add(3, "abai", 1, datetime.now(UTC))
    assert await roles.region_limit(1) is None
    assert await roles.region_limit(3) == "abai"
    assert await roles.check_audience(3, "abai") == AudienceCheck(True, "abai")
    assert await roles.check_audience(3, None) == AudienceCheck(False, "abai")
    assert await roles.check_audience(1, "almaty") == AudienceCheck(True, None)
    # Someone who is no longer staff may address nobody.
    assert await roles.check_audience(8, None) == AudienceCheck(False, None)
    await db.close()
