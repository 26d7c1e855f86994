from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.db.staff import StaffRepository
from bot.services.staff import StaffRole, StaffRoles
from bot.views.core import plain_excerpt

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
