"""Tickets («Ask a person»), their messages, the Telegram messages that show them, answer votes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import aiosqlite

from bot.db.database import Repository, columns_of, record_from_row


class TicketStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Author(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    user_id: int | None
    language: str
    region_code: str | None
    entry_id: str | None
    status: TicketStatus
    opened_at: float
    first_answered_at: float | None
    last_activity_at: float
    closed_at: float | None
    reminded_at: float | None
    rating: int | None
    staff_topic_id: int | None

    @property
    def is_closed(self) -> bool:
        return self.status is TicketStatus.CLOSED


@dataclass(frozen=True, slots=True)
class ShownTicket:
    """A ticket as a Telegram message shows it: to its citizen (an answer) or to staff."""

    ticket: Ticket
    to_citizen: bool


@dataclass(frozen=True, slots=True)
class TicketMessage:
    author: Author
    text: str
    sent_at: float


@dataclass(frozen=True, slots=True)
class RegionTicketRow:
    region_code: str | None
    opened: int
    answered: int
    answer_seconds: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class EntryVotes:
    entry_id: str
    helpful: int
    unhelpful: int


_TICKET_COLUMNS = columns_of(Ticket)


def _ticket(row: aiosqlite.Row) -> Ticket:
    return record_from_row(Ticket, row, status=TicketStatus)


class TicketRepository(Repository):
    """All SQL of the tickets feature; every write commits whole or not at all."""

    async def get(self, ticket_id: int) -> Ticket | None:
        row = await self._db.fetch_one(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,)
        )
        return _ticket(row) if row else None

    async def open_ticket_of(self, user_id: int) -> Ticket | None:
        """The citizen's ticket not closed yet (at most one: a new question joins it)."""
        row = await self._db.fetch_one(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE user_id = ? AND status != 'closed' "
            "ORDER BY id DESC LIMIT 1",
            (user_id,),
        )
        return _ticket(row) if row else None

    async def tickets_of(self, user_id: int, limit: int) -> list[Ticket]:
        rows = await self._db.fetch_all(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        )
        return [_ticket(row) for row in rows]

    async def create_or_add(
        self,
        user_id: int,
        *,
        language: str,
        region_code: str | None,
        entry_id: str | None,
        text: str,
        now: float,
    ) -> tuple[Ticket, bool]:
        """Add `text` to the citizen's open ticket, or open one; (ticket, opened a new one).

        One transaction: two messages sent at once (a double tap) cannot open two tickets.
        """
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT id FROM tickets WHERE user_id = ? AND status != 'closed' "
                "ORDER BY id DESC LIMIT 1",
                (user_id,),
            ) as cursor:
                row = await cursor.fetchone()
            created = row is None
            if row is None:
                async with conn.execute(
                    "INSERT INTO tickets (user_id, language, region_code, entry_id, opened_at, "
                    "last_activity_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (user_id, language, region_code, entry_id, now, now),
                ) as cursor:
                    ticket_id = int(cursor.lastrowid or 0)
            else:
                ticket_id = int(row["id"])
                # A new message is waiting again: the ticket is back in staff's open list.
                await conn.execute(
                    "UPDATE tickets SET status = 'open', last_activity_at = ? WHERE id = ?",
                    (now, ticket_id),
                )
            await conn.execute(
                "INSERT INTO ticket_messages (ticket_id, author, text, sent_at) "
                "VALUES (?, 'citizen', ?, ?)",
                (ticket_id, text, now),
            )
        ticket = await self.get(ticket_id)
        assert ticket is not None
        return ticket, created

    async def add_staff_answer(self, ticket_id: int, staff_id: int, text: str, now: float) -> bool:
        """Record an answer; False when the ticket was closed (or forgotten) meanwhile."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "UPDATE tickets SET status = 'answered', last_activity_at = ?, "
                "first_answered_at = COALESCE(first_answered_at, ?) "
                "WHERE id = ? AND status != 'closed'",
                (now, now, ticket_id),
            ) as cursor:
                if cursor.rowcount == 0:
                    return False
            await conn.execute(
                "INSERT INTO ticket_messages (ticket_id, author, staff_id, text, sent_at) "
                "VALUES (?, 'staff', ?, ?, ?)",
                (ticket_id, staff_id, text, now),
            )
        return True

    async def messages(self, ticket_id: int) -> list[TicketMessage]:
        rows = await self._db.fetch_all(
            "SELECT author, text, sent_at FROM ticket_messages WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        )
        return [TicketMessage(Author(row["author"]), row["text"], row["sent_at"]) for row in rows]

    async def close(self, ticket_id: int, reason: str, now: float) -> bool:
        """Close an open ticket; False when it was closed already (the second of two taps)."""
        changed = await self._db.execute(
            "UPDATE tickets SET status = 'closed', closed_reason = ?, closed_at = ?, "
            "last_activity_at = ? WHERE id = ? AND status != 'closed'",
            (reason, now, now, ticket_id),
        )
        return changed > 0

    async def rate(self, ticket_id: int, user_id: int, rating: int) -> bool:
        changed = await self._db.execute(
            "UPDATE tickets SET rating = ? WHERE id = ? AND user_id = ?",
            (rating, ticket_id, user_id),
        )
        return changed > 0

    async def remember_chat_message(
        self, ticket_id: int, chat_id: int, message_id: int, *, to_citizen: bool = False
    ) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO ticket_chat_messages (chat_id, message_id, ticket_id, "
            "to_citizen) VALUES (?, ?, ?, ?)",
            (chat_id, message_id, ticket_id, int(to_citizen)),
        )

    async def set_staff_topic(self, ticket_id: int, topic_id: int) -> None:
        await self._db.execute(
            "UPDATE tickets SET staff_topic_id = ? WHERE id = ?", (topic_id, ticket_id)
        )

    async def ticket_shown_in(self, chat_id: int, message_id: int) -> ShownTicket | None:
        row = await self._db.fetch_one(
            "SELECT ticket_id, to_citizen FROM ticket_chat_messages "
            "WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        ticket = await self.get(row["ticket_id"]) if row else None
        return ShownTicket(ticket, bool(row["to_citizen"])) if row and ticket else None

    async def waiting(self, region_code: str | None, limit: int) -> list[Ticket]:
        """Tickets not closed, oldest first; with `region_code`, that region's only."""
        rows = await self._db.fetch_all(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE status != 'closed' "
            "AND (? IS NULL OR region_code = ?) ORDER BY opened_at, id LIMIT ?",
            (region_code, region_code, limit),
        )
        return [_ticket(row) for row in rows]

    async def unanswered_unreminded(self, opened_before: float) -> list[Ticket]:
        rows = await self._db.fetch_all(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE status = 'open' "
            "AND first_answered_at IS NULL AND reminded_at IS NULL AND opened_at < ? "
            "ORDER BY opened_at",
            (opened_before,),
        )
        return [_ticket(row) for row in rows]

    async def mark_reminded(self, ticket_id: int, now: float) -> bool:
        changed = await self._db.execute(
            "UPDATE tickets SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
            (now, ticket_id),
        )
        return changed > 0

    async def forget_user(self, user_id: int, voter: bytes, now: float) -> None:
        """/forget: texts and the link to the person go; counts for staff stay, anonymous."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM ticket_messages WHERE ticket_id IN "
                "(SELECT id FROM tickets WHERE user_id = ?)",
                (user_id,),
            )
            await conn.execute(
                "DELETE FROM ticket_chat_messages WHERE to_citizen = 1 AND ticket_id IN "
                "(SELECT id FROM tickets WHERE user_id = ?)",
                (user_id,),
            )
            await conn.execute(
                "UPDATE tickets SET status = 'closed', closed_reason = COALESCE("
                "CASE WHEN status = 'closed' THEN closed_reason END, 'forgotten'), "
                "closed_at = COALESCE(closed_at, ?), user_id = NULL WHERE user_id = ?",
                (now, user_id),
            )
            await conn.execute("UPDATE answer_votes SET voter = NULL WHERE voter = ?", (voter,))

    async def expire_texts(self, inactive_before: float, now: float) -> int:
        """Retention: close tickets idle since before `inactive_before` and delete their texts."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE tickets SET status = 'closed', closed_reason = 'expired', closed_at = ? "
                "WHERE status != 'closed' AND last_activity_at < ?",
                (now, inactive_before),
            )
            async with conn.execute(
                "DELETE FROM ticket_messages WHERE ticket_id IN "
                "(SELECT id FROM tickets WHERE last_activity_at < ?)",
                (inactive_before,),
            ) as cursor:
                return cursor.rowcount

    # Answer votes ---------------------------------------------------------------------------
    async def vote(self, entry_id: str, voter: bytes, helpful: bool, now: float) -> None:
        """One vote per person per entry: a second tap changes it, never adds one."""
        await self._db.execute(
            "INSERT INTO answer_votes (entry_id, voter, helpful, voted_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(entry_id, voter) DO UPDATE SET helpful = excluded.helpful, "
            "voted_at = excluded.voted_at",
            (entry_id, voter, int(helpful), now),
        )

    async def most_unhelpful(self, limit: int) -> list[EntryVotes]:
        rows = await self._db.fetch_all(
            "SELECT entry_id, SUM(helpful) AS up, SUM(1 - helpful) AS down FROM answer_votes "
            "GROUP BY entry_id HAVING down > 0 ORDER BY down DESC, up, entry_id LIMIT ?",
            (limit,),
        )
        return [EntryVotes(row["entry_id"], row["up"], row["down"]) for row in rows]

    # Figures for /stats ---------------------------------------------------------------------
    async def by_region(self, region_code: str | None, since: float) -> list[RegionTicketRow]:
        rows = await self._db.fetch_all(
            "SELECT region_code, opened_at, first_answered_at FROM tickets "
            "WHERE opened_at >= ? AND (? IS NULL OR region_code = ?)",
            (since, region_code, region_code),
        )
        grouped: dict[str | None, list[aiosqlite.Row]] = {}
        for row in rows:
            grouped.setdefault(row["region_code"], []).append(row)
        return [
            RegionTicketRow(
                region_code=code,
                opened=len(items),
                answered=sum(1 for r in items if r["first_answered_at"] is not None),
                answer_seconds=tuple(
                    r["first_answered_at"] - r["opened_at"]
                    for r in items
                    if r["first_answered_at"] is not None
                ),
            )
            for code, items in sorted(grouped.items(), key=lambda item: -len(item[1]))
        ]
