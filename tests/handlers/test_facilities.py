"""«New facilities»: browsing by type and region with paging, cards, typed questions."""


import pytest

from bot.console.user import BotReply, LocalUser
from bot.views.facilities import FacilityList
from tests.support.catalog import tr, trn
from tests.support.users import MakeSpeaker

HOME = (
    "New perinatal centres, university clinics, modernised district hospitals, proton therapy "
    "and PET/CT: what is planned, built and open, with dates and sources. How would you like "
    "to look?"
)
NO_FACILITIES_IN_REGION = (
    "<b>{region}</b>\nMy sources name no new or modernised facility in this region yet. "
    "Which of the 32 district hospitals being modernised are here, ask the regional health "
    "department."
)
PERINATAL = {"kk": "Перинаталдық орталықтар (14)", "ru": "Перинатальные центры (14)"}
SHYMKENT_CENTRE = {
    "kk": "🏗 Шымкенттегі №2 қалалық перинаталдық орталық",
    "ru": "🏗 Городской перинатальный центр № 2 в Шымкенте",
}
PAVLODAR = {"kk": "Павлодар облысы", "ru": "Павлодарская область"}


async def browse_facilities(user: LocalUser, locale: str, by: str) -> list[BotReply]:
    """Open «New facilities» (checking its home screen), then browse `by` type or region."""
    replies = await user.click(tr("🏥 New facilities", locale))
    assert replies[0].text == tr(HOME, locale)
    assert replies[0].buttons[:2] == [tr("By type", locale), tr("By region", locale)]
    return await user.click(tr(by, locale))


