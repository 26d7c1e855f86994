"""What staff see of broadcasts: the /broadcast dialog, the progress message and its report,
/broadcasts (the audit) with correction and retraction."""

from __future__ import annotations

import math

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.broadcasts import BroadcastRecord, RunRecord
from bot.i18n import N_, format_datetime, format_number
from bot.services.broadcasting import (
    CAPTION_LIMIT,
    Action,
    Audience,
    ChangeRefusal,
    QueuedRun,
)
from bot.services.outbox import Progress
from bot.services.regions import Region
from bot.services.subscriptions import Topic
from bot.views.common import Screen, main_menu
from bot.views.core import plain_excerpt

# The audiences as staff see them (broadcast dialog, audit, /stats). Citizens have their own
# names for them (`bot/views/subscriptions.py`), whose «my region» would name the staff
# member's own region here.
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
# How much of an announcement /broadcasts shows.
EXCERPT_LENGTH = 200
TOO_LATE = N_(
    "This broadcast can no longer be changed: Telegram allows it for 48 hours, "
    "and only after the sending has ended."
)
ALREADY_QUEUED = N_("This has already been queued: one press sends it once.")
TITLES = {
    "send": N_("📣 Broadcast #{id}"),
    "edit": N_("✏️ Correction of broadcast #{id}"),
    "delete": N_("🗑 Retraction of broadcast #{id}"),
}
RUN_STATUSES = {
    "queued": N_("queued"),
    "running": N_("sending"),
    "paused": N_("paused"),
    "done": N_("finished"),
    "cancelled": N_("stopped"),
}


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


# The /broadcast dialog -------------------------------------------------------------------------
def compose_start() -> Screen:
    text = _(
        "New announcement. Send its text in Kazakh.\n"
        "To send one text to everyone, press «Same text for all». /cancel stops at any step."
    )
    return Screen(text, _same_text_keyboard())


def correction_start() -> Screen:
    text = _("Send the corrected text in Kazakh, or press «Same text for all».")
    return Screen(text, _same_text_keyboard())


def _same_text_keyboard() -> InlineKeyboardMarkup:
    return choice_keyboard("same", [(_("Same text for all"), "1")])


def text_for_all_text() -> str:
    return _("Send the text that everyone will receive.")


def now_in_russian_text() -> str:
    return _("Now the same announcement in Russian.")


def too_long_text(limit: int) -> str:
    return _(
        "This is too long: Telegram allows {limit} characters here. Please shorten it."
    ).format(limit=format_number(limit))


def not_text_text() -> str:
    return _("Please send the text as a message, or /cancel.")


def attach_media(refused: bool = False) -> Screen:
    """The attachment step; `refused` after something that is neither a photo nor a document."""
    text = (
        _("Send a photo or a document, press «No attachment», or /cancel.")
        if refused
        else _("Attach a photo or a document, or press «No attachment».")
    )
    return Screen(text, choice_keyboard("skip_media", [(_("No attachment"), "1")]))


def choose_topic(reason: str | None = None) -> Screen:
    """The audience's first step; `reason` says why the sender is asked again."""
    text = reason or _("Who is it for? Choose the topic.")
    return Screen(text, choice_keyboard("topic", topic_options()))


def choose_region(regions: list[Region], locale: str) -> Screen:
    keyboard = choice_keyboard("region", region_options(regions, locale), columns=2)
    return Screen(_("Which region?"), keyboard)


def choose_language() -> Screen:
    return Screen(_("Which language's speakers?"), choice_keyboard("language", language_options()))


def nobody_matches_text() -> str:
    # The texts stay: only the audience has to change.
    return _(
        "No subscriber matches this audience, so there is nobody to send it to. "
        "Your texts are kept: choose the topic again (and the region, if you may)."
    )


def region_limited_text(region_name: str) -> str:
    return _(
        "You may now send announcements to {region} only. Your texts are kept: "
        "choose the audience again."
    ).format(region=region_name)


def preview_title(code: str) -> str:
    if code == "kk":
        return _("👁 Kazakh speakers will see:")
    return _("👁 Russian speakers will see:")


def region_name(region: Region | None, locale: str) -> str:
    return region.name(locale) if region else _("all regions")


def summary(audience: Audience, sizes: dict[str, int], region: str) -> Screen:
    text = _(
        "Topic: {topic}\nRegion: {region}\nRecipients: {total} ({kk} in Kazakh, {ru} in Russian)"
        "\n\nSend it?"
    ).format(
        topic=_(TOPIC_NAMES[audience.topic]),
        region=region,
        total=format_number(sum(sizes.values())),
        kk=format_number(sizes.get("kk", 0)),
        ru=format_number(sizes.get("ru", 0)),
    )
    return Screen(text, _send_keyboard())


def _send_keyboard() -> InlineKeyboardMarkup:
    return choice_keyboard("confirm", [(_("✅ Send"), "1")])


def cancelled() -> Screen:
    return Screen(_("Cancelled. Nothing was sent."), main_menu())


def press_a_button_text() -> str:
    return _("Please choose with the buttons above, or /cancel.")


def already_queued_text() -> str:
    return _(ALREADY_QUEUED)


def queued(queued: QueuedRun | ChangeRefusal | None) -> Screen:
    """What became of a send, correction or retraction, with the main menu back."""
    return Screen(_queued_text(queued), main_menu())


