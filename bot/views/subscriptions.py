"""What citizens see of their subscriptions: topics, the toggles, the one-time offer, /stop."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_
from bot.services.subscriptions import Topic
from bot.views.common import yes_no_keyboard

# What a citizen subscribes to, in their words («… in my region»).
CITIZEN_TOPIC_NAMES: dict[Topic, str] = {
    Topic.IVF: N_("IVF news («Аңсаған сәби»)"),
    Topic.MOBILE_CLINICS: N_("Mobile clinics in my region"),
    Topic.FACILITIES: N_("New hospitals and centres"),
}


class SubscriptionToggle(CallbackData, prefix="sub"):
    topic: str


class SubscriptionOffer(CallbackData, prefix="suboffer"):
    accept: bool


def subscriptions_keyboard(subscribed: set[Topic]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for topic, msgid in CITIZEN_TOPIC_NAMES.items():
        mark = "✅" if topic in subscribed else "▫️"
        builder.button(text=f"{mark} {_(msgid)}", callback_data=SubscriptionToggle(topic=topic))
    builder.adjust(1)
    return builder.as_markup()


def offer_keyboard() -> InlineKeyboardMarkup:
    return yes_no_keyboard(
        _("🔔 Yes, subscribe"), _("No, thanks"), lambda yes: SubscriptionOffer(accept=yes)
    )


def subscriptions_text() -> str:
    return _(
        "Announcements from health departments: new IVF quotas, the route of the mobile "
        "clinic in your region, new hospitals. Press a topic to turn it on or off; "
        "/stop turns everything off."
    )


def out_of_date_text() -> str:
    return _("This button is out of date.")


def toggled_text(topic: Topic, subscribed: bool) -> str:
    name = _(CITIZEN_TOPIC_NAMES[topic])
    if subscribed:
        return _("Subscribed: {topic}").format(topic=name)
    return _("Unsubscribed: {topic}").format(topic=name)


def region_needed_text() -> str:
    return _("Announcements about mobile clinics are sent by region.")


def stopped_text(was_subscribed: bool) -> str:
    if was_subscribed:
        return _(
            "Done: you will receive no more announcements. "
            "To subscribe again, open «🔔 Subscriptions» in the menu."
        )
    return _("You are not subscribed to any announcements.")


def offer_text() -> str:
    return _(
        "Would you like to hear from health departments when there are new IVF quotas, "
        "a mobile clinic comes to your region or a new hospital opens? "
        "A few messages a month; /stop ends them."
    )


def announcements_offer() -> tuple[str, InlineKeyboardMarkup]:
    """Asked once ever, after a feature has answered a new user (handlers/questions.py)."""
    return offer_text(), offer_keyboard()


def offer_answered_text(accepted: bool) -> str:
    if accepted:
        return _(
            "Done: you are subscribed to all three topics. Change this in «🔔 Subscriptions» "
            "or send /stop."
        )
    return _("All right. You can subscribe any time in «🔔 Subscriptions».")
