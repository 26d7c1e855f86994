"""Free-text questions answered from the knowledge base, and the topic menu to browse it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot.db.users import UserRecord
from bot.i18n import current_locale
from bot.monitoring.metrics import note_decision
from bot.services.facilities import FacilityDirectory
from bot.services.ivf_quotas import IvfQuotaTable
from bot.services.knowledge_base import KnowledgeBase
from bot.services.mobile_clinics import MobileClinics, PlaceVisits
from bot.services.my_region import RegionSummaries, RegionWriter
from bot.services.pii_hash import PiiHasher
from bot.services.questions import UnansweredLog, keep_unanswered
from bot.services.regions import RegionDirectory
from bot.services.subscriptions import SubscriptionService
from bot.services.tickets import TicketService
from bot.services.understanding import DecisionKind, Feature, Understanding
from bot.states import MobileClinicForm, MyRegionForm
from bot.telegram.filters import ButtonText
from bot.views import facilities as facility_views
from bot.views import mobile_clinics as mobile_views
from bot.views import my_region as my_region_views
from bot.views import questions as views
from bot.views.common import MenuButton, Screen, show, show_pressed, stale_button
from bot.views.subscriptions import announcements_offer


async def answer_question_text(
    message: Message,
    state: FSMContext,
    *,
    understanding: Understanding,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
    facilities: FacilityDirectory,
    question_log: UnansweredLog,
    subscriptions: SubscriptionService,
    mobile_clinics: MobileClinics,
    users: RegionWriter,
    region_summaries: RegionSummaries,
    i18n: I18n,
    pii_hasher: PiiHasher,
    tickets: TicketService,
    user_record: UserRecord | None = None,
) -> None:
    """Every typed message that no dialog step took: read once, decide once, answer."""
    text = message.text or message.caption or ""
    reading, decision = understanding.understand(
        text,
        saved_region=user_record.region_code if user_record else None,
        message=(message.chat.id, message.message_id),
    )
    note_decision(decision.kind)  # answers by decision in /metrics, and the JSON log
    if decision.kind is DecisionKind.NOT_FOUND:
        # One person repeating a question counts once in /stats: a keyed hash, not the id.
        asker = pii_hasher.asker(message.from_user.id) if message.from_user else None
        await keep_unanswered(
            question_log,
            text,
            knowledge_base=knowledge_base,
            regions=regions,
            language=current_locale(),
            asker=asker,
        )
    locale = current_locale()
    if decision.kind is DecisionKind.UNSUPPORTED_LANGUAGE:
        if not (user_record and user_record.language):
            # Nobody knows yet which of our two languages this person reads: both.
            await show(message, views.unsupported_language_in_both(i18n, knowledge_base))
            return
        # English "I" reads as Russian "и" to the text detector: the person's choice is surer.
        locale = user_record.language
    user_id = message.from_user.id if message.from_user else None
    with i18n.use_locale(locale):
        # A feature's own screens, where the question asks for what a feature shows.
        if decision.feature is Feature.VILLAGE_VISITS and user_id is not None:
            await state.clear()
            found = await mobile_clinics.visits_of(decision.settlements, user_id)
            await show(message, _place_visits(found, text, mobile_clinics))
            return
        if decision.feature is Feature.MOBILE_VISITS and user_id is not None:
            # Its own dialog follows (region, district, village): no offer in between.
            in_dialog = await state.get_state() == MobileClinicForm.entering_settlement.state
            found = await mobile_clinics.visits_named_in(text, user_id)
            if found.found:
                await state.clear()
            else:
                await state.set_state(MobileClinicForm.entering_settlement)
            await show(message, _place_visits(found, text, mobile_clinics, in_dialog))
            return
        if decision.feature is Feature.MY_REGION and user_record is not None:
            if decision.region is not None:  # «запомни, что я из Алматинской области»
                await state.clear()
                saved = await region_summaries.save_typed(users, user_record.id, text)
                await show(message, my_region_views.region_typed(saved, text))
                return
            summary = await region_summaries.current(user_record.region_code)
            if summary is None:
                await state.set_state(MyRegionForm.entering_region)
            await show(message, my_region_views.my_region(summary, regions.all()))
            return
        if decision.feature is Feature.FACILITIES:
            # The cards first (status with its date, and what a named place lacks); then what
            # the knowledge base adds (free or not, plans), unless the question named a place.
            answer, keyboard = facility_views.search_answer(
                facilities.search(reading.text), facilities
            )
            await show(message, Screen(answer, keyboard))
            if decision.entry is not None and reading.region is None:
                await show(message, views.entry_text(decision.entry))
            await _offer_announcements(message, subscriptions)
            return
        if message.from_user is not None:  # «🙋 Ask a person» under the answer can send it
            entry_id = decision.entry.id if decision.entry else None
            tickets.remember_question(message.from_user.id, reading.text, entry_id)
        screen = views.answer(
            decision,
            reading.text,
            knowledge_base=knowledge_base,
            regions=regions,
            ivf_quotas=ivf_quotas,
            visits_region=reading.region.code if reading.region else None,
            saved_region=reading.saved_region is not None,
        )
        await show(message, screen)
        # Greetings, thanks and insults are no moment to offer announcements.
        answered_fact = decision.entry is not None and decision.entry.kind == "fact"
        if answered_fact or decision.region is not None:
            await _offer_announcements(message, subscriptions)


def _place_visits(
    found: PlaceVisits, text: str, mobile_clinics: MobileClinics, in_dialog: bool = False
) -> Screen:
    return mobile_views.place_visits(
        found, text, in_dialog=in_dialog, mobile_clinics=mobile_clinics
    )


async def _offer_announcements(message: Message, subscriptions: SubscriptionService) -> None:
    # Asked once ever, after a feature has answered (bot/services/subscriptions.py decides).
    if message.from_user is None or not await subscriptions.should_offer(message.from_user.id):
        return
    text, keyboard = announcements_offer()
    await message.answer(text, reply_markup=keyboard)


async def show_topics(message: Message, knowledge_base: KnowledgeBase) -> None:
    await show(message, views.topics(knowledge_base))


async def on_topics_pressed(callback: CallbackQuery, knowledge_base: KnowledgeBase) -> None:
    await show(callback, views.topics(knowledge_base))


async def on_topic_page(
    callback: CallbackQuery, callback_data: views.TopicPage, knowledge_base: KnowledgeBase
) -> None:
    screen = views.topic_page(knowledge_base, callback_data.topic, callback_data.page)
    if screen is None or not isinstance(callback.message, Message):
        await callback.answer(stale_button())
        return
    # Pressed under an answer: a new message, so the answer stays readable.
    await show(callback, screen, in_place=not callback_data.new)


async def on_entry_chosen(
    callback: CallbackQuery,
    callback_data: views.EntryChoice,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
) -> None:
    entry = knowledge_base.get(callback_data.entry_id)
    screen = None if entry is None else views.entry(entry, knowledge_base, regions, ivf_quotas)
    await show_pressed(callback, screen)


async def on_region_quotas_chosen(
    callback: CallbackQuery,
    callback_data: views.RegionQuotaChoice,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
) -> None:
    region = regions.get(callback_data.code)
    await show_pressed(
        callback, None if region is None else views.region_quotas(region, ivf_quotas)
    )


def create_router() -> Router:
    router = Router(name="questions")
    router.message.register(show_topics, ButtonText(MenuButton.TOPICS))
    # Commands are not questions: unknown ones go on to the fallback's "unknown command".
    router.message.register(answer_question_text, F.text, ~F.text.startswith("/"))
    # A photo with a question under it («эко квота»): the question is answered.
    router.message.register(answer_question_text, F.photo, F.caption, ~F.caption.startswith("/"))
    router.callback_query.register(on_topics_pressed, views.TopicsMenu.filter())
    router.callback_query.register(on_topic_page, views.TopicPage.filter())
    router.callback_query.register(on_entry_chosen, views.EntryChoice.filter())
    router.callback_query.register(on_region_quotas_chosen, views.RegionQuotaChoice.filter())
    return router
