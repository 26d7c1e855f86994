"""Every kind of unexpected input gets a clear answer in the user's language, never a crash."""

from bot.console.user import LocalUser
from tests.support.catalog import tr

ONLY_TEXT = "I can read only text. Please type your question or choose a topic in the menu."

NO_VOICE = "I cannot listen to voice or audio messages. Please type your question."

NO_LOCATION = (
    "Thank you, but I do not use locations. "
    "Please type the name of your village, district or region instead."
)

NO_CONTACT = "I did not ask for a phone number, so I have not kept it."

EDITED = (
    "I read only new messages, so I did not see your correction. "
    "Please send it again as a new message."
)

UNKNOWN_COMMAND = "I do not know this command. Send /help to see what I can do."


async def test_photo_gets_a_text_only_answer(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    replies = await user.send_photo()
    assert [r.text for r in replies] == [tr(ONLY_TEXT, locale)]
    assert tr("ℹ️ Help", locale) in replies[0].buttons


async def test_sticker_gets_a_text_only_answer(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    assert [r.text for r in await user.send_sticker()] == [tr(ONLY_TEXT, locale)]


async def test_document_where_none_expected(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    replies = await user.send_document("list.csv", b"a;b\n1;2\n")
    assert [r.text for r in replies] == [tr(ONLY_TEXT, locale)]


async def test_voice_asks_to_type(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    assert [r.text for r in await user.send_voice()] == [tr(NO_VOICE, locale)]


async def test_video_note_asks_to_type(speaker: tuple[str, LocalUser]) -> None:
    from aiogram.types import VideoNote

    locale, user = speaker
    note = VideoNote(file_id="vn", file_unique_id="vn", length=240, duration=2)
    replies = await user._send_message(video_note=note)
    assert [r.text for r in replies] == [tr(NO_VOICE, locale)]


async def test_location_asks_for_a_place_name(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    assert [r.text for r in await user.send_location(43.25, 76.95)] == [tr(NO_LOCATION, locale)]


async def test_unrequested_contact_is_not_kept(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    replies = await user.share_contact("+77011234567")
    assert [r.text for r in replies] == [tr(NO_CONTACT, locale)]
    assert "7011234567" not in replies[0].text


async def test_edited_message_is_explained(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    # Words both languages share: the reply comes in the chosen language (a clearly Russian
    # edit would be answered in Russian, as any message is).
    assert [r.text for r in await user.edit("ЭКО квота 2026")] == [tr(EDITED, locale)]


async def test_unknown_command(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    assert [r.text for r in await user.send("/foo")] == [tr(UNKNOWN_COMMAND, locale)]


async def test_stale_inline_button_after_restart(user_ru: LocalUser) -> None:
    replies = await user_ru.press_inline("something:from:an-old-version")
    assert replies[0].kind == "toast"
    assert replies[0].text == tr("This button is out of date.", "ru")
    assert replies[1].text == tr("Here is the menu.", "ru")
