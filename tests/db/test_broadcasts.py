import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.db import Database
from bot.db.broadcasts import BroadcastRepository
from bot.db.subscriptions import Recipient
from bot.db.users import UserRepository

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[BroadcastRepository]:
    db = await Database.open(tmp_path / "bot.sqlite3")
    for user_id in (10, 11):  # outbox rows belong to users (deleted with /forget)
        await UserRepository(db).set_language(user_id, "kk")
    yield BroadcastRepository(db)
    await db.close()


async def create(repository: BroadcastRepository, claim: str) -> int | None:
    return await repository.create(
        author_id=1,
        report_chat_id=1,
        text_kk="kk",
        text_ru="ru",
        media_kind=None,
        media_file_id=None,
        topic="ivf",
        region_code=None,
        language=None,
        recipients=[Recipient(10, "kk"), Recipient(11, "ru")],
        now=NOW,
        claim=claim,
    )


async def followup(repository: BroadcastRepository, action: str, claim: str) -> object:
    return await repository.create_followup(
        broadcast_id=1,
        action=action,
        requested_by=1,
        report_chat_id=1,
        text_kk="kk2",
        text_ru="ru2",
        sent_after=NOW - timedelta(hours=48),
        now=NOW,
        claim=claim,
    )


async def test_one_draft_creates_one_run_even_when_written_concurrently(
    repository: BroadcastRepository,
) -> None:
    results = await asyncio.gather(*(create(repository, "draft-1") for _ in range(5)))
    assert sorted(results, key=lambda run: run or 0) == [None, None, None, None, 1]
    assert len(await repository.pending(1)) == 2
    assert await create(repository, "draft-2") == 2


async def test_no_followup_while_a_run_is_not_over_and_one_retraction_only(
    repository: BroadcastRepository,
) -> None:
    await create(repository, "draft-1")
    assert await followup(repository, "edit", "edit-1") is None  # the send is still queued
    await repository.set_status(1, "done")
    edits = await asyncio.gather(
        followup(repository, "edit", "e"), followup(repository, "edit", "e")
    )
    assert sorted(edits, key=lambda run: run is None) == [(2, 0), None]
    await repository.set_status(2, "done")
    assert await followup(repository, "delete", "delete:1") == (3, 0)
    await repository.set_status(3, "done")
    assert await followup(repository, "edit", "edit-2") is None  # retracted: nothing to edit
    assert await repository.is_retracted(1)


async def test_a_stopped_retraction_may_be_asked_for_again(
    repository: BroadcastRepository,
) -> None:
    await create(repository, "draft-1")
    await repository.set_status(1, "done")
    assert await followup(repository, "delete", "delete:1") == (2, 0)
    await repository.set_status(2, "cancelled")
    assert not await repository.is_retracted(1)
    assert await followup(repository, "delete", "delete:1") == (3, 0)