def _queued_text(queued: QueuedRun | ChangeRefusal | None) -> str:
    if queued is None or queued is ChangeRefusal.ALREADY_QUEUED:
        return _(ALREADY_QUEUED)
    if queued is ChangeRefusal.CAPTION_TOO_LONG:
        return _(
            "Nothing was changed: this broadcast has a photo or a document, and Telegram "
            "allows {limit} characters in its caption. Please shorten the text and correct "
            "it again."
        ).format(limit=format_number(CAPTION_LIMIT))
    if isinstance(queued, ChangeRefusal):
        return _(TOO_LATE)
    return ngettext(
        "Queued for {count} recipient. Progress will appear here.",
        "Queued for {count} recipients. Progress will appear here.",
        queued.recipients,
    ).format(count=format_number(queued.recipients))


# Progress buttons ------------------------------------------------------------------------------
def run_not_running_text() -> str:
    return _("This broadcast is no longer running.")


def run_control_done_text(action: str) -> str:
    done = {"pause": _("Paused."), "resume": _("Resumed."), "cancel": _("Stopping…")}
    return done[action]


# /broadcasts, correction and retraction ------------------------------------------------------
def no_broadcasts_text() -> str:
    return _("No broadcasts yet.")


def too_late_text() -> str:
    return _(TOO_LATE)


def retract_question(broadcast_id: int) -> Screen:
    text = _("Delete broadcast #{id} from every chat it reached?").format(id=broadcast_id)
    label = _("🗑 Yes, delete it everywhere")
    return Screen(text, choice_keyboard("retract", [(label, str(broadcast_id))]))


def replace_question(broadcast_id: int) -> Screen:
    text = _("Replace the text of broadcast #{id} in every chat it reached?").format(
        id=broadcast_id
    )
    return Screen(text, _send_keyboard())


def history_entry_text(
    broadcast: BroadcastRecord, runs: list[RunRecord], region: str, locale: str
) -> str:
    language = _(LANGUAGE_AUDIENCE[broadcast.language or "all"])
    lines = [
        _("<b>#{id}</b> · {date} · by <code>{author}</code>").format(
            id=broadcast.id, date=format_datetime(broadcast.created_at), author=broadcast.author_id
        ),
        f"{_(TOPIC_NAMES[Topic(broadcast.topic)])} · {region} · {language}",
    ]
    for run in runs:
        title = _(TITLES[run.action]).format(id=broadcast.id)
        if run.action == Action.DELETE:
            outcome = _(
                "{title}: {status}, deleted {delivered} of {total}, blocked {blocked}, "
                "failed {failed}"
            )
        else:
            outcome = _(
                "{title}: {status}, delivered {delivered} of {total}, blocked {blocked}, "
                "failed {failed}"
            )
        lines.append(
            outcome.format(
                title=title,
                status=_(RUN_STATUSES.get(run.status, run.status)),
                delivered=format_number(run.delivered),
                total=format_number(run.recipients),
                blocked=format_number(run.blocked),
                failed=format_number(run.failed),
            )
        )
    snippet = broadcast.text_ru if locale == "ru" else broadcast.text_kk
    lines.append("")
    # Cut on the visible text: a cut inside a tag makes Telegram refuse the whole message.
    lines.append(html.quote(plain_excerpt(snippet, EXCERPT_LENGTH)))
    return "\n".join(lines)


# The progress message and the final report -----------------------------------------------------
def format_duration(seconds: float) -> str:
    minutes, secs = divmod(math.ceil(seconds), 60)
    if minutes == 0:
        return _("{seconds} s").format(seconds=secs)
    return _("{minutes} min {seconds} s").format(minutes=format_number(minutes), seconds=secs)


def _headline(run: RunRecord, status: str) -> str:
    title = _(TITLES[run.action]).format(id=run.broadcast_id)
    return f"<b>{title}</b>: {status}"


def progress_text(progress: Progress) -> str:
    counts, run = progress.counts, progress.run
    lines = [
        _headline(run, _("paused") if run.status == "paused" else _("sending")),
        (
            _("Deleted: {sent} · blocked: {blocked} · failed: {failed} · left: {left}")
            if run.action == "delete"
            else _("Sent: {sent} · blocked: {blocked} · failed: {failed} · left: {left}")
        ).format(
            sent=format_number(counts.delivered),
            blocked=format_number(counts.blocked),
            failed=format_number(counts.failed),
            left=format_number(counts.left),
        ),
    ]
    if counts.left and progress.eta_seconds is not None and run.status != "paused":
        lines.append(
            _("Time left: about {duration}").format(duration=format_duration(progress.eta_seconds))
        )
    return "\n".join(lines)


def report_text(progress: Progress) -> str:
    counts, run = progress.counts, progress.run
    lines = [
        _headline(run, _("stopped") if run.status == "cancelled" else _("finished")),
        (
            _("Deleted: {delivered} of {total}")
            if run.action == "delete"
            else _("Delivered: {delivered} of {total}")
        ).format(delivered=format_number(counts.delivered), total=format_number(counts.total)),
        _("Blocked the bot (unsubscribed): {blocked}").format(
            blocked=format_number(counts.blocked)
        ),
        _("Failed after retries: {failed}").format(failed=format_number(counts.failed)),
    ]
    if counts.cancelled:
        lines.append(
            _("Not sent (stopped): {cancelled}").format(cancelled=format_number(counts.cancelled))
        )
    if counts.possible_duplicates:
        lines.append(
            _(
                "May have received it twice (Telegram's answer was lost or the bot restarted "
                "mid-send): {count}"
            ).format(count=format_number(counts.possible_duplicates))
        )
    rate = round(progress.rate, 1)
    # A fraction takes the form of 2 in Russian («2,5 сообщения»), a whole number its own.
    plural_of = int(rate) if rate == int(rate) else 2
    lines.append(
        ngettext(
            "Duration: {duration} · {rate} message per second",
            "Duration: {duration} · {rate} messages per second",
            plural_of,
        ).format(duration=format_duration(progress.busy_seconds), rate=format_number(rate))
    )
    return "\n".join(lines)
