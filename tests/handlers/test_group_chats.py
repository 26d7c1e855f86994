"""Group chats are told once, in both languages, to write privately."""

from bot.console.user import LocalUser
from tests.support.catalog import tr


async def test_group_chat_is_told_once_to_write_privately(newcomer: LocalUser) -> None:
    first = await newcomer.send_in_group("привет бот")
    assert len(first) == 1
    assert (
        tr(
            "I work only in private chats: please write to me directly, @{username}.",
            "kk",
            username="densaulyq_test_bot",
        )
        in first[0].text
    )
    assert "@densaulyq_test_bot" in first[0].text
    assert await newcomer.send_in_group("ещё раз") == []
