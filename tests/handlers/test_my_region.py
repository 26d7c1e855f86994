"""«My region»: set once (buttons or a typed name in any script), change, remove, summary."""

from collections.abc import Callable

import pytest

from bot.app import App
from bot.console.user import LocalUser
from tests.support.catalog import tr, trn

ASK = (
    "Which region do you live in? Choose it below or type its name or its centre, for example "
    "«Қарағанды» or «Shymkent». /cancel — stop."
)
SAVED = "Saved. You can change or remove your region at any time."
HEADER = "📍 <b>Your region: {region}</b>"
NO_FACILITIES = "My sources name no new or modernised facility in this region yet."
NO_QUOTAS = "My sources have no quota figures for this region."
NO_SCHEDULE = (
    "I have no schedule for your region yet: stops are set by the regional health department "
    "and the district hospitals."
)
ASK_REGION_DEPARTMENT = "Where to ask: the health department of {region}, or your polyclinic."
ASK_CITY_DEPARTMENT = "Where to ask: the public health department of {region}, or your polyclinic."
REMOVED = "Done: I no longer keep your region. Press «📍 My region» to choose it again."
NOT_RECOGNISED = (
    "I did not recognise a region in «{text}», so I saved nothing. Press «📍 My region» and "
    "choose your region with the buttons."
)
QUOTA_FIGURE = "{year}: {count} quota"
KARAGANDA = {"kk": "Қарағанды облысы", "ru": "Карагандинская область"}
ALMATY = {"kk": "Алматы қаласы", "ru": "город Алматы"}


async def test_first_press_asks_for_the_region_with_paged_buttons(
    speaker: tuple[str, LocalUser],
) -> None:
    locale, user = speaker
    replies = await user.click(tr("📍 My region", locale))
    assert replies[0].text == tr(ASK, locale)
    assert {"kk": "Абай облысы", "ru": "область Абай"}[locale] in replies[0].buttons
    assert "1/3" in replies[0].buttons
    page = await user.click("▶️")
    assert KARAGANDA[locale] in page[0].buttons


