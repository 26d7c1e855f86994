"""«Ask a person»: tickets from citizens to their region's health department, and answer votes.

The rules live here: who may read, answer and close a ticket (staff of its region and staff who
reach the whole country, checked on every reply and every button press), who is told of a new
ticket, when a waiting ticket is reminded, what /forget and the retention setting remove.
"""

from __future__ import annotations

import statistics
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.db.staff import StaffRepository
from bot.db.tickets import (
    Author,
    EntryVotes,
    ShownTicket,
    Ticket,
    TicketMessage,
    TicketRepository,
)
from bot.services.personal_data import redact_personal_data
from bot.services.pii_hash import PiiHasher
from bot.services.staff import StaffRole, StaffRoles

KAZAKHSTAN = ZoneInfo("Asia/Almaty")
# The promise to citizens: an answer usually within two working days; staff are
# reminded once when a ticket waits longer.
ANSWER_WORKING_DAYS = 2
# Telegram allows 4,096 characters in a message; a ticket message adds a header to the text.
TEXT_LIMIT = 3000
RECENT_QUESTIONS = 10_000
STATS_DAYS = 30
UNHELPFUL_LIMIT = 10
SATURDAY = 5


def working_deadline(opened: datetime, days: int = ANSWER_WORKING_DAYS) -> datetime:
    """The moment `days` working days (Monday to Friday, Kazakhstan time) after `opened`.

    A ticket opened at the weekend starts counting on Monday morning. Public holidays are not
    known to the bot and count as working days.
    """
    local = opened.astimezone(KAZAKHSTAN)
    if local.weekday() >= SATURDAY:
        local = (local + timedelta(days=7 - local.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    remaining = days
    while remaining:
        local += timedelta(days=1)
        if local.weekday() < SATURDAY:
            remaining -= 1
    return local


def has_visible_text(text: str) -> bool:
    """Whether a message shows anything: not only spaces and invisible characters (zero-width
    spaces and joiners, the BOM), which would reach staff as an empty question."""
    return any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text)


def clean_text(text: str) -> str:
    """What is kept and shown to staff: personal data masked, at most TEXT_LIMIT characters."""
    masked = redact_personal_data(text.strip())
    return masked if len(masked) <= TEXT_LIMIT else masked[: TEXT_LIMIT - 1] + "…"


class RegionSetter(Protocol):
    """Saves a citizen's region (the users repository): a ticket goes to that region."""

    async def set_region(self, user_id: int, region_code: str | None) -> None: ...


@dataclass(frozen=True, slots=True)
class RecentQuestion:
    text: str  # masked
    entry_id: str | None


@dataclass(frozen=True, slots=True)
class Submission:
    ticket: Ticket
    is_new: bool
    text: str  # as kept: masked


@dataclass(frozen=True, slots=True)
class WaitingTicket:
    ticket: Ticket
    question: str  # the citizen's first message, masked ("" once its text is gone)


@dataclass(frozen=True, slots=True)
class RegionTickets:
    region_code: str | None
    opened: int
    answered: int
    median_answer_seconds: float | None


@dataclass(frozen=True, slots=True)
class TicketStats:
    days: int
    regions: tuple[RegionTickets, ...]
    unhelpful: tuple[EntryVotes, ...]


@dataclass(eq=False)
class TicketService:
    """Tickets and votes; knows nothing of Telegram (messages are sent by the handlers).

    A dataclass: it holds its dependencies and the in-memory recent questions, nothing more."""

    repository: TicketRepository
    staff_roles: StaffRoles
    staff_members: StaffRepository
    pii_hasher: PiiHasher
    _: KW_ONLY
    admin_ids: frozenset[int]
    staff_chat_id: int | None = None
    # The staff group is a forum: each ticket gets a topic of its own (with staff_chat_id only).
    staff_chat_topics: bool = False
    clock: Callable[[], float] = time.time
    # The question a citizen asked last, so «Ask a person» under the answer can send it; None
    # once it has been sent. Kept in memory only (masked): after a restart the citizen types it
    # again.
    _recent: OrderedDict[int, RecentQuestion | None] = field(
        default_factory=OrderedDict, init=False, repr=False
    )

    # Citizens ---------------------------------------------------------------------------
    def remember_question(self, user_id: int, text: str, entry_id: str | None) -> None:
        self._recent[user_id] = RecentQuestion(clean_text(text), entry_id)
        self._recent.move_to_end(user_id)
        while len(self._recent) > RECENT_QUESTIONS:
            self._recent.popitem(last=False)

    def recent_question(self, user_id: int) -> RecentQuestion | None:
        return self._recent.get(user_id)

    def take_recent_question(self, user_id: int) -> RecentQuestion | None:
        """The question just asked, once: a second tap on «Send» finds nothing to send."""
        question = self._recent.get(user_id)
        self._mark_sent(user_id)
        return question

    def recent_question_lost(self, user_id: int) -> bool:
        """Whether the question offered for sending is gone without being sent (a restart)."""
        return user_id not in self._recent

    def _mark_sent(self, user_id: int) -> None:
        if user_id in self._recent:
            self._recent[user_id] = None

    def forget_recent_question(self, user_id: int) -> None:
        self._recent.pop(user_id, None)

    async def open_ticket_of(self, user_id: int) -> Ticket | None:
        return await self.repository.open_ticket_of(user_id)

    async def tickets_of(self, user_id: int, limit: int = 10) -> list[Ticket]:
        return await self.repository.tickets_of(user_id, limit)

    async def submit(
        self,
        user_id: int,
        language: str,
        region_code: str | None,
        text: str,
        entry_id: str | None = None,
    ) -> Submission:
        """Open a ticket, or add the message to the citizen's open one."""
        kept = clean_text(text)
        ticket, is_new = await self.repository.create_or_add(
            user_id,
            language=language,
            region_code=region_code,
            entry_id=entry_id,
            text=kept,
            now=self.clock(),
        )
        self._mark_sent(user_id)
        return Submission(ticket, is_new, kept)

    async def close_by_citizen(self, ticket_id: int, user_id: int) -> Ticket | None:
        """The citizen's own open ticket, now closed; None for anyone else's or one closed."""
        ticket = await self.repository.get(ticket_id)
        if ticket is None or ticket.user_id != user_id:
            return None
        if not await self.repository.close(ticket_id, "citizen", self.clock()):
            return None
        return ticket

    async def rate(self, ticket_id: int, user_id: int, helped: bool) -> bool:
        return await self.repository.rate(ticket_id, user_id, 1 if helped else -1)

    async def vote(self, entry_id: str, user_id: int, helpful: bool) -> None:
        """One vote per person per answer, changeable; the voter is kept as a keyed hash."""
        voter = self.pii_hasher.asker(user_id)
        await self.repository.vote(entry_id, voter, helpful, self.clock())

    async def forget(self, user_id: int) -> None:
        """/forget: the citizen's tickets lose their texts and their link; votes their voter."""
        self.forget_recent_question(user_id)
        voter = self.pii_hasher.asker(user_id)
        await self.repository.forget_user(user_id, voter, self.clock())

    # Staff ------------------------------------------------------------------------------
    async def recipients(self, region_code: str | None) -> list[int]:
        """Chats told of a ticket: the staff group when set, else administrators and members
        who reach the region."""
        if self.staff_chat_id is not None:
            return [self.staff_chat_id]
        members = await self.staff_members.all()
        reaching = [
            m.user_id for m in members if m.region_code is None or m.region_code == region_code
        ]
        return list(dict.fromkeys([*sorted(self.admin_ids), *reaching]))

    async def role_reaching(self, user_id: int, ticket: Ticket) -> StaffRole | None:
        """The role of `user_id` if they may read, answer and close `ticket`, else None."""
        role = await self.staff_roles.role(user_id)
        if role is None or not role.reaches(ticket.region_code):
            return None
        return role

    async def role(self, user_id: int) -> StaffRole | None:
        return await self.staff_roles.role(user_id)

    async def remember_shown(
        self, ticket_id: int, chat_id: int, message_id: int, *, to_citizen: bool = False
    ) -> None:
        """A message in `chat_id` shows the ticket: a staff reply to it answers this ticket,
        its citizen's reply to it (`to_citizen`) adds to it."""
        await self.repository.remember_chat_message(
            ticket_id, chat_id, message_id, to_citizen=to_citizen
        )

    async def set_staff_topic(self, ticket: Ticket, topic_id: int) -> None:
        """The ticket's topic in the staff forum: anything written in it answers the ticket
        (in a topic every message replies to the topic's first message, whose id it bears)."""
        assert self.staff_chat_id is not None
        await self.repository.set_staff_topic(ticket.id, topic_id)
        await self.repository.remember_chat_message(ticket.id, self.staff_chat_id, topic_id)

    async def ticket_shown_in(self, chat_id: int, message_id: int) -> ShownTicket | None:
        return await self.repository.ticket_shown_in(chat_id, message_id)

    async def get(self, ticket_id: int) -> Ticket | None:
        return await self.repository.get(ticket_id)

    async def messages(self, ticket_id: int) -> list[TicketMessage]:
        return await self.repository.messages(ticket_id)

    async def first_question(self, ticket_id: int) -> str:
        """The citizen's first message (masked), or "" once texts are gone."""
        messages = await self.repository.messages(ticket_id)
        return next((m.text for m in messages if m.author is Author.CITIZEN), "")

    async def answer(self, ticket_id: int, staff_id: int, text: str) -> Ticket | None:
        """Record a staff answer (masked); None when the ticket was closed meanwhile."""
        if not await self.repository.add_staff_answer(
            ticket_id, staff_id, clean_text(text), self.clock()
        ):
            return None
        return await self.repository.get(ticket_id)

    async def close_by_staff(self, ticket: Ticket) -> bool:
        return await self.repository.close(ticket.id, "staff", self.clock())

    async def close_blocked(self, ticket: Ticket) -> bool:
        """The citizen blocked the bot: nobody can answer them any more."""
        return await self.repository.close(ticket.id, "blocked", self.clock())

    async def waiting_for(self, role: StaffRole, limit: int = 30) -> list[WaitingTicket]:
        """Open tickets the member may answer, oldest first, each with its question."""
        return [
            WaitingTicket(ticket, await self.first_question(ticket.id))
            for ticket in await self.repository.waiting(role.region_code, limit)
        ]

    # Background -------------------------------------------------------------------------
    async def due_reminders(self, now: float) -> list[Ticket]:
        """Unanswered tickets past their two working days, not reminded yet."""
        # No ticket is due before two calendar days; the exact deadline is checked per ticket.
        candidates = await self.repository.unanswered_unreminded(now - 2 * 86_400)
        moment = datetime.fromtimestamp(now, KAZAKHSTAN)
        return [
            ticket
            for ticket in candidates
            if working_deadline(datetime.fromtimestamp(ticket.opened_at, KAZAKHSTAN)) < moment
        ]

    async def mark_reminded(self, ticket: Ticket, now: float) -> bool:
        return await self.repository.mark_reminded(ticket.id, now)

    async def expire(self, retention_days: int, now: float) -> int:
        """Ticket texts follow the retention of unanswered questions."""
        return await self.repository.expire_texts(now - retention_days * 86_400, now)

    async def stats(self, region_code: str | None, days: int = STATS_DAYS) -> TicketStats:
        """Tickets opened, answered and the median time to answer by region; most-👎 answers."""
        rows = await self.repository.by_region(region_code, self.clock() - days * 86_400)
        return TicketStats(
            days=days,
            regions=tuple(
                RegionTickets(
                    region_code=row.region_code,
                    opened=row.opened,
                    answered=row.answered,
                    median_answer_seconds=(
                        statistics.median(row.answer_seconds) if row.answer_seconds else None
                    ),
                )
                for row in rows
            ),
            unhelpful=tuple(await self.repository.most_unhelpful(UNHELPFUL_LIMIT)),
        )
