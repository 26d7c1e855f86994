from datetime import UTC, datetime, timedelta

from bot.db import Database
from bot.db.questions import QuestionLogRepository


async def test_migration_keeps_no_link_to_users(db: Database) -> None:
    assert await db.user_version() >= 2
    rows = await db.fetch_all("PRAGMA table_info(unanswered_questions)")
    columns = {row["name"] for row in rows}
    # `asker` is a keyed hash (HMAC) of who asked, to count people, not a user id.
    assert columns == {"id", "text", "normalised", "language", "asked_on", "asker"}
    assert await db.fetch_all("PRAGMA foreign_key_list(unanswered_questions)") == []


async def test_most_common_unanswered_groups_the_same_question(db: Database) -> None:
    log = QuestionLogRepository(db)
    for text in ("Когда УЗИ для собак?", "когда узи для собак", "Когда узи для собак!!"):
        await log.record_unanswered(text, "когда узи для собак", "ru")
    await log.record_unanswered("Погода завтра?", "погода завтра", "ru")
    await log.record_unanswered("Ертең ауа райы", "ертен ауа раиы", "kk")
    await log.record_unanswered("Ертең ауа райы?", "ертен ауа раиы", "kk")

    top = await log.most_common_unanswered(days=7, limit=2)

    assert [count for _, count in top] == [3, 2]
    assert top[0][0].lower().startswith("когда")
    assert top[1][0].startswith("Ертең")


async def test_old_questions_fall_out_of_the_window(db: Database) -> None:
    log = QuestionLogRepository(db)
    today = datetime.now(UTC).date()
    await log.record_unanswered("старый", "старыи", "ru", asked_on=today - timedelta(days=40))
    await log.record_unanswered("новый", "новыи", "ru", asked_on=today)

    assert await log.most_common_unanswered(days=30, limit=10) == [("новый", 1)]
    assert await log.delete_older_than(30) == 1
    assert await log.most_common_unanswered(days=365, limit=10) == [("новый", 1)]


async def test_nothing_is_kept_for_a_question_without_words(db: Database) -> None:
    log = QuestionLogRepository(db)
    await log.record_unanswered("😀", "", "ru")
    assert await log.most_common_unanswered(days=1, limit=10) == []
