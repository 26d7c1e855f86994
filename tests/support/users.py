"""The first steps every person takes with the bot."""

from collections.abc import Awaitable, Callable

from bot.console.user import LocalUser

LANGUAGE_BUTTONS = {"kk": "Қазақша", "ru": "Русский"}
# The `make_speaker` fixture: a new user who chose the given locale, each call another one.
MakeSpeaker = Callable[[str], Awaitable[LocalUser]]


async def choose_language(user: LocalUser, locale: str) -> LocalUser:
    """/start, then the language button: after this the bot answers in `locale`."""
    await user.send("/start")
    await user.click(LANGUAGE_BUTTONS[locale])
    return user
