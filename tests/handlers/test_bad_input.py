"""Every kind of unexpected input gets a clear answer in the user's language, never a crash."""

from collections.abc import Callable

import pytest

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
UNKNOWN_TEXT = (
    "I have no answer to «{question}» in my sources. I answer questions about free IVF "
    "(«Аңсаған сәби»), mobile medical complexes and medical trains, new hospitals and "
    "centres, and health insurance: choose a topic below. A person can help: 1414 "
    "(Social Health Insurance Fund) or your polyclinic."
)


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
    assert [r.text for r in await user.edit("исправленный текст")] == [tr(EDITED, locale)]


async def test_unknown_command(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    assert [r.text for r in await user.send("/foo")] == [tr(UNKNOWN_COMMAND, locale)]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("<b>жирный</b>", "&lt;b&gt;жирный&lt;/b&gt;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a & b", "a &amp; b"),
    ],
)
async def test_html_like_text_is_shown_back_escaped(
    make_user: Callable[..., LocalUser], typed: str, shown: str
) -> None:
    user = make_user(language_code="ru")
    replies = await user.send(typed)
    assert replies[0].text == tr(UNKNOWN_TEXT, "ru", question=shown)


async def test_emoji_only_message(make_user: Callable[..., LocalUser]) -> None:
    user = make_user(language_code="kk")
    replies = await user.send("🙏🙏🙏")
    assert len(replies) == 1
    assert replies[0].text == tr(
        "I did not find any words in your message. Please type your question, for example "
        "«how do I get an IVF quota?», or choose a topic below.",
        "kk",
    )


async def test_four_thousand_characters_are_answered_briefly(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user(language_code="ru")
    replies = await user.send("очень длинный вопрос " * 190 + "конец")
    assert replies
    # Telegram refuses messages over 4096 characters; the answer stays short.
    assert len(replies[0].text) < 1000


async def test_iin_and_phone_in_a_question_are_never_echoed(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user(language_code="ru")
    replies = await user.send("мой ИИН 900115400109 телефон +7 701 123 45 67")
    assert "900115400109" not in replies[0].text
    assert "701 123 45 67" not in replies[0].text


async def test_group_chat_is_told_once_to_write_privately(
    make_user: Callable[..., LocalUser],
) -> None:
    user = make_user()
    first = await user.send_in_group("привет бот")
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
    assert await user.send_in_group("ещё раз") == []


async def test_stale_inline_button_after_restart(user_ru: LocalUser) -> None:
    replies = await user_ru.press_inline("something:from:an-old-version")
    assert replies[0].kind == "toast"
    assert replies[0].text == tr("This button is out of date.", "ru")
    assert replies[1].text == tr("Here is the menu.", "ru")
