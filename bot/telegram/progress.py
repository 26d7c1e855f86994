"""The staff member's view of a running broadcast: one progress message, edited, then a report."""

from __future__ import annotations

import logging
import math

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRepository
from bot.i18n import N_, format_number
from bot.services.broadcasting import Progress
from bot.views.broadcast import progress_keyboard

logger = logging.getLogger(__name__)

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


def format_duration(seconds: float) -> str:
    minutes, secs = divmod(math.ceil(seconds), 60)
    if minutes == 0:
        return _("{seconds} s").format(seconds=secs)
    return _("{minutes} min {seconds} s").format(minutes=format_number(minutes), seconds=secs)


def progress_text(progress: Progress) -> str:
    counts, run = progress.counts, progress.run
    title = _(TITLES[run.action]).format(id=run.broadcast_id)
    status = _("paused") if run.status == "paused" else _("sending")
    lines = [
        f"<b>{title}</b>: {status}",
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
    title = _(TITLES[run.action]).format(id=run.broadcast_id)
    ending = _("stopped") if run.status == "cancelled" else _("finished")
    lines = [
        f"<b>{title}</b>: {ending}",
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


class TelegramProgressReporter:
    """Shows progress in the staff member's chat, in their language."""

    def __init__(self, bot: Bot, i18n: I18n, users: UserRepository, default_locale: str) -> None:
        self._bot = bot
        self._i18n = i18n
        self._users = users
        self._default = default_locale

    async def _locale(self, user_id: int) -> str:
        record = await self._users.get(user_id)
        if record is not None and record.language:
            return record.language
        return self._default

    async def show(self, progress: Progress) -> int | None:
        run = progress.run
        locale = await self._locale(run.requested_by)
        with self._i18n.context(), self._i18n.use_locale(locale):
            text = progress_text(progress)
            markup = progress_keyboard(run.id, paused=run.status == "paused")
        if run.progress_message_id is not None:
            try:
                await self._bot.edit_message_text(
                    text=text,
                    chat_id=run.report_chat_id,
                    message_id=run.progress_message_id,
                    reply_markup=markup,
                )
            except TelegramAPIError as error:
                # "message is not modified" and the like: the next edit will do.
                logger.debug("Progress edit skipped: %s", type(error).__name__)
            return None
        sent = await self._bot.send_message(run.report_chat_id, text, reply_markup=markup)
        return sent.message_id

    async def finished(self, progress: Progress) -> None:
        run = progress.run
        locale = await self._locale(run.requested_by)
        with self._i18n.context(), self._i18n.use_locale(locale):
            text = report_text(progress)
        if run.progress_message_id is not None:
            try:
                # The buttons go: there is nothing left to pause.
                await self._bot.edit_message_reply_markup(
                    chat_id=run.report_chat_id, message_id=run.progress_message_id
                )
            except TelegramAPIError:
                logger.debug("Progress buttons not removed")
        await self._bot.send_message(run.report_chat_id, text)
