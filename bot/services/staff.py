"""Who a staff member is and how far they reach: the one place the regional limit lives.

Administrators (STAFF_IDS) and members added without a region reach the whole country; a
member added with a region reaches only that region: its broadcasts, its waiting lists and
mobile-clinic schedules, its figures. The limit is read afresh on every call, so a region
given (or changed) by an administrator mid-dialog applies at the next step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.db.staff import StaffRepository


@dataclass(frozen=True, slots=True)
class StaffRole:
    user_id: int
    is_admin: bool
    # None: the whole country.
    region_code: str | None

    @property
    def is_regional(self) -> bool:
        return self.region_code is not None

    def reaches(self, region_code: str | None) -> bool:
        """May act on what concerns `region_code` (None: the whole country)."""
        return self.region_code is None or region_code == self.region_code

    def reaches_all(self, region_codes: Iterable[str]) -> bool:
        return all(self.reaches(code) for code in region_codes)

    def may_control(self, started_by: int, region_code: str | None) -> bool:
        """Pause, resume or stop a broadcast run: its author, or staff who reach its region."""
        return started_by == self.user_id or self.reaches(region_code)


class StaffRoles:
    """Reads a person's staff role: administrators from the settings, members from the DB."""

    def __init__(self, admin_ids: frozenset[int], members: StaffRepository) -> None:
        self._admin_ids = admin_ids
        self._members = members

    async def role(self, user_id: int) -> StaffRole | None:
        """The role of `user_id`, or None for anyone who is not staff."""
        if user_id in self._admin_ids:
            return StaffRole(user_id, is_admin=True, region_code=None)
        member = await self._members.get(user_id)
        if member is None:
            return None
        return StaffRole(user_id, is_admin=False, region_code=member.region_code)