async def test_main_menu_offers_facilities_and_my_region(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    replies = await user.send("/menu")
    assert tr("🏥 New facilities", locale) in replies[0].buttons
    assert tr("📍 My region", locale) in replies[0].buttons


async def test_browse_by_type_pages_through_all_perinatal_centres(
    speaker: tuple[str, LocalUser],
) -> None:
    locale, user = speaker
    replies = await browse_facilities(user, locale, "By type")
    assert replies[0].kind == "edit"
    assert replies[0].text == tr("Choose a type:", locale)
    assert PERINATAL[locale] in replies[0].buttons

    first = await user.click(PERINATAL[locale])
    assert "12" in first[0].text
    assert first[0].text.endswith(tr("Choose a facility:", locale))
    assert "1/3" in first[0].buttons and "◀️" not in first[0].buttons
    assert SHYMKENT_CENTRE[locale] in first[0].buttons

    second = await user.click("▶️")
    assert "2/3" in second[0].buttons and "◀️" in second[0].buttons
    assert SHYMKENT_CENTRE[locale] not in second[0].buttons
    third = await user.click("▶️")
    assert "3/3" in third[0].buttons and "▶️" not in third[0].buttons
    names = " ".join(third[0].buttons)
    assert {"kk": "Темірлан", "ru": "Темирлан"}[locale] in names
    assert {"kk": "Сарыағаш", "ru": "Сарыагаш"}[locale] in names

    # The page label itself does nothing visible.
    assert await user.click("3/3") == []
    back = await user.click("◀️")
    assert "2/3" in back[0].buttons


async def test_facility_card_shows_what_where_status_date_and_source(
    speaker: tuple[str, LocalUser],
) -> None:
    locale, user = speaker
    await browse_facilities(user, locale, "By type")
    await user.click(PERINATAL[locale])
    card = (await user.click(SHYMKENT_CENTRE[locale]))[0].text
    date = {"kk": "31 қаңтар 2026", "ru": "31 января 2026"}[locale]
    assert (
        tr("<b>Status ({date}): {status}</b>", locale).format(
            date=date, status=tr("under construction", locale)
        )
        in card
    )
    assert tr("Source: {source}", locale, source="kazpravda.kz; rus.baq.kz") in card
    assert "200" in card
    assert {"kk": "Ақжайық", "ru": "Акжайык"}[locale] in card
    assert {"kk": "Шымкент қаласы", "ru": "город Шымкент"}[locale] in card
    # The plan slipped: the earlier dated statements are kept and the bot says so.
    assert tr("<b>What the sources said, by date:</b>", locale) in card
    assert tr("⚠️ Sources disagree: {text}", locale).split("{text}")[0] in card

    back = await user.click(tr("⬅️ Back", locale))
    assert SHYMKENT_CENTRE[locale] in back[0].buttons


async def test_unverified_status_is_shown_as_not_confirmed(user_ru: LocalUser) -> None:
    await browse_facilities(user_ru, "ru", "By type")
    await user_ru.click(PERINATAL["ru"])
    card = (await user_ru.click("📝 Перинатальный центр в Караганде"))[0].text
    assert tr("❔ Not confirmed: {text}", "ru").split("{text}")[0] in card
    assert tr("planned", "ru") in card


async def test_browse_by_region_pages_and_region_without_facilities_says_so(
    speaker: tuple[str, LocalUser],
) -> None:
    locale, user = speaker
    first = await browse_facilities(user, locale, "By region")
    assert first[0].text == tr("Choose a region:", locale)
    assert "1/3" in first[0].buttons
    second = await user.click("▶️")
    assert "2/3" in second[0].buttons
    replies = await user.click(f"{PAVLODAR[locale]} (0)")
    assert replies[0].text == tr(NO_FACILITIES_IN_REGION, locale, region=PAVLODAR[locale])
    assert replies[0].buttons == [tr("⬅️ Back", locale)]


@pytest.mark.parametrize(("kind", "key"), [("t", "renamed_type"), ("r", "gone_region")])
async def test_a_list_button_whose_type_or_region_is_gone_says_it_is_out_of_date(
    speaker: tuple[str, LocalUser], kind: str, key: str
) -> None:
    # A button sent before data/facilities.yaml or data/regions.yaml changed.
    locale, user = speaker
    replies = await user.press_inline(FacilityList(kind=kind, key=key).pack())
    assert [(reply.kind, reply.text) for reply in replies] == [
        ("toast", tr("This button is out of date.", locale))
    ]


async def test_browse_by_region_lists_the_region_facilities(user_kk: LocalUser) -> None:
    await browse_facilities(user_kk, "kk", "By region")
    await user_kk.click("▶️")
    replies = await user_kk.click("Маңғыстау облысы (1)")
    card = (await user_kk.click("✅ Ақтаудағы ПЭТ/КТ орталығы (Orhun Medical)"))[0].text
    assert "29 тамыз 2025" in card
    assert tr("open", "kk") in card
    assert replies[0].text.startswith("<b>Маңғыстау облысы</b>")


@pytest.mark.parametrize(
    ("locale", "question", "expected"),
    [
        # Russian, Cyrillic.
        (
            "ru",
            "Когда откроется перинатальный центр в Шымкенте?",
            ["Городской перинатальный центр № 2 в Шымкенте", "200"],
        ),
        # Kazakh with Kazakh letters.
        (
            "kk",
            "Темірлан ауылындағы перинаталдық орталық неше орындық болады?",
            ["Темірландағы облыстық перинаталдық орталық", "200"],
        ),
        # Kazakh typed with Russian letters only.
        (
            "kk",
            "Кызылордада жана перзентхана салына ма?",
            ["Қызылордадағы перинаталдық орталық", "Расталмаған"],
        ),
        # Kazakh in Latin letters.
        (
            "kk",
            "Temirlan auylyndagy perinataldyq ortalyq",
            ["Темірландағы облыстық перинаталдық орталық", "200"],
        ),
    ],
)
async def test_typed_question_finds_the_card_in_any_script(
    make_speaker: MakeSpeaker, locale: str, question: str, expected: list[str]
) -> None:
    user = await make_speaker(locale)
    # A facility the knowledge base knows is answered first, then its card: read them all.
    text = "\n".join(reply.text for reply in await user.send(question))
    for fragment in expected:
        assert fragment in text


async def test_question_in_latin_finds_the_card(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    replies = await user.send("PET KT Aktau")
    name = {"kk": "Ақтаудағы ПЭТ/КТ орталығы", "ru": "Центр ПЭТ/КТ в Актау"}[locale]
    assert name in replies[0].text
    assert {"kk": "29 тамыз 2025", "ru": "29 августа 2025"}[locale] in replies[0].text


async def test_proton_therapy_question_says_it_is_free_under_insurance(
    user_ru: LocalUser,
) -> None:
    replies = await user_ru.send("Протонная терапия платная или по страховке?")
    assert "Центр протонной терапии" in replies[0].text
    assert "ОСМС" in replies[0].text


async def test_question_about_a_type_gives_the_overview_and_the_list(user_ru: LocalUser) -> None:
    replies = await user_ru.send("Сколько университетских клиник обещали построить?")
    assert "6 университетских клиник" in replies[0].text
    assert "🏗 Многопрофильная университетская больница в Шымкенте (частный инвестор)" in (
        replies[0].text
    )
    assert "▶️" in replies[0].buttons


async def test_type_missing_in_the_named_place_says_so(user_ru: LocalUser) -> None:
    replies = await user_ru.send("Есть ли ПЭТ/КТ в Павлодаре?")
    expected = tr(
        "My sources name nothing of this kind ({types}) in {region}.",
        "ru",
        types="ПЭТ/КТ и ядерная медицина",
        region="Павлодарская область",
    )
    assert replies[0].text.startswith(expected)


async def test_old_capital_name_is_answered_with_astana(user_ru: LocalUser) -> None:
    replies = await user_ru.send("Перинатальный центр в Нур-Султане когда откроют?")
    text = replies[0].text
    assert text.startswith("ℹ️ С сентября 2022 года столица снова называется Астана")
    assert "Перинатальный центр № 1 в Астане" in text
    assert "Перинатальный центр № 2 в Астане" in text


async def test_old_region_name_in_kazakh_is_answered_with_the_new_one(user_kk: LocalUser) -> None:
    replies = await user_kk.send("Оңтүстік Қазақстан облысында перзентхана салына ма?")
    text = replies[0].text
    assert "Оңтүстік Қазақстан облысы Түркістан облысы болып өзгертілді" in text
    assert "Темірландағы облыстық перинаталдық орталық" in text


async def test_ivf_question_mentioning_a_perinatal_centre_is_left_to_ivf_answers(
    user_kk: LocalUser,
) -> None:
    replies = await user_kk.send(
        "Ақтөбедегі облыстық перинаталдық орталықта жылына қанша ЭКО жасалады?"
    )
    assert "🏥" not in replies[0].text
    assert tr("Here is what I found:", "kk") not in replies[0].text


async def test_question_about_new_facilities_in_two_cities_lists_both(user_kk: LocalUser) -> None:
    replies = await user_kk.send(
        "Қызылорда мен Ақтауда қандай жаңа медициналық кешендер іске қосылды?"
    )
    text = replies[0].text
    assert text.startswith(tr("Here is what I found:", "kk"))
    assert "✅ Ақтаудағы ПЭТ/КТ орталығы (Orhun Medical)" in text
    assert "✅ Қызылордадағы ПЭТ/КТ орталығы (Orhun Medical)" in text


async def test_general_question_about_a_region_without_facilities_says_so(
    user_ru: LocalUser,
) -> None:
    replies = await user_ru.send("Какие новые больницы строят в Павлодаре?")
    expected = tr(NO_FACILITIES_IN_REGION, "ru", region="Павлодарская область")
    assert replies[0].text.startswith(expected)


MORE = (
    "…and {count} more. Ask about one kind (perinatal centre, university clinic, PET/CT…) or "
    "open «{button}» to browse by type or region."
)


@pytest.mark.parametrize("locale", ["kk", "ru"])
async def test_new_hospitals_question_gets_a_short_first_page(
    locale: str, user_kk: LocalUser, user_ru: LocalUser
) -> None:
    user = {"kk": user_kk, "ru": user_ru}[locale]
    question = {"kk": "жаңа ауруханалар", "ru": "новые больницы"}[locale]
    text = (await user.send(question))[0].text
    listed = [line for line in text.split("\n") if line.startswith(tuple("🏗📐📝❔✅"))]
    assert 1 <= len(listed) <= 8
    more = text.split("\n\n")[-1]
    count = more.split()[2].rstrip(".")
    assert more == trn(
        MORE, locale, int(count), count=count, button=tr("🏥 New facilities", locale)
    )
