"""Answers to typed questions and the topic menu of the knowledge base, in the current locale.

`answer()` renders one `Decision` of bot/services/understanding.py; the answers that a feature
serves show that feature first among the buttons.
"""

from __future__ import annotations

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_, current_locale
from bot.services.ivf_quotas import IvfQuotaTable, RegionQuotas
from bot.services.knowledge_base import Entry, KnowledgeBase
from bot.services.regions import Region, RegionDirectory
from bot.services.understanding import Decision, DecisionKind, Feature
from bot.views import ivf as ivf_views
from bot.views.common import (
    IvfAction,
    MenuButton,
    Screen,
    paged_keyboard,
)
from bot.views.core import quote_user_text
from bot.views.facilities import FacilityMenu
from bot.views.mobile_clinics import MY_REMINDERS, MobileNav
from bot.views.safety import MEDICAL_ADVICE_TEXT, emergency_text
from bot.views.tickets import ticket_buttons, under_answer

TOPIC_LABELS: dict[str, str] = {
    "ivf": N_("👶 IVF and «Аңсаған сәби»"),
    "mobile": N_("🚐 Mobile clinics and medical trains"),
    "facilities": N_("🏥 New hospitals and centres"),
    "insurance": N_("📋 Insurance and contacts"),
}
PAGE_SIZE = 6
CHOOSE_TOPIC = N_("Choose a topic:")
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


# Rendering --------------------------------------------------------------------------------
# Decisions answered with one fixed text.
FIXED_ANSWERS: dict[DecisionKind, str] = {
    DecisionKind.MEDICAL_ADVICE: MEDICAL_ADVICE_TEXT,
    DecisionKind.UNSUPPORTED_LANGUAGE: N_(
        "I understand only Kazakh and Russian. Please write your question in Kazakh or "
        "Russian, or choose a topic below."
    ),
    DecisionKind.NO_WORDS: N_(
        "I did not find any words in your message. Please type your question, for "
        "example «how do I get an IVF quota?», or choose a topic below."
    ),
}


def render_answer(decision: Decision, text: str, ivf_quotas: IvfQuotaTable) -> str:
    if decision.kind is DecisionKind.EMERGENCY:
        return emergency_text(also_medical_advice=decision.also_medical_advice)
    if decision.kind in FIXED_ANSWERS:
        return _(FIXED_ANSWERS[decision.kind])
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


_topics_keyboards: dict[tuple[str, bool, tuple[str, ...]], InlineKeyboardMarkup] = {}


def topics_keyboard(
    knowledge_base: KnowledgeBase, *, new_message: bool = False
) -> InlineKeyboardMarkup:
    order = list(TOPIC_LABELS)
    codes = tuple(
        sorted(
            (topic.code for topic in knowledge_base.topics()),
            key=lambda code: order.index(code) if code in order else len(order),
        )
    )
    # Built once per language and topic list: the builder deep-copies every button, which made
    # the «Topics» button cost ten times a command (bench/dispatch_overhead.py).
    key = (current_locale(), new_message, codes)
    if key not in _topics_keyboards:
        builder = InlineKeyboardBuilder()
        for code in codes:
            builder.button(
                text=_(TOPIC_LABELS.get(code, code)),
                callback_data=TopicPage(topic=code, page=0, new=new_message),
            )
        builder.adjust(1)
        _topics_keyboards[key] = builder.as_markup()
    return _topics_keyboards[key]


def topic_page_keyboard(topic: str, entries: list[Entry], page: int) -> InlineKeyboardMarkup:
    locale = current_locale()
    items = [(entry.title_in(locale), EntryChoice(entry_id=entry.id)) for entry in entries]
    return paged_keyboard(
        items,
        page,
        lambda number: TopicPage(topic=topic, page=number),
        per_page=PAGE_SIZE,
        footer=[(_("📚 All topics"), TopicsMenu())],
    )


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


# Screens -----------------------------------------------------------------------------------
def topics(knowledge_base: KnowledgeBase) -> Screen:
    return Screen(_(CHOOSE_TOPIC), topics_keyboard(knowledge_base))


def topic_page(knowledge_base: KnowledgeBase, topic_code: str, page: int) -> Screen | None:
    """One page of a topic's entries; None for a topic that no longer exists."""
    topic = knowledge_base.topic(topic_code)
    if topic is None:
        return None
    title = _(TOPIC_LABELS.get(topic.code, topic.code))
    return Screen(title, topic_page_keyboard(topic.code, list(topic.entries), page))


def entry(
    entry: Entry,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
) -> Screen:
    choices = quota_regions(entry, regions, ivf_quotas)
    keyboard = entry_keyboard(entry, knowledge_base, choices)
    return Screen(render_entry(entry), ticket_buttons(keyboard, entry.id, votes=True))


def region_quotas(region: Region, ivf_quotas: IvfQuotaTable) -> Screen:
    return Screen(
        render_region_quotas(region, ivf_quotas.for_region(region.code), ivf_quotas),
        answer_keyboard(
            Decision(DecisionKind.FEATURE, Feature.REGION_QUOTAS, region=region), None
        ),
    )


def answer(
    decision: Decision,
    text: str,
    *,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
    visits_region: str | None,
    saved_region: bool,
) -> Screen:
    """The reply to a typed question: the answer, then the features and entries it offers."""
    keyboard = answer_keyboard(
        decision,
        knowledge_base,
        quota_regions(decision, regions, ivf_quotas),
        visits_region=visits_region,
        saved_region=saved_region,
    )
    return Screen(render_answer(decision, text, ivf_quotas), under_answer(keyboard, decision))


def unsupported_language_in_both(i18n: I18n, knowledge_base: KnowledgeBase) -> Screen:
    """«I understand only Kazakh and Russian» to someone who has not chosen either yet: in both."""
    msgid = FIXED_ANSWERS[DecisionKind.UNSUPPORTED_LANGUAGE]
    text = "\n\n".join(i18n.gettext(msgid, locale=code) for code in ("kk", "ru"))
    return Screen(text, topics_keyboard(knowledge_base, new_message=True))


def entry_text(entry: Entry) -> Screen:
    return Screen(render_entry(entry))
