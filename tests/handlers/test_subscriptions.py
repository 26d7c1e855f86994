"""Citizens subscribe from the menu, stop with /stop, and are offered announcements once."""



from bot.app import App
from bot.console.user import LocalUser
from bot.views.subscriptions import SubscriptionOffer
from tests.support.catalog import tr

TOPICS = ["IVF news («Аңсаған сәби»)", "Mobile clinics in my region", "New hospitals and centres"]
INTRO = (
    "Announcements from health departments: new IVF quotas, the route of the mobile clinic in "
    "your region, new hospitals. Press a topic to turn it on or off; /stop turns everything off."
)
STOPPED = (
    "Done: you will receive no more announcements. To subscribe again, open «🔔 Subscriptions» "
    "in the menu."
)
OFFER = (
    "Would you like to hear from health departments when there are new IVF quotas, a mobile "
    "clinic comes to your region or a new hospital opens? A few messages a month; /stop ends them."
)


async def test_subscriptions_menu_toggles_topics(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    assert tr("🔔 Subscriptions", locale) in user.visible_buttons()
    replies = await user.click(tr("🔔 Subscriptions", locale))
    assert replies[0].text == tr(INTRO, locale)
    assert replies[0].buttons[:3] == ["▫️ " + tr(topic, locale) for topic in TOPICS]
    replies = await user.click("▫️ " + tr(TOPICS[1], locale))
    assert replies[0].text == tr("Subscribed: {topic}", locale, topic=tr(TOPICS[1], locale))
    assert replies[1].buttons[1] == "✅ " + tr(TOPICS[1], locale)
    replies = await user.click("✅ " + tr(TOPICS[1], locale))
    assert replies[0].text == tr("Unsubscribed: {topic}", locale, topic=tr(TOPICS[1], locale))


async def test_stop_unsubscribes_from_everything(app: App, speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    await user.click(tr("🔔 Subscriptions", locale))
    await user.click("▫️ " + tr(TOPICS[0], locale))
    replies = await user.send("/stop")
    assert replies[0].text == tr(STOPPED, locale)
    assert await app.dispatcher["subscriptions"].topics(user.user.id) == set()
    replies = await user.send("/stop")
    assert replies[0].text == tr("You are not subscribed to any announcements.", locale)


async def test_forget_removes_subscriptions(app: App, user_ru: LocalUser) -> None:
    await user_ru.click(tr("🔔 Subscriptions", "ru"))
    await user_ru.click("▫️ " + tr(TOPICS[2], "ru"))
    await user_ru.send("/forget")
    await user_ru.click(tr("🗑 Yes, delete", "ru"))
    rows = await app.db.fetch_all("SELECT * FROM subscriptions")
    assert rows == []


async def test_new_user_is_offered_announcements_once(app: App, user_kk: LocalUser) -> None:
    # Through the free-text path that offers it (handlers/questions.py), after two answers.
    subscriptions = app.dispatcher["subscriptions"]
    replies = [*await user_kk.send("ЭКҰ квотасы"), *await user_kk.send("ЭКҰ квотасы")]
    assert [reply.text for reply in replies].count(tr(OFFER, "kk")) == 1
    replies = await user_kk.press_inline(SubscriptionOffer(accept=True).pack())
    assert replies[0].text.startswith(
        tr(
            "Done: you are subscribed to all three topics. "
            "Change this in «🔔 Subscriptions» or send /stop.",
            "kk",
        )
    )
    assert len(await subscriptions.topics(user_kk.user.id)) == 3


async def test_declining_the_offer_subscribes_to_nothing(app: App, user_ru: LocalUser) -> None:
    replies = await user_ru.press_inline(SubscriptionOffer(accept=False).pack())
    assert replies[0].text == tr(
        "All right. You can subscribe any time in «🔔 Subscriptions».", "ru"
    )
    assert await app.dispatcher["subscriptions"].topics(user_ru.user.id) == set()


QUESTION = {"kk": "ЭКҰ квотасын қалай алуға болады?", "ru": "как получить квоту на ЭКО?"}
ASK_REGION = (
    "Which region do you live in? Choose it below or type its name or its centre, for example "
    "«Қарағанды» or «Shymkent». /cancel — stop."
)
BY_REGION = "Announcements about mobile clinics are sent by region."
SAVED = "Saved. You can change or remove your region at any time."
ABAI = {"kk": "Абай облысы", "ru": "область Абай"}


async def test_the_offer_comes_to_a_new_user_after_an_answer(
    speaker: tuple[str, LocalUser],
) -> None:
    locale, user = speaker
    replies = await user.send(QUESTION[locale])
    assert replies[-1].text == tr(OFFER, locale)


async def test_no_offer_to_a_user_who_already_subscribed(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    await user.click(tr("🔔 Subscriptions", locale))
    await user.click("▫️ " + tr(TOPICS[0], locale))
    replies = await user.send(QUESTION[locale])
    assert replies  # the question was answered
    assert tr(OFFER, locale) not in [reply.text for reply in replies]


async def test_no_offer_again_after_declining(speaker: tuple[str, LocalUser]) -> None:
    locale, user = speaker
    await user.send(QUESTION[locale])
    await user.click(tr("No, thanks", locale))
    replies = await user.send(QUESTION[locale])
    assert tr(OFFER, locale) not in [reply.text for reply in replies]


async def test_mobile_clinic_subscription_asks_for_the_region_and_saves_it(
    app: App, speaker: tuple[str, LocalUser]
) -> None:
    locale, user = speaker
    await user.click(tr("🔔 Subscriptions", locale))
    replies = await user.click("▫️ " + tr(TOPICS[1], locale))
    assert replies[-1].text == f"{tr(BY_REGION, locale)}\n\n{tr(ASK_REGION, locale)}"
    replies = await user.click(ABAI[locale])
    assert replies[-1].text.startswith(tr(SAVED, locale))
    record = await app.dispatcher["users"].get(user.user.id)
    assert record.region_code == "abai"
    assert await app.dispatcher["subscriptions"].topics(user.user.id) == {"mobile_clinics"}


async def test_mobile_clinic_subscription_with_a_region_saved_asks_nothing(
    app: App, user_ru: LocalUser
) -> None:
    await app.dispatcher["users"].set_region(user_ru.user.id, "kyzylorda")
    await user_ru.click(tr("🔔 Subscriptions", "ru"))
    replies = await user_ru.click("▫️ " + tr(TOPICS[1], "ru"))
    assert tr(ASK_REGION, "ru") not in [reply.text for reply in replies]


async def test_accepting_the_offer_without_a_region_asks_for_it(user_kk: LocalUser) -> None:
    await user_kk.send(QUESTION["kk"])
    replies = await user_kk.click(tr("🔔 Yes, subscribe", "kk"))
    assert replies[-1].text == f"{tr(BY_REGION, 'kk')}\n\n{tr(ASK_REGION, 'kk')}"


async def test_asking_in_words_to_stop_announcements_points_to_the_commands(
    user_ru: LocalUser, user_kk: LocalUser
) -> None:
    # Not «I have no answer»: the bot has subscriptions (sixth round of the corpus).
    for user, text, start in (
        (user_ru, "отпишите меня от рассылки", "Объявления управлений здравоохранения"),
        (user_kk, "хабарлама жибермей ак", "Денсаулық сақтау басқармаларының хабарландырулары"),
    ):
        answer = (await user.send(text))[0].text
        assert answer.startswith(start)
        assert "/subscriptions" in answer and "/stop" in answer
