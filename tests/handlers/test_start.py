"""/start: a greeting in both languages, then the language choice; «welcome back» after."""

from bot.console.user import LocalUser
from tests.support.catalog import tr

WELCOME = (
    "Hello! I answer questions about state healthcare programmes: free IVF under "
    "«Аңсаған сәби», mobile medical complexes and medical trains, new hospitals and centres.\n"
    "Choose your language:"
)


async def test_start_greets_in_both_languages_and_offers_the_choice(newcomer: LocalUser) -> None:
    replies = await newcomer.send("/start")
    assert len(replies) == 1
    assert replies[0].text == tr(WELCOME, "kk") + "\n\n" + tr(WELCOME, "ru")
    assert replies[0].buttons == ["Қазақша", "Русский"]


async def test_first_message_is_answered_without_start(newcomer: LocalUser) -> None:
    replies = await newcomer.send("Сколько квот на ЭКО выделяют в год?")
    assert "/start" not in replies[0].text
    # After the first answer, once, the offer to receive announcements.
    assert replies[-1].text == tr(
        "Would you like to hear from health departments when there are new IVF quotas, "
        "a mobile clinic comes to your region or a new hospital opens? "
        "A few messages a month; /stop ends them.",
        "ru",
    )
    again = await newcomer.send("Сколько квот на ЭКО выделяют в год?")
    assert len(again) == 1


async def test_returning_user_is_welcomed_in_their_language(user_ru: LocalUser) -> None:
    replies = await user_ru.send("/start")
    assert replies[0].text.startswith(tr("Welcome back!", "ru"))
    assert tr("ℹ️ Help", "ru") in replies[0].buttons
