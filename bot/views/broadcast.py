"""Texts, callback data and keyboards shared by subscriptions, broadcasts and their reports."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_
from bot.services.regions import Region
from bot.services.subscriptions import Topic
from bot.views.common import yes_no_keyboard

# What a citizen subscribes to, in their words («… in my region»).
CITIZEN_TOPIC_NAMES: dict[Topic, str] = {
    Topic.IVF: N_("IVF news («Аңсаған сәби»)"),
    Topic.MOBILE_CLINICS: N_("Mobile clinics in my region"),
    Topic.FACILITIES: N_("New hospitals and centres"),
}
# The same audiences as staff see them (broadcast dialog, audit, /stats): «my region» would
# name the staff member's own region.
TOPIC_NAMES: dict[Topic, str] = {
    Topic.IVF: N_("IVF news audience"),
    Topic.MOBILE_CLINICS: N_("Mobile clinic audience: by region"),
    Topic.FACILITIES: N_("New facilities audience"),
}
LANGUAGE_AUDIENCE: dict[str, str] = {
    "all": N_("Both languages"),
    "kk": N_("Kazakh speakers only"),
    "ru": N_("Russian speakers only"),
}
ALL_REGIONS = "all"


class SubscriptionToggle(CallbackData, prefix="sub"):
    topic: str


class SubscriptionOffer(CallbackData, prefix="suboffer"):
    accept: bool


class ComposeChoice(CallbackData, prefix="bc"):
    """A button of the /broadcast dialog: `step` says which question it answers."""

    step: str  # "same", "skip_media", "topic", "region", "language", "confirm", "cancel"
    value: str = ""


class RunControl(CallbackData, prefix="bcrun"):
    run_id: int
    action: str  # "pause", "resume", "cancel"


class BroadcastChange(CallbackData, prefix="bcchg"):
    broadcast_id: int
    action: str  # "edit", "delete", "confirm_delete"


def subscriptions_keyboard(subscribed: set[Topic]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for topic, msgid in CITIZEN_TOPIC_NAMES.items():
        mark = "✅" if topic in subscribed else "▫️"
        builder.button(text=f"{mark} {_(msgid)}", callback_data=SubscriptionToggle(topic=topic))
    builder.adjust(1)
    return builder.as_markup()


def announcements_offer() -> tuple[str, InlineKeyboardMarkup]:
    """Asked once ever, after a feature has answered a new user (handlers/questions.py)."""
    text = _(
        "Would you like to hear from health departments when there are new IVF quotas, "
        "a mobile clinic comes to your region or a new hospital opens? "
        "A few messages a month; /stop ends them."
    )
    return text, offer_keyboard()


def offer_keyboard() -> InlineKeyboardMarkup:
    return yes_no_keyboard(
        _("🔔 Yes, subscribe"),
        SubscriptionOffer(accept=True),
        _("No, thanks"),
        SubscriptionOffer(accept=False),
    )


def choice_keyboard(
    step: str, options: list[tuple[str, str]], columns: int = 1
) -> InlineKeyboardMarkup:
    """Buttons (label, value) answering one step of the /broadcast dialog, plus Cancel."""
    builder = InlineKeyboardBuilder()
    for label, value in options:
        builder.button(text=label, callback_data=ComposeChoice(step=step, value=value))
    builder.adjust(columns)
    builder.row()
    builder.button(text=_("✖️ Cancel"), callback_data=ComposeChoice(step="cancel"))
    return builder.as_markup()


def topic_options() -> list[tuple[str, str]]:
    return [(_(msgid), topic.value) for topic, msgid in TOPIC_NAMES.items()]


def region_options(regions: list[Region], locale: str) -> list[tuple[str, str]]:
    return [(_("All regions"), ALL_REGIONS)] + [
        (region.name(locale), region.code) for region in regions
    ]


def language_options() -> list[tuple[str, str]]:
    return [(_(msgid), value) for value, msgid in LANGUAGE_AUDIENCE.items()]


def progress_keyboard(run_id: int, paused: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if paused:
        resume = RunControl(run_id=run_id, action="resume")
        builder.button(text=_("▶️ Resume"), callback_data=resume)
    else:
        builder.button(text=_("⏸ Pause"), callback_data=RunControl(run_id=run_id, action="pause"))
    builder.button(text=_("⏹ Stop"), callback_data=RunControl(run_id=run_id, action="cancel"))
    builder.adjust(2)
    return builder.as_markup()


def change_keyboard(broadcast_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✏️ Correct #{id}").format(id=broadcast_id),
        callback_data=BroadcastChange(broadcast_id=broadcast_id, action="edit"),
    )
    builder.button(
        text=_("🗑 Retract #{id}").format(id=broadcast_id),
        callback_data=BroadcastChange(broadcast_id=broadcast_id, action="delete"),
    )
    builder.adjust(2)
    return builder.as_markup()
