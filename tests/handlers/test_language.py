"""The language: chosen, kept across restarts, and the language each reply is in."""

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from bot.app import App
from bot.console.session import LocalSession
from bot.console.user import LocalUser
from bot.views.language import LanguageChoice
from tests.support.catalog import tr

DONE = "Done: I will answer in the language you chose. You can change it any time with /language."

# Free text that no knowledge-base entry answers (handlers/questions.py).
UNKNOWN_TEXT = (
    "I have no answer to «{question}» in my sources. I answer questions about free IVF "
    "(«Аңсаған сәби»), mobile medical complexes and medical trains, new hospitals and "
    "centres, and health insurance: choose a topic below. A person can help: 1414 "
    "(Social Health Insurance Fund) or your polyclinic."
)


async def test_choosing_kazakh_answers_in_kazakh_from_then_on(newcomer: LocalUser) -> None:
    await newcomer.send("/start")
    replies = await newcomer.click("Қазақша")
    assert replies[-1].text.startswith(tr(DONE, "kk"))
    # Features add menu rows above; help and language stay in the last row.
    assert replies[-1].buttons[-2:] == [tr("ℹ️ Help", "kk"), tr("🌐 Language", "kk")]
    help_reply = await newcomer.send("/help")
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


async def test_kazakh_text_gets_kazakh_answer_although_telegram_says_russian(
    newcomer: LocalUser,
) -> None:
    replies = await newcomer.send("Ертең ауа райы қандай болады?")
    expected = tr(UNKNOWN_TEXT, "kk", question="Ертең ауа райы қандай болады?")
    assert replies[0].text == expected
    # Buttons pressed later keep the language the newcomer wrote in.
    replies = await newcomer.send("/help")
    assert replies[0].text.startswith("<b>Мен не істей аламын</b>")


async def test_ambiguous_text_falls_back_to_telegram_language(newcomer: LocalUser) -> None:
    replies = await newcomer.send("Шымкент 2025")
    assert replies[0].text == tr(UNKNOWN_TEXT, "ru", question="Шымкент 2025")


async def test_unknown_telegram_language_falls_back_to_kazakh(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user(language_code="en")
    replies = await user.send("/help")
    assert replies[0].text.startswith("<b>Мен не істей аламын</b>")


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


async def test_a_language_change_holds_at_once_for_updates_in_flight_and_costs_no_read(
    user_kk: LocalUser, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The choice and a message of the same person handled at once, as polling hands them over.
    chosen, _during = await asyncio.gather(
        user_kk.press_inline(LanguageChoice(code="ru").pack()), user_kk.send("/help")
    )
    assert chosen[-1].text.startswith(tr(DONE, "ru"))
    reads: list[str] = []
    fetch_one = app.db.fetch_one

    async def counted_fetch_one(sql: str, params: Iterable[Any] = ()) -> Any:
        reads.append(sql)
        return await fetch_one(sql, params)

    monkeypatch.setattr(app.db, "fetch_one", counted_fetch_one)
    # The user record is kept up to date by the write itself (bot/db/users.py).
    replies = await user_kk.send("/help")
    assert replies[0].text.startswith("<b>Что я умею</b>")
    assert reads == []
