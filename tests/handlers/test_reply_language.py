"""Which language the bot answers in: the message's own when clear, else the chosen one, else
the one the user last wrote in, else Telegram's, else the default."""

from collections.abc import Callable

from bot.app import App
from bot.console.user import LocalUser
from bot.db.users import UserRepository
from tests.support.catalog import tr
from tests.support.staff import STAFF_ID

EMERGENCY = (
    "🚑 If someone's life or health is in danger, call <b>103</b> (ambulance) or "
    "<b>112</b> (emergency services) now. Calls are free from any phone.\n\n"
    "I am a bot and cannot help in an emergency."
)
SOURCE_LINE = "Source: {source}. Figures as of {year}."


def source_prefix(locale: str) -> str:
    return tr(SOURCE_LINE, locale).split("{source}")[0]


async def _inferred(app: App, user_id: int) -> str | None:
    record = await UserRepository(app.db).get(user_id)
    assert record is not None
    return record.inferred_language


async def test_kazakh_typed_with_russian_letters_is_answered_in_kazakh(
    user_ru: LocalUser,
) -> None:
    replies = await user_ru.send("квота битип калса не истеймин")
    assert source_prefix("kk") in replies[0].text


async def test_russian_emergency_from_a_kazakh_user_is_answered_in_russian(
    user_kk: LocalUser,
) -> None:
    replies = await user_kk.send("ребенок не дышит")
    assert replies[0].text == tr(EMERGENCY, "ru")


async def test_kazakh_emergency_in_latin_letters_is_answered_in_kazakh(
    user_ru: LocalUser,
) -> None:
    replies = await user_ru.send("bala tynys almaidy komek")
    assert replies[0].text == tr(EMERGENCY, "kk")


async def test_an_undecided_message_is_answered_in_the_chosen_language(
    app: App, user_kk: LocalUser
) -> None:
    await user_kk.send("Сколько квот на ЭКО в Алматы?")
    assert await _inferred(app, 2001) == "ru"  # remembered even though Kazakh is chosen
    replies = await user_kk.send("ЭКО")
    assert source_prefix("kk") in replies[0].text


async def test_without_a_choice_an_undecided_message_follows_the_last_language_written(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    user = make_user(user_id=5301, language_code="ru")
    await user.send("kezekke qalai turamyn eko ushin")
    assert await _inferred(app, 5301) == "kk"
    replies = await user.send("ЭКО")
    assert source_prefix("kk") in replies[0].text


async def test_without_a_choice_or_history_telegram_language_decides(newcomer: LocalUser) -> None:
    replies = await newcomer.send("ЭКО")
    assert source_prefix("ru") in replies[0].text


async def test_announcement_text_typed_by_staff_does_not_change_their_language(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    staff = make_user(user_id=STAFF_ID, language_code="ru")
    await staff.send("/start")
    await staff.click("Қазақша")
    await staff.send("/broadcast")
    replies = await staff.send("Новые квоты на ЭКО выделены для всех регионов")
    assert replies[0].text == tr("Now the same announcement in Russian.", "kk")
    assert await _inferred(app, STAFF_ID) is None
