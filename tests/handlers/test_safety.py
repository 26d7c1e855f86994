"""103/112 first, whatever the person was doing: an emergency typed at any step of any dialog is
answered as one before the step reads it, and the dialog waits where it was."""

from collections.abc import Awaitable, Callable

import pytest

from bot.app import App
from bot.console.user import LocalUser
from tests.support.catalog import tr
from tests.support.factories import queue_csv
from tests.support.queue_steps import rows
from tests.support.staff import start_staff
from tests.support.users import MakeSpeaker

EMERGENCY = (
    "🚑 If someone's life or health is in danger, call <b>103</b> (ambulance) or "
    "<b>112</b> (emergency services) now. Calls are free from any phone.\n\n"
    "I am a bot and cannot help in an emergency."
)
MEDICAL_ADVICE = (
    "I cannot give medical advice: a diagnosis, treatment, medicines and their doses "
    "are decided only by a doctor. Please ask the doctor at your polyclinic (where "
    "you are attached). If it is urgent, call 103."
)
# Each in the language of the user who types it, in the scripts people use.
EMERGENCIES = {
    "ru": ("жена потеряла сознане", "у ребенка 40 и судороги"),
    "kk": (
        "баламның қызуы 40, құрысып жатыр",
        "balam esin zhogaltty",
        "анам кулап калды кан кетип жатыр",
    ),
}
IVF_STEP_2 = "<b>IVF check, step {step} of {total}</b>"


async def ivf_age_step(user: LocalUser, locale: str) -> None:
    await user.send("/start ivf")


async def ivf_yes_no_step(user: LocalUser, locale: str) -> None:
    await user.send("/start ivf")
    await user.send("34")


async def ivf_region_step(user: LocalUser, locale: str) -> None:
    await ivf_yes_no_step(user, locale)
    for _ in range(3):
        await user.click(tr("Yes", locale))


async def village_search(user: LocalUser, locale: str) -> None:
    await user.click(tr("🚐 Mobile clinics", locale))


async def my_region(user: LocalUser, locale: str) -> None:
    await user.click(tr("📍 My region", locale))


async def queue_look_up(user: LocalUser, locale: str) -> None:
    await user.click(tr("🔢 My place in the IVF queue", locale))


async def ask_a_person(user: LocalUser, locale: str) -> None:
    await user.send("/ask")


DIALOGS: dict[str, Callable[[LocalUser, str], Awaitable[None]]] = {
    "ivf check, age": ivf_age_step,
    "ivf check, yes or no": ivf_yes_no_step,
    "ivf check, region": ivf_region_step,
    "village search": village_search,
    "my region": my_region,
    "queue look-up": queue_look_up,
    "ask a person": ask_a_person,
}


@pytest.mark.parametrize("dialog", DIALOGS)
@pytest.mark.parametrize("locale", ["kk", "ru"])
async def test_an_emergency_mid_dialog_gets_103_before_the_step_reads_it(
    make_speaker: MakeSpeaker, dialog: str, locale: str
) -> None:
    user = await make_speaker(locale)
    await DIALOGS[dialog](user, locale)
    for text in EMERGENCIES[locale]:
        replies = await user.send(text)
        assert len(replies) == 1, [reply.text for reply in replies]
        assert replies[0].text.startswith(tr(EMERGENCY, locale)), text


async def test_after_the_emergency_the_check_goes_on_where_it_was(user_ru: LocalUser) -> None:
    await user_ru.send("/start ivf")
    # «40» in it is no age: the message is not the answer to «How old is the woman?».
    replies = await user_ru.send("у ребенка температура 40 и судороги, что делать")
    assert [reply.text for reply in replies] == [
        tr(EMERGENCY, "ru") + "\n\n" + tr(MEDICAL_ADVICE, "ru")
    ]
    replies = await user_ru.send("34")
    assert replies[0].text.startswith(tr(IVF_STEP_2, "ru", step=2, total=5))


async def test_a_photo_with_an_emergency_under_it_and_an_edit_into_one_get_103(
    user_kk: LocalUser,
) -> None:
    replies = await user_kk.send_photo(caption="bala tynys almaidy")
    assert replies[0].text == tr(EMERGENCY, "kk")
    await user_kk.send("/start ivf")
    replies = await user_kk.edit("балам есин жогалтты")
    assert [reply.text for reply in replies] == [tr(EMERGENCY, "kk")]


async def test_an_emergency_is_answered_even_over_the_message_limit(user_ru: LocalUser) -> None:
    for _ in range(25):
        await user_ru.send("/help")
    replies = await user_ru.send("жена потеряла сознане")
    assert [reply.text for reply in replies] == [tr(EMERGENCY, "ru")]


async def test_staff_writing_an_announcement_about_fever_are_not_stopped(
    make_user: Callable[..., LocalUser], app: App
) -> None:
    admin = await start_staff(make_user)
    await admin.send("/broadcast")
    replies = await admin.send("При температуре 40 у ребенка звоните 103.")
    assert [reply.text for reply in replies] == [tr("Now the same announcement in Russian.", "ru")]


async def test_an_emergency_in_a_group_chat_is_left_to_the_group_notice(
    user_ru: LocalUser,
) -> None:
    replies = await user_ru.send_in_group("жена потеряла сознане")
    assert all(tr(EMERGENCY, "ru") not in reply.text for reply in replies)


async def test_a_staff_upload_with_fever_in_its_caption_is_imported_not_stopped(
    make_user: Callable[..., LocalUser],
) -> None:
    admin = await start_staff(make_user)
    csv = queue_csv(rows((9,)))
    replies = await admin.send_document("queue.csv", csv, caption="при температуре 40 звоните 103")
    assert replies and all(tr(EMERGENCY, "ru") not in reply.text for reply in replies)
