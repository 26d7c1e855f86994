"""Free-text questions answered from the knowledge base, and the topic menu to browse it."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.questions import QuestionLogRepository
from bot.db.users import UserRecord, UserRepository
from bot.i18n import N_, current_locale
from bot.monitoring.metrics import note_decision
from bot.services.facilities import FacilityDirectory
from bot.services.ivf_quotas import IvfQuotaTable, RegionQuotas
from bot.services.knowledge_base import Entry, KnowledgeBase
from bot.services.mobile_clinics import MobileClinics
from bot.services.my_region import RegionSummaries
from bot.services.pii_hash import PiiHasher
from bot.services.questions import known_word_checker, redact_question
from bot.services.regions import Region, RegionDirectory
from bot.services.subscriptions import SubscriptionService
from bot.services.understanding import Decision, DecisionKind, Feature, Understanding
from bot.telegram.filters import ButtonText
from bot.views import ivf as ivf_views
from bot.views.common import IvfAction, MenuButton
from bot.views.core import quote_user_text
from bot.views.facilities import FacilityMenu, search_answer
from handlers.mobile_clinics import (
    MY_REMINDERS,
    MobileNav,
    answer_mobile_question,
    show_place_visits,
)
from handlers.my_region import on_region_typed, show_my_region
from handlers.subscriptions import offer_announcements

TOPIC_LABELS: dict[str, str] = {
    "ivf": N_("👶 IVF and «Аңсаған сәби»"),
    "mobile": N_("🚐 Mobile clinics and medical trains"),
    "facilities": N_("🏥 New hospitals and centres"),
    "insurance": N_("📋 Insurance and contacts"),
}
PAGE_SIZE = 6
CHOOSE_TOPIC = N_("Choose a topic:")
STALE_BUTTON = N_("This button is out of date.")
_SHOW_TOPICS = frozenset(
    {DecisionKind.NOT_FOUND, DecisionKind.UNSUPPORTED_LANGUAGE, DecisionKind.NO_WORDS}
)


class TopicsMenu(CallbackData, prefix="kbm"):
    pass


class TopicPage(CallbackData, prefix="kbt"):
    topic: str
    page: int
    # Pressed under an answer: show the list in a new message and leave the answer readable.
    new: bool = False


class EntryChoice(CallbackData, prefix="kbe"):
    entry_id: str


class RegionQuotaChoice(CallbackData, prefix="kbr"):
    code: str


# Handlers ---------------------------------------------------------------------------------
async def answer_question_text(
    message: Message,
    state: FSMContext,
    *,
    understanding: Understanding,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
    facilities: FacilityDirectory,
    question_log: QuestionLogRepository,
    subscriptions: SubscriptionService,
    mobile_clinics: MobileClinics,
    users: UserRepository,
    region_summaries: RegionSummaries,
    i18n: I18n,
    pii_hasher: PiiHasher,
    user_record: UserRecord | None = None,
) -> None:
    """Every typed message that no dialog step took: read once, decide once, answer."""
    text = message.text or message.caption or ""
    reading = understanding.read(
        text, saved_region=user_record.region_code if user_record else None
    )
    decision = understanding.decide(reading)
    note_decision(decision.kind)  # answers by decision in /metrics, and the JSON log
    if decision.kind is DecisionKind.NOT_FOUND:
        redacted = redact_question(text, known_word_checker(knowledge_base, regions))
        # One person repeating a question counts once in /stats: a keyed hash, not the id.
        asker = pii_hasher.asker(message.from_user.id) if message.from_user else None
        await question_log.record_unanswered(
            redacted.text, redacted.normalised, current_locale(), asker=asker
        )
    locale = current_locale()
    if decision.kind is DecisionKind.UNSUPPORTED_LANGUAGE and user_record and user_record.language:
        # English "I" reads as Russian "и" to the text detector: the person's choice is surer.
        locale = user_record.language
    with i18n.use_locale(locale):
        if decision.feature is Feature.VILLAGE_VISITS and message.from_user is not None:
            await show_place_visits(
                message, state, list(decision.settlements), mobile_clinics, regions
            )
            return
        if decision.feature is Feature.MOBILE_VISITS:
            # Its own dialog follows (region, district, village): no offer in between.
            await answer_mobile_question(message, state, mobile_clinics, regions)
            return
        if decision.feature is Feature.MY_REGION and user_record is not None:
            if decision.region is not None:  # «запомни, что я из Алматинской области»
                await on_region_typed(message, state, users, region_summaries)
            else:
                await show_my_region(message, state, user_record, region_summaries, regions)
            return
        if decision.feature is Feature.FACILITIES:
            # The cards first (status with its date, and what a named place lacks); then what
            # the knowledge base adds (free or not, plans), unless the question named a place.
            answer, keyboard = search_answer(facilities.search(reading.text), facilities)
            await message.answer(answer, reply_markup=keyboard)
            if decision.entry is not None and reading.region is None:
                await message.answer(render_entry(decision.entry))
            await offer_announcements(message, subscriptions)
            return
        await message.answer(
            render_answer(decision, reading.text, ivf_quotas),
            reply_markup=answer_keyboard(
                decision,
                knowledge_base,
                quota_regions(decision, regions, ivf_quotas),
                visits_region=reading.region.code if reading.region else None,
                saved_region=reading.saved_region is not None,
            ),
        )
        # Greetings, thanks and insults are no moment to offer announcements.
        answered_fact = decision.entry is not None and decision.entry.kind == "fact"
        if answered_fact or decision.region is not None:
            await offer_announcements(message, subscriptions)


async def show_topics(message: Message, knowledge_base: KnowledgeBase) -> None:
    await message.answer(_(CHOOSE_TOPIC), reply_markup=topics_keyboard(knowledge_base))


async def on_topics_pressed(callback: CallbackQuery, knowledge_base: KnowledgeBase) -> None:
    await callback.answer()
    if callback.message is not None:
        await callback.message.answer(
            _(CHOOSE_TOPIC), reply_markup=topics_keyboard(knowledge_base)
        )


async def on_topic_page(
    callback: CallbackQuery, callback_data: TopicPage, knowledge_base: KnowledgeBase
) -> None:
    topic = knowledge_base.topic(callback_data.topic)
    if topic is None or not isinstance(callback.message, Message):
        await callback.answer(_(STALE_BUTTON))
        return
    await callback.answer()
    title = _(TOPIC_LABELS.get(topic.code, topic.code))
    keyboard = topic_page_keyboard(topic.code, list(topic.entries), callback_data.page)
    if callback_data.new:
        await callback.message.answer(title, reply_markup=keyboard)
    else:
        await callback.message.edit_text(title, reply_markup=keyboard)


async def on_entry_chosen(
    callback: CallbackQuery,
    callback_data: EntryChoice,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
) -> None:
    entry = knowledge_base.get(callback_data.entry_id)
    if entry is None or callback.message is None:
        await callback.answer(_(STALE_BUTTON))
        return
    await callback.answer()
    choices = quota_regions(entry, regions, ivf_quotas)
    await callback.message.answer(
        render_entry(entry), reply_markup=entry_keyboard(entry, knowledge_base, choices)
    )


async def on_region_quotas_chosen(
    callback: CallbackQuery,
    callback_data: RegionQuotaChoice,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
) -> None:
    region = regions.get(callback_data.code)
    if region is None or callback.message is None:
        await callback.answer(_(STALE_BUTTON))
        return
    await callback.answer()
    await callback.message.answer(
        render_region_quotas(region, ivf_quotas.for_region(region.code), ivf_quotas),
        reply_markup=answer_keyboard(
            Decision(DecisionKind.FEATURE, Feature.REGION_QUOTAS, region=region), None
        ),
    )


# Rendering --------------------------------------------------------------------------------
EMERGENCY_TEXT = N_(
    "🚑 If someone's life or health is in danger, call <b>103</b> (ambulance) or "
    "<b>112</b> (emergency services) now. Calls are free from any phone.\n\n"
    "I am a bot and cannot help in an emergency."
)
MEDICAL_ADVICE_TEXT = N_(
    "I cannot give medical advice: a diagnosis, treatment, medicines and their doses "
    "are decided only by a doctor. Please ask the doctor at your polyclinic (where "
    "you are attached). If it is urgent, call 103."
)


def render_answer(decision: Decision, text: str, ivf_quotas: IvfQuotaTable) -> str:
    if decision.kind is DecisionKind.EMERGENCY:
        if decision.also_medical_advice:
            return _(EMERGENCY_TEXT) + "\n\n" + _(MEDICAL_ADVICE_TEXT)
        return _(EMERGENCY_TEXT)
    if decision.kind is DecisionKind.MEDICAL_ADVICE:
        return _(MEDICAL_ADVICE_TEXT)
    if decision.kind is DecisionKind.UNSUPPORTED_LANGUAGE:
        return _(
            "I understand only Kazakh and Russian. Please write your question in Kazakh or "
            "Russian, or choose a topic below."
        )
    if decision.kind is DecisionKind.NO_WORDS:
        return _(
            "I did not find any words in your message. Please type your question, for "
            "example «how do I get an IVF quota?», or choose a topic below."
        )
    if decision.feature is Feature.REGION_QUOTAS:
        if decision.region is not None and decision.quotas is not None:
            return render_region_quotas(decision.region, decision.quotas, ivf_quotas)
        return _("Which region are you from? Choose it below and I will show its IVF quotas.")
    if decision.feature is Feature.QUEUE_LOOKUP:
        return _(
            "I can show your place in the IVF waiting list if your region's health department "
            "has loaded its list: press «{button}» below. Only you can see it: I will ask for "
            "your phone number (from this Telegram account) and your IIN."
        ).format(button=_(MenuButton.IVF_QUEUE))
    if decision.feature is Feature.REMINDERS:
        return _(
            "I can remind you the day before a mobile clinic comes to your village. Find your "
            "village and press «🔔 Remind me»; «📋 My reminders» lists the places you chose."
        )
    if decision.entry is not None:
        return render_entry(decision.entry)
    return _(
        "I have no answer to «{question}» in my sources. I answer questions about free IVF "
        "(«Аңсаған сәби»), mobile medical complexes and medical trains, new hospitals and "
        "centres, and health insurance: choose a topic below. A person can help: 1414 "
        "(Social Health Insurance Fund) or your polyclinic."
    ).format(question=quote_user_text(text))


def render_entry(entry: Entry) -> str:
    locale = current_locale()
    body = html.quote(entry.answer_in(locale))
    if entry.kind != "fact":
        return body
    return f"{body}\n\n📄 <i>{source_line(entry.source_in(locale), entry.year)}</i>"


def source_line(source: str, year: int | None) -> str:
    if year is None:
        return _("Source: {source}. The source gives no date.").format(source=html.quote(source))
    return _("Source: {source}. Figures as of {year}.").format(
        source=html.quote(source), year=year
    )


def render_region_quotas(region: Region, quotas: RegionQuotas, table: IvfQuotaTable) -> str:
    # One wording of quota figures on every screen (bot/views/ivf.py).
    return ivf_views.region_quotas(region, quotas, table.national).text


# Keyboards --------------------------------------------------------------------------------
def _topics_button(builder: InlineKeyboardBuilder) -> None:
    builder.button(text=_("📚 All topics"), callback_data=TopicsMenu())


def quota_regions(
    decision: Decision | Entry | None, regions: RegionDirectory, ivf_quotas: IvfQuotaTable
) -> list[Region]:
    """Regions offered under a quota answer that named none: every region when the citizen
    asked for their own, else those whose figures we hold."""
    if isinstance(decision, Decision):
        if decision.feature is Feature.REGION_QUOTAS and decision.region is None:
            return regions.all()
        entry = decision.entry if decision.region is None else None
    else:
        entry = decision
    if entry is None or entry.regional != "quotas":
        return []
    found = (regions.get(code) for code in ivf_quotas.regions_with_figures())
    return [region for region in found if region is not None]


def _region_buttons(builder: InlineKeyboardBuilder, choices: list[Region]) -> list[int]:
    locale = current_locale()
    for region in choices:
        builder.button(text=region.name(locale), callback_data=RegionQuotaChoice(code=region.code))
    return [2] * (len(choices) // 2) + [1] * (len(choices) % 2)


def _feature_buttons(
    builder: InlineKeyboardBuilder,
    features: tuple[Feature, ...],
    visits_region: str | None,
    saved_region: bool,
) -> int:
    """The features a reply offers, first under it: the bot never answers «there is no such
    service» when it has one. Features that open the same screen give one button."""
    # Straight to the region's districts when the question named a region we have.
    visits = (
        MobileNav(action="region", code=visits_region)
        if visits_region
        else MobileNav(action="regions")
    )
    buttons: dict[str, CallbackData] = {}
    for feature in features:
        if feature is Feature.QUEUE_LOOKUP:
            buttons[_(MenuButton.IVF_QUEUE)] = IvfAction(action="queue")
        elif feature is Feature.ELIGIBILITY_CHECK:
            buttons[_("✅ Can we get a free quota?")] = IvfAction(action="check")
        elif feature in (Feature.VILLAGE_VISITS, Feature.MOBILE_VISITS, Feature.REMINDERS):
            buttons[_("🚐 Visits to my village")] = visits
            if feature is Feature.REMINDERS:
                buttons[_(MY_REMINDERS)] = MobileNav(action="mine")
        elif feature is Feature.REGION_QUOTAS and saved_region:
            buttons[_("📊 Quotas in my region")] = IvfAction(action="quotas")
        elif feature is Feature.FACILITIES:
            buttons[_(MenuButton.FACILITIES)] = FacilityMenu(view="home")
    for label, callback_data in buttons.items():
        builder.button(text=label, callback_data=callback_data)
    return len(buttons)


def answer_keyboard(
    decision: Decision,
    knowledge_base: KnowledgeBase | None,
    region_choices: list[Region] | None = None,
    visits_region: str | None = None,
    saved_region: bool = False,
) -> InlineKeyboardMarkup:
    if decision.kind in _SHOW_TOPICS and knowledge_base is not None:
        # Nothing to answer: the topics themselves are the most useful next step.
        return topics_keyboard(knowledge_base, new_message=True)
    builder = InlineKeyboardBuilder()
    offered = decision.offered_features
    if decision.region is not None:
        offered = tuple(f for f in offered if f is not Feature.REGION_QUOTAS)
    sizes = [1] * _feature_buttons(builder, offered, visits_region, saved_region)
    locale = current_locale()
    for entry in decision.alternatives:
        builder.button(
            text="🔹 " + entry.title_in(locale), callback_data=EntryChoice(entry_id=entry.id)
        )
    sizes += [1] * len(decision.alternatives)
    sizes += _region_buttons(builder, region_choices or [])
    _topics_button(builder)
    builder.adjust(*sizes, 1)
    return builder.as_markup()


def topics_keyboard(
    knowledge_base: KnowledgeBase, *, new_message: bool = False
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    order = list(TOPIC_LABELS)
    topics = sorted(
        knowledge_base.topics(),
        key=lambda topic: order.index(topic.code) if topic.code in order else len(order),
    )
    for topic in topics:
        builder.button(
            text=_(TOPIC_LABELS.get(topic.code, topic.code)),
            callback_data=TopicPage(topic=topic.code, page=0, new=new_message),
        )
    builder.adjust(1)
    return builder.as_markup()


def topic_page_keyboard(topic: str, entries: list[Entry], page: int) -> InlineKeyboardMarkup:
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    locale = current_locale()
    builder = InlineKeyboardBuilder()
    for entry in entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        builder.button(text=entry.title_in(locale), callback_data=EntryChoice(entry_id=entry.id))
    sizes = [1] * len(entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    navigation = 0
    if page > 0:
        builder.button(text=_("⬅️ Back"), callback_data=TopicPage(topic=topic, page=page - 1))
        navigation += 1
    if page < pages - 1:
        builder.button(text=_("Next ➡️"), callback_data=TopicPage(topic=topic, page=page + 1))
        navigation += 1
    if navigation:
        sizes.append(navigation)
    _topics_button(builder)
    sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def entry_keyboard(
    entry: Entry, knowledge_base: KnowledgeBase, region_choices: list[Region] | None = None
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    sizes = _region_buttons(builder, region_choices or [])
    topic = knowledge_base.topic(entry.topic)
    if topic is not None and entry.topic in TOPIC_LABELS:
        page = [item.id for item in topic.entries].index(entry.id) // PAGE_SIZE
        builder.button(
            text="⬅️ " + _(TOPIC_LABELS[entry.topic]),
            callback_data=TopicPage(topic=entry.topic, page=page, new=True),
        )
    _topics_button(builder)
    builder.adjust(*sizes, 1)
    return builder.as_markup()


def create_router() -> Router:
    router = Router(name="questions")
    router.message.register(show_topics, ButtonText(MenuButton.TOPICS))
    # Commands are not questions: unknown ones go on to the fallback's "unknown command".
    router.message.register(answer_question_text, F.text, ~F.text.startswith("/"))
    # A photo with a question under it («эко квота»): the question is answered.
    router.message.register(answer_question_text, F.photo, F.caption, ~F.caption.startswith("/"))
    router.callback_query.register(on_topics_pressed, TopicsMenu.filter())
    router.callback_query.register(on_topic_page, TopicPage.filter())
    router.callback_query.register(on_entry_chosen, EntryChoice.filter())
    router.callback_query.register(on_region_quotas_chosen, RegionQuotaChoice.filter())
    return router