async def test_typed_region_is_saved_and_summarised(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    await user.click(tr("📍 My region", locale))
    replies = await user.send({"kk": "Қарағанды", "ru": "Караганда"}[locale])
    text = replies[0].text
    assert text.startswith(tr(SAVED, locale))
    assert tr(HEADER, locale, region=KARAGANDA[locale]) in text
    assert tr(NO_QUOTAS, locale) in text
    assert "7 000" in text.replace("\xa0", " ").replace("\u202f", " ")
    assert {"kk": "Қарағандыдағы перинаталдық орталық", "ru": "Перинатальный центр в Караганде"}[
        locale
    ] in text
    assert tr(NO_SCHEDULE, locale) in text
    assert tr(ASK_REGION_DEPARTMENT, locale, region=KARAGANDA[locale]) in text
    assert replies[0].buttons == [tr("✏️ Change region", locale), tr("🗑 Remove region", locale)]

    # Once set, the menu button shows the summary straight away.
    again = await user.click(tr("📍 My region", locale))
    assert again[0].text.startswith(tr(HEADER, locale, region=KARAGANDA[locale]))


async def test_region_typed_in_latin_is_understood(user_kk: LocalUser) -> None:
    await user_kk.click(tr("📍 My region", "kk"))
    replies = await user_kk.send("Qaragandy")
    assert tr(HEADER, "kk", region=KARAGANDA["kk"]) in replies[0].text


async def test_change_region_with_buttons_shows_quota_figures(
    speaker: tuple[str, LocalUser],
) -> None:
    locale, user = speaker
    await user.click(tr("📍 My region", locale))
    await user.send("Караганда")
    await user.click(tr("✏️ Change region", locale))
    # The one region picker shows the three cities first (bot/views/common.py).
    replies = await user.click(ALMATY[locale])
    text = replies[0].text
    assert tr(HEADER, locale, region=ALMATY[locale]) in text
    figure = trn(QUOTA_FIGURE, locale, 800, year=2021, count="800")
    assert f"• {figure} (vecher.kz, 17.02.2021; liter.kz, 03.01.2021)" in text
    assert tr(ASK_CITY_DEPARTMENT, locale, region=ALMATY[locale]) in text


async def test_remove_region_forgets_it(app: App, user_ru: LocalUser) -> None:
    await user_ru.click(tr("📍 My region", "ru"))
    await user_ru.send("Алматы")
    replies = await user_ru.click(tr("🗑 Remove region", "ru"))
    assert replies[0].text == tr(REMOVED, "ru")
    users = app.dispatcher["users"]
    record = await users.get(user_ru.user.id)
    assert record is not None and record.region_code is None
    again = await user_ru.click(tr("📍 My region", "ru"))
    assert again[0].text == tr(ASK, "ru")


async def test_region_without_facilities_says_so(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    await user.click(tr("📍 My region", locale))
    replies = await user.send("Pavlodar")
    assert tr(NO_FACILITIES, locale) in replies[0].text


async def test_unrecognised_region_saves_nothing_and_leaves_the_question(
    user_ru: LocalUser,
) -> None:
    await user_ru.click(tr("📍 My region", "ru"))
    replies = await user_ru.send("где-то далеко")
    assert replies[0].text == tr(NOT_RECOGNISED, "ru", text="где-то далеко")
    again = await user_ru.click(tr("📍 My region", "ru"))
    assert again[0].text == tr(ASK, "ru")


async def test_menu_button_while_asked_for_region_works(user_kk: LocalUser) -> None:
    await user_kk.click(tr("📍 My region", "kk"))
    replies = await user_kk.click(tr("ℹ️ Help", "kk"))
    assert replies[0].text.startswith("<b>Мен не істей аламын</b>")


@pytest.mark.parametrize("elsewhere", ["/ivf", "👶 IVF «Аңсаған сәби»"])
async def test_another_feature_leaves_the_region_question(
    speaker: tuple[str, LocalUser], elsewhere: str
) -> None:
    # The IVF router comes before this one: what is typed after it is no region name.
    locale, user = speaker
    for step in ("📍 My region", elsewhere):
        await user.send(step if step.startswith("/") else tr(step, locale))
    question = {"kk": "ЭКҰ квотасын қалай алуға болады?", "ru": "как получить квоту на ЭКО?"}
    replies = await user.send(question[locale])
    assert tr(NOT_RECOGNISED, locale, text=question[locale]) not in [r.text for r in replies]


async def test_cancel_while_asked_for_region_cancels(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    await user.click(tr("📍 My region", locale))
    replies = await user.send("/cancel")
    assert replies[0].text == tr("Cancelled. What else can I help with?", locale)
    again = await user.send("Караганда")
    assert tr(SAVED, locale) not in again[0].text


async def test_old_names_are_answered_with_current_ones(
    make_user: Callable[..., LocalUser],
) -> None:
    cases = [
        ("Нур-Султан", "город Астана", "С сентября 2022 года столица снова называется Астана"),
        ("Талдыкорган", "область Жетісу", "центр Алматинской области — Конаев"),
        ("Южно-Казахстанская область", "Туркестанская область", "переименована в Туркестанскую"),
    ]
    for number, (typed, region, note) in enumerate(cases):
        user = make_user(user_id=9100 + number, language_code="ru")
        await user.send("/start")
        await user.click("Русский")
        await user.click(tr("📍 My region", "ru"))
        text = (await user.send(typed))[0].text
        assert text.startswith("ℹ️ ")
        assert note in text
        assert tr(HEADER, "ru", region=region) in text


async def test_old_name_in_kazakh_is_answered_in_kazakh(user_kk: LocalUser) -> None:
    await user_kk.click(tr("📍 My region", "kk"))
    text = (await user_kk.send("Оңтүстік Қазақстан облысы"))[0].text
    assert "Оңтүстік Қазақстан облысы Түркістан облысы болып өзгертілді" in text
    assert tr(HEADER, "kk", region="Түркістан облысы") in text


async def test_my_region_lists_upcoming_mobile_clinic_visits(
    app: App, make_user: Callable[..., LocalUser]
) -> None:
    # Staff load a schedule for Kyzylorda region; «My region» then shows the visit.
    from bot.services.mobile_clinics import MobileClinics

    clinics: MobileClinics = app.dispatcher["mobile_clinics"]
    content = (
        "region;settlement;vehicle;operator;date_from;date_to;hours;services;source\n"
        "kyzylorda;Шиели;ПМК;Шиелі аудандық ауруханасы;2099-06-20;;10:00-17:00;УЗИ;test\n"
    ).encode()
    result = await clinics.import_schedule(content, "test")
    assert result.ok
    user = make_user(user_id=8801, language_code="ru")
    await user.send("/start")
    await user.click("Русский")
    await user.send(tr("📍 My region", "ru"))
    replies = await user.send("Кызылорда")
    # More than a year ahead, so the year is shown.
    assert "20 июня 2099 — Шиели" in replies[-1].text


KYZYLORDA = {"kk": "Қызылорда облысы", "ru": "Кызылординская область"}
NOVEMBER_2025 = {"kk": "қараша 2025", "ru": "ноябрь 2025"}


async def test_every_screen_words_a_years_quota_figure_the_same_way(
    speaker: tuple[str, LocalUser], app: App
) -> None:
    locale, user = speaker
    await app.dispatcher["users"].set_region(user.user.id, "kyzylorda")
    my_region = (await user.click(tr("📍 My region", locale)))[0].text
    await user.click(tr("👶 IVF «Аңсаған сәби»", locale))
    quotas = (await user.click(tr("📊 Quotas in my region", locale)))[0].text
    figure = trn(QUOTA_FIGURE, locale, 310, year=2025, count="310")
    assert figure in my_region
    assert figure in quotas
    # Russian has three plural forms: 34 квоты, 270 квот (a Kazakh noun after a number does not
    # change).
    assert trn(QUOTA_FIGURE, locale, 34, year=2015, count="34") in quotas
    for other_wording in ("2025 год:", "2025 жыл:", "квот —", "квота —"):
        assert other_wording not in my_region + quotas
    # A month of the waiting-list figure in words, not «2025-11».
    waiting = tr(
        "• Waiting list, {as_of}: {queue} ({source})",
        locale,
        as_of=NOVEMBER_2025[locale],
        queue=trn("{count} family in the queue", locale, 455, count="455"),
        source="inform.kz, 28.11.2025",
    )

    assert waiting in quotas
    assert "2025-11" not in quotas


async def test_a_question_instead_of_a_region_is_answered_and_the_question_left(
    user_kk: LocalUser,
) -> None:
    await user_kk.click(tr("📍 My region", "kk"))
    replies = await user_kk.send("жекеменшік клиникада эко қанша тұрады")
    assert replies[0].text.startswith("Жеке клиникадағы ЭКҰ бағасы туралы сенімді дерек")
    later = await user_kk.send("Қарағанды")
    assert all(tr(SAVED, "kk") not in reply.text for reply in later)
