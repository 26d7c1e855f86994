import re
from collections.abc import Callable

from aiogram.methods import SetMyCommands

from bot.app import App
from bot.console.session import LocalSession
from bot.console.user import LocalUser
from tests.support.catalog import tr

WELCOME = (
    "Hello! I answer questions about state healthcare programmes: free IVF under "
    "«Аңсаған сәби», mobile medical complexes and medical trains, new hospitals and centres.\n"
    "Choose your language:"
)
DONE = "Done: I will answer in the language you chose. You can change it any time with /language."
# Free text that no knowledge-base entry answers (handlers/questions.py).
UNKNOWN_TEXT = (
    "I have no answer to «{question}» in my sources. I answer questions about free IVF "
    "(«Аңсаған сәби»), mobile medical complexes and medical trains, new hospitals and "
    "centres, and health insurance: choose a topic below. A person can help: 1414 "
    "(Social Health Insurance Fund) or your polyclinic."
)


async def test_start_greets_in_both_languages_and_offers_the_choice(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user()
    replies = await user.send("/start")
    assert len(replies) == 1
    assert replies[0].text == tr(WELCOME, "kk") + "\n\n" + tr(WELCOME, "ru")
    assert replies[0].buttons == ["Қазақша", "Русский"]


async def test_choosing_kazakh_answers_in_kazakh_from_then_on(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user(language_code="ru")
    await user.send("/start")
    replies = await user.click("Қазақша")
    assert replies[-1].text.startswith(tr(DONE, "kk"))
    # Features add menu rows above; help and language stay in the last row.
    assert replies[-1].buttons[-2:] == [tr("ℹ️ Help", "kk"), tr("🌐 Language", "kk")]
    help_reply = await user.send("/help")
    assert "1414" in help_reply[0].text
    assert help_reply[0].text.startswith("<b>Мен не істей аламын</b>")


async def test_language_command_switches_to_russian(user_kk: LocalUser) -> None:
    replies = await user_kk.send("/language")
    assert replies[0].text == tr("Choose your language:", "kk")
    replies = await user_kk.click("Русский")
    assert replies[-1].text.startswith(tr(DONE, "ru"))
    replies = await user_kk.click(tr("ℹ️ Help", "ru"))
    assert replies[0].text.startswith("<b>Что я умею</b>")


async def test_menu_buttons_work_in_the_other_language(user_kk: LocalUser) -> None:
    # A keyboard sent in Russian earlier must still work after switching to Kazakh.
    replies = await user_kk.send(tr("ℹ️ Help", "ru"))
    assert replies[0].text.startswith("<b>Мен не істей аламын</b>")


async def test_first_message_is_answered_without_start(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user(language_code="ru")
    replies = await user.send("Сколько квот на ЭКО выделяют в год?")
    assert "/start" not in replies[0].text
    # After the first answer, once, the offer to receive announcements.
    assert replies[-1].text == tr(
        "Would you like to hear from health departments when there are new IVF quotas, "
        "a mobile clinic comes to your region or a new hospital opens? "
        "A few messages a month; /stop ends them.",
        "ru",
    )
    again = await user.send("Сколько квот на ЭКО выделяют в год?")
    assert len(again) == 1


async def test_kazakh_text_gets_kazakh_answer_although_telegram_says_russian(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user(language_code="ru")
    replies = await user.send("Ертең ауа райы қандай болады?")
    expected = tr(UNKNOWN_TEXT, "kk", question="Ертең ауа райы қандай болады?")
    assert replies[0].text == expected
    # Buttons pressed later keep the language the user wrote in.
    replies = await user.send("/help")
    assert replies[0].text.startswith("<b>Мен не істей аламын</b>")


async def test_ambiguous_text_falls_back_to_telegram_language(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user(language_code="ru")
    replies = await user.send("Шымкент 2025")
    assert replies[0].text == tr(UNKNOWN_TEXT, "ru", question="Шымкент 2025")


async def test_unknown_telegram_language_falls_back_to_kazakh(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user(language_code="en")
    replies = await user.send("/help")
    assert replies[0].text.startswith("<b>Мен не істей аламын</b>")


async def test_returning_user_is_welcomed_in_their_language(user_ru: LocalUser) -> None:
    replies = await user_ru.send("/start")
    assert replies[0].text.startswith(tr("Welcome back!", "ru"))
    assert tr("ℹ️ Help", "ru") in replies[0].buttons


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


async def test_language_choice_survives_a_restart(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    from bot.app import build_app

    user = make_user(user_id=55)
    await user.send("/start")
    await user.click("Русский")
    restarted = await build_app(app.settings, session=LocalSession())
    try:
        again = LocalUser(restarted.dispatcher, restarted.bot, user_id=55, language_code="kk")
        replies = await again.send("/help")
        assert replies[0].text.startswith("<b>Что я умею</b>")
    finally:
        await restarted.close()


async def test_a_menu_label_does_not_switch_the_language(user_ru: LocalUser) -> None:
    # A keyboard left in Kazakh still works, and its label (Kazakh letters and all) is no
    # evidence of the language: the reply stays in the language the user chose.
    kazakh_label = tr("👶 IVF «Аңсаған сәби»", "kk")
    by_kazakh_label = await user_ru.send(kazakh_label)
    by_command = await user_ru.send("/ivf")
    assert by_kazakh_label[0].text == by_command[0].text
    assert by_kazakh_label[0].buttons == by_command[0].buttons


HELP_COMMANDS = (
    "<b>Commands</b>\n"
    "/menu — main menu\n"
    "/ivf — free IVF: can we get a quota, how to apply, quotas, clinics\n"
    "/queue — my place in the IVF waiting list\n"
    "/subscriptions — announcements I receive\n"
    "/stop — stop all announcements\n"
    "/language — change the language\n"
    "/cancel — stop the current step\n"
    "/forget — delete my data\n"
    "/help — this help"
)
# «Ask a person» (issue 16) adds its two commands after these.
TICKET_COMMANDS = (
    "/ask — ask a specialist of the regional health department\n"
    "/tickets — my questions to specialists"
)
UNKNOWN_COMMAND = "I do not know this command. Send /help to see what I can do."


async def test_help_lists_every_citizen_command_and_each_one_works(
    app: App, speaker: tuple[str, LocalUser]
) -> None:
    locale, user = speaker
    # Eleven commands, each followed by /cancel: more than a minute's allowance of messages.
    app.dispatcher["message_rate_limit"].limit = 100
    text = (await user.send("/help"))[0].text
    assert text.endswith(tr(HELP_COMMANDS, locale) + "\n" + tr(TICKET_COMMANDS, locale))
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
