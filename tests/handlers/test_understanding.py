"""The failures that new users met (issue «Understand what citizens actually type»), through the
real dispatcher: each message gets the right answer or feature, in the right language."""

import re

import pytest

from bot.app import App
from bot.console.user import LocalUser
from tests.support.catalog import tr
from tests.support.users import MakeSpeaker

EMERGENCY = (
    "🚑 If someone's life or health is in danger, call <b>103</b> (ambulance) or "
    "<b>112</b> (emergency services) now. Calls are free from any phone.\n\n"
    "I am a bot and cannot help in an emergency."
)
QUEUE_BUTTON = "🔢 My place in the IVF queue"
VISITS_BUTTON = "🚐 Visits to my village"
# What the bot said before: it denied features it has.
DENIALS = ("не найдено", "табылмады", "жоқ екен", "нет сервиса")


@pytest.mark.parametrize(
    "text",
    [
        "бала тыныс алмайды",
        "bala tynys almaidy komek",
        "Баламыз 1 жаста, қызуы 40, түспей жатыр",
        "у ребенка 2 года температура 40 не сбивается",
        "кызым 3 кун болды тамак ишпейди кусып жатыр",
        "балам улады бир нарсе ишип койды",
    ],
)
async def test_emergencies_in_ordinary_kazakh_and_russian_get_103_first(
    user_kk: LocalUser, text: str
) -> None:
    replies = await user_kk.send(text)
    assert "103" in replies[0].text and "112" in replies[0].text


async def test_the_emergency_comes_in_the_language_of_the_message(user_kk: LocalUser) -> None:
    replies = await user_kk.send("ребенок не дышит")
    assert replies[0].text == tr(EMERGENCY, "ru")


@pytest.mark.parametrize(
    ("locale", "text"),
    [("ru", "где я в очереди на ЭКО"), ("kk", "менин кезегим кашан"), ("kk", "кезек")],
)
async def test_asking_for_ones_place_offers_the_look_up_first(
    make_speaker: MakeSpeaker, locale: str, text: str
) -> None:
    user = await make_speaker(locale)
    replies = await user.send(text)
    assert replies[0].buttons[0] == tr(QUEUE_BUTTON, locale)
    assert not any(denial in replies[0].text for denial in DENIALS)
    opened = await user.click(tr(QUEUE_BUTTON, locale))
    assert opened, "the button opens the look-up"


async def test_when_the_mobile_clinic_comes_opens_the_visits_not_a_denial(
    app: App, user_ru: LocalUser
) -> None:
    replies = await user_ru.send("когда приедет передвижная поликлиника")
    assert not any(denial in replies[0].text for denial in DENIALS)
    assert "Кызылординская область" in replies[0].buttons


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("медпойыз шидертиге кашан келеди", "Шідерті"),  # Kazakh: answered in Kazakh
        ("когда медпоезд приедет в шидерты", "Шидерты"),
    ],
)
async def test_a_village_named_in_either_language_gets_its_visits(
    user_ru: LocalUser, text: str, name: str
) -> None:
    replies = await user_ru.send(text)
    assert replies[0].text.startswith(f"🚐 <b>{name}")


@pytest.mark.parametrize(
    ("locale", "text", "region"),
    [
        ("ru", "сколько квот в туркестанской области", "Туркестанская область"),
        ("kk", "туркистан облысына канша квота", "Түркістан облысы"),
        ("kk", "квота канша турк облысында", "Түркістан облысы"),
    ],
)
async def test_quota_questions_naming_a_region_get_that_region(
    make_speaker: MakeSpeaker, locale: str, text: str, region: str
) -> None:
    user = await make_speaker(locale)
    replies = await user.send(text)
    assert region in replies[0].text
    assert "Темирлан" not in replies[0].text and "Темірлан" not in replies[0].text


async def test_in_my_region_uses_the_saved_region(user_kk: LocalUser) -> None:
    await user_kk.click(tr("📍 My region", "kk"))
    await user_kk.send("Қызылорда")
    replies = await user_kk.send("менин облысымда квота канша")
    assert "Қызылорда облысы" in replies[0].text


async def test_an_age_above_the_range_gets_the_age_answer(user_ru: LocalUser) -> None:
    replies = await user_ru.send("а если мне 43")
    assert "42" in replies[0].text


@pytest.mark.parametrize(
    ("locale", "text", "fragment"),
    [
        ("ru", "можно ли эко без мужа", "не подтверждено"),
        ("kk", "кандас квота ала ма", "расталмаған"),
    ],
)
async def test_open_questions_are_answered_as_open(
    make_speaker: MakeSpeaker, locale: str, text: str, fragment: str
) -> None:
    user = await make_speaker(locale)
    answer = (await user.send(text))[0].text
    assert fragment in answer
    assert not re.match(r"(?:Да|Иә)\b", answer)


async def test_a_greeting_does_not_swallow_the_question(user_ru: LocalUser) -> None:
    hello = (await user_ru.send("здравствуйте"))[0].text
    replies = await user_ru.send("здравствуйте я с туркестанской области хочу эко бесплатно можно")
    assert replies[0].text != hello
    assert "квот" in replies[0].text


async def test_kazakh_typed_with_russian_letters_is_answered_in_kazakh(
    user_ru: LocalUser,
) -> None:
    replies = await user_ru.send("квота битип калса не истеймин")
    assert "квот" in replies[0].text.lower()
    assert any(letter in replies[0].text for letter in "әғқңөұүі")


async def test_a_photo_caption_is_read_as_a_question(user_ru: LocalUser) -> None:
    replies = await user_ru.send_photo(caption="сколько квот в туркестанской области")
    assert "Туркестанская область" in replies[0].text


async def test_features_opening_the_same_screen_give_one_button(user_ru: LocalUser) -> None:
    # «What do mobile complexes offer»: the entry offers the visits and reminders, its topic the
    # visits again; one «🚐» button, then «📋 My reminders».
    replies = await user_ru.send("что делают передвижные медицинские комплексы")
    buttons = replies[0].buttons
    assert buttons.count(tr(VISITS_BUTTON, "ru")) == 1
    assert tr("📋 My reminders", "ru") in buttons
