"""/help and the command menu: every citizen command, in both languages."""

import re

from aiogram.methods import SetMyCommands

from bot.app import App
from bot.console.session import LocalSession
from bot.console.user import LocalUser
from bot.views.help import COMMANDS
from bot.views.tickets import HELP_COMMANDS as TICKET_COMMANDS
from tests.support.catalog import tr

UNKNOWN_COMMAND = "I do not know this command. Send /help to see what I can do."


async def test_help_names_humans_and_what_the_bot_never_asks(
    speaker: tuple[str, LocalUser],
) -> None:
    locale, user = speaker
    text = (await user.send("/help"))[0].text
    for fact in ("1414", "103", "112"):
        assert fact in text
    never = {"kk": "SMS-кодты", "ru": "SMS-коды"}[locale]
    assert never in text


async def test_commands_are_registered_in_both_languages(app: App) -> None:
    await app.dispatcher.emit_startup(bot=app.bot, **app.dispatcher.workflow_data)
    session = app.bot.session
    assert isinstance(session, LocalSession)
    calls = [call for call in session.calls if isinstance(call, SetMyCommands)]
    by_language = {call.language_code: call for call in calls}
    assert set(by_language) == {None, "kk", "ru"}
    ru_help = next(c for c in by_language["ru"].commands if c.command == "help")
    kk_help = next(c for c in by_language["kk"].commands if c.command == "help")
    assert ru_help.description == tr("What the bot can do and where to get help", "ru")
    assert kk_help.description == tr("What the bot can do and where to get help", "kk")
    await app.dispatcher.emit_shutdown(bot=app.bot, **app.dispatcher.workflow_data)


async def test_help_lists_every_citizen_command_and_each_one_works(
    app: App, speaker: tuple[str, LocalUser]
) -> None:
    locale, user = speaker
    # Eleven commands, each followed by /cancel: more than a minute's allowance of messages.
    app.dispatcher["message_rate_limit"].limit = 100
    text = (await user.send("/help"))[0].text
    # The msgids come from the views, their translations from the catalog; the literal list
    # below is what proves that every command is there, in this order.
    assert text.endswith(tr(COMMANDS, locale) + "\n" + tr(TICKET_COMMANDS, locale))
    listed = re.findall(r"^(/[a-z]+) — ", text, flags=re.MULTILINE)
    assert listed == [
        "/menu", "/ivf", "/queue", "/subscriptions", "/stop", "/language", "/cancel", "/forget",
        "/help", "/ask", "/tickets",
    ]  # fmt: skip
    for command in listed:
        replies = await user.send(command)
        assert replies, command
        assert replies[0].text != tr(UNKNOWN_COMMAND, locale), command
        await user.send("/cancel")
