from bot.app import App
from bot.console.user import LocalUser
from tests.support.catalog import tr


async def test_forget_asks_then_deletes_the_user(app: App, user_ru: LocalUser) -> None:
    replies = await user_ru.send("/forget")
    assert replies[0].buttons == [tr("🗑 Yes, delete", "ru"), tr("No, keep it", "ru")]
    replies = await user_ru.click(tr("🗑 Yes, delete", "ru"))
    assert replies[-1].text.startswith("Готово: я удалил всё")
    row = await app.db.fetch_one("SELECT * FROM users WHERE id = ?", (user_ru.user.id,))
    assert row is None
    states = await app.db.fetch_all(
        "SELECT * FROM fsm_state WHERE user_id = ?", (user_ru.user.id,)
    )
    assert states == []


async def test_forget_can_be_declined(app: App, user_kk: LocalUser) -> None:
    await user_kk.send("/forget")
    replies = await user_kk.click(tr("No, keep it", "kk"))
    assert replies[-1].text == tr("Nothing was deleted.", "kk")
    row = await app.db.fetch_one("SELECT language FROM users WHERE id = ?", (user_kk.user.id,))
    assert row is not None
    assert row["language"] == "kk"


async def test_cancel_with_nothing_to_cancel(user_kk: LocalUser) -> None:
    replies = await user_kk.send("/cancel")
    assert replies[0].text == tr("There is nothing to cancel.", "kk")


async def test_asking_in_words_to_delete_ones_data_points_to_forget(
    user_ru: LocalUser, user_kk: LocalUser
) -> None:
    # Not «I have no answer»: /forget exists (sixth round of the corpus).
    for user, text in ((user_ru, "удалите мои данные"), (user_kk, "менің деректерімді өшіріңіз")):
        answer = (await user.send(text))[0].text
        assert "/forget" in answer
        assert answer.startswith("Команда /forget" if user is user_ru else "/forget командасы")
