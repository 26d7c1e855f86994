"""The first steps every person takes with the bot."""

from bot.console.user import LocalUser

LANGUAGE_BUTTONS = {"kk": "Қазақша", "ru": "Русский"}


async def choose_language(user: LocalUser, locale: str) -> LocalUser:
    """/start, then the language button: after this the bot answers in `locale`."""
    await user.send("/start")
    await user.click(LANGUAGE_BUTTONS[locale])
    return user
