"""The tickets repository on a real SQLite file: one open ticket each, /forget, retention."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.db.tickets import TicketRepository, TicketStatus
from bot.db.users import UserRepository

CITIZEN = 4242
VOTER = b"keyed-hash-of-the-citizen"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "tickets.sqlite3")
    await UserRepository(database).touch(CITIZEN)
    yield database
    await database.close()


async def submit(repository: TicketRepository, text: str, now: float = 1000.0) -> tuple[int, bool]:
    ticket, created = await repository.create_or_add(
        CITIZEN, language="ru", region_code="abai", entry_id=None, text=text, now=now
    )
    return ticket.id, created


async def test_two_messages_at_once_open_one_ticket(db: Database) -> None:
    repository = TicketRepository(db)
    results = await asyncio.gather(*(submit(repository, f"вопрос {n}") for n in range(5)))
    assert len({ticket_id for ticket_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert len(await repository.messages(results[0][0])) == 5


async def test_a_closed_ticket_takes_no_answer_and_a_new_question_opens_another(
    db: Database,
) -> None:
    repository = TicketRepository(db)
    first, _ = await submit(repository, "вопрос")
    assert await repository.close(first, "citizen", 1001.0)
    assert not await repository.close(first, "staff", 1002.0)  # the second tap
    assert not await repository.add_staff_answer(first, 777, "ответ", 1003.0)
    second, created = await submit(repository, "ещё вопрос")
    assert created and second != first


async def test_forget_keeps_anonymous_counts_only(db: Database) -> None:
    repository = TicketRepository(db)
    ticket_id, _ = await submit(repository, "вопрос")
    await repository.remember_chat_message(ticket_id, CITIZEN, 55, to_citizen=True)
    await repository.remember_chat_message(ticket_id, 777, 56)
    await repository.vote("entry", VOTER, False, 1000.0)
    await repository.forget_user(CITIZEN, VOTER, 2000.0)
    ticket = await repository.get(ticket_id)
    assert ticket is not None
    assert ticket.user_id is None and ticket.status is TicketStatus.CLOSED
    assert await repository.messages(ticket_id) == []
    assert await repository.ticket_shown_in(CITIZEN, 55) is None
    shown_to_staff = await repository.ticket_shown_in(777, 56)
    assert shown_to_staff is not None and not shown_to_staff.to_citizen
    [votes] = await repository.most_unhelpful(5)
    assert (votes.entry_id, votes.unhelpful) == ("entry", 1)
    rows = await db.fetch_all("SELECT voter FROM answer_votes")
    assert [row["voter"] for row in rows] == [None]
    [by_region] = await repository.by_region(None, since=0.0)
    assert by_region.opened == 1


async def test_retention_deletes_old_texts_and_closes_idle_tickets(db: Database) -> None:
    repository = TicketRepository(db)
    old, _ = await submit(repository, "старый вопрос", now=1000.0)
    assert await repository.expire_texts(inactive_before=5000.0, now=6000.0) == 1
    ticket = await repository.get(old)
    assert ticket is not None and ticket.is_closed
    assert await repository.messages(old) == []


async def test_one_vote_per_voter_and_entry_changeable(db: Database) -> None:
    repository = TicketRepository(db)
    await asyncio.gather(*(repository.vote("entry", VOTER, True, 1.0) for _ in range(3)))
    await repository.vote("entry", VOTER, False, 2.0)
    await repository.vote("entry", b"someone else", True, 3.0)
    [votes] = await repository.most_unhelpful(5)
    assert (votes.helpful, votes.unhelpful) == (1, 1)
