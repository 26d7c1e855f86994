"""Who a staff member is and how far they reach: the one place the regional limit lives;
the staff list (`/staff`) and the figures staff see (`/stats`).

Administrators (STAFF_IDS) and members added without a region reach the whole country; a
member added with a region reaches only that region: its broadcasts, its waiting lists and
mobile-clinic schedules, its figures. The limit is read afresh on every call, so a region
given (or changed) by an administrator mid-dialog applies at the next step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.db.staff import StaffRepository
from bot.db.stats import StatsRepository
from bot.services.regions import Region, RegionDirectory
from bot.services.subscriptions import SubscriptionService, Topic

if TYPE_CHECKING:  # bot/services/tickets.py imports this module for the roles
    from bot.services.tickets import TicketStats


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

    async def region_limit(self, user_id: int) -> str | None:
        """The region a staff member is limited to; None for the whole country."""
        role = await self.role(user_id)
        return role.region_code if role is not None else None

    async def check_audience(self, user_id: int, region_code: str | None) -> AudienceCheck:
        """May `user_id` address `region_code` now? A regional member speaks to their region
        only; the limit may have been set while they were composing."""
        role = await self.role(user_id)
        if role is not None and role.reaches(region_code):
            return AudienceCheck(allowed=True, limited_to=role.region_code)
        return AudienceCheck(allowed=False, limited_to=role.region_code if role else None)


@dataclass(frozen=True, slots=True)
class AudienceCheck:
    allowed: bool
    # The region the member may address instead (None: the whole country).
    limited_to: str | None


# /staff ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StaffListing:
    """`/staff` with no arguments: administrators, then members with their region."""

    admin_ids: tuple[int, ...]
    members: tuple[tuple[int, Region | None], ...]


@dataclass(frozen=True, slots=True)
class StaffUsage:
    """Arguments that are not `add ID [region]` or `remove ID`."""


@dataclass(frozen=True, slots=True)
class StaffAdded:
    user_id: int
    region: Region | None


@dataclass(frozen=True, slots=True)
class StaffRemoved:
    user_id: int
    # False: they were not a member.
    removed: bool


@dataclass(frozen=True, slots=True)
class UnknownRegion:
    text: str


StaffCommandOutcome = StaffListing | StaffUsage | StaffAdded | StaffRemoved | UnknownRegion


@dataclass(frozen=True, slots=True)
class StaffCommand:
    action: str  # "list", "add", "remove", "usage"
    user_id: int = 0
    region_text: str | None = None


def parse_staff_command(args: str | None) -> StaffCommand:
    """`/staff`, `/staff add ID [region words]`, `/staff remove ID`; anything else: usage."""
    words = (args or "").split(maxsplit=2)
    if not words:
        return StaffCommand("list")
    if len(words) < 2 or words[0] not in ("add", "remove") or not words[1].isdigit():
        return StaffCommand("usage")
    region_text = words[2] if len(words) > 2 and words[0] == "add" else None
    return StaffCommand(words[0], int(words[1]), region_text)


class StaffAdministration:
    """What administrators do with `/staff`: list, add (optionally limited to a region), remove."""

    def __init__(
        self, admin_ids: frozenset[int], members: StaffRepository, regions: RegionDirectory
    ) -> None:
        self._admin_ids = admin_ids
        self._members = members
        self._regions = regions

    async def run(self, args: str | None, by: int, now: datetime) -> StaffCommandOutcome:
        command = parse_staff_command(args)
        if command.action == "list":
            return await self.listing()
        if command.action == "usage":
            return StaffUsage()
        if command.action == "remove":
            return StaffRemoved(command.user_id, await self._members.remove(command.user_id))
        region = self._regions.find(command.region_text) if command.region_text else None
        if command.region_text and region is None:
            return UnknownRegion(command.region_text)
        await self._members.add(command.user_id, region.code if region else None, by, now)
        return StaffAdded(command.user_id, region)

    async def listing(self) -> StaffListing:
        members = tuple(
            (member.user_id, self._regions.get(member.region_code) if member.region_code else None)
            for member in await self._members.all()
        )
        return StaffListing(tuple(sorted(self._admin_ids)), members)


# /stats ---------------------------------------------------------------------------------------
UNANSWERED_DAYS = 7
UNANSWERED_LIMIT = 10


class UnansweredQuestions(Protocol):
    """What the knowledge base's question log offers (`bot/db/questions.py`)."""

    async def most_common_unanswered(self, days: int, limit: int) -> list[tuple[str, int]]: ...


class TicketFigures(Protocol):
    """What the tickets service offers /stats (`bot/services/tickets.py`)."""

    async def stats(self, region_code: str | None) -> TicketStats: ...


@dataclass(frozen=True, slots=True)
class StaffFigures:
    """The figures `/stats` shows, already limited to the member's region."""

    users_by_language: dict[str, int]
    # In descending order of users; None: people who have not named a region.
    users_by_region: list[tuple[Region | None, int]]
    subscribers_by_topic: dict[Topic, int]
    # Questions to specialists («Ask a person») and the answers rated «👎».
    tickets: TicketStats
    # None: not shown (a regional member; the questions are national figures).
    unanswered: list[tuple[str, int]] | None

    @property
    def users(self) -> int:
        return sum(self.users_by_language.values())


@dataclass(frozen=True, slots=True)
class StaffStatistics:
    """The figures of `/stats`, limited to the region of a regional member."""

    roles: StaffRoles
    stats: StatsRepository
    subscriptions: SubscriptionService
    regions: RegionDirectory
    default_locale: str
    tickets: TicketFigures

    async def figures(
        self, user_id: int, question_log: UnansweredQuestions | None = None
    ) -> StaffFigures:
        """What `user_id` may see; the unanswered questions come from `question_log`."""
        region_code = await self.roles.region_limit(user_id)
        by_language = await self.stats.users_by_language(self.default_locale, region_code)
        by_region = [
            (self.regions.get(code) if code else None, count)
            for code, count in (await self.stats.users_by_region(region_code)).items()
        ]
        unanswered = None
        # Unanswered questions are kept with no user and no region: they are national figures.
        if question_log is not None and region_code is None:
            unanswered = await question_log.most_common_unanswered(
                UNANSWERED_DAYS, UNANSWERED_LIMIT
            )
        return StaffFigures(
            users_by_language=by_language,
            users_by_region=by_region,
            subscribers_by_topic=await self.subscriptions.count_by_topic(region_code),
            tickets=await self.tickets.stats(region_code),
            unanswered=unanswered,
        )
