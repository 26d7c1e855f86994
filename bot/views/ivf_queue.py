"""What the IVF queue feature says, in the current locale: shared by handlers, CLI, notifier.

Nothing here ever receives an IIN or a phone number, so nothing here can show one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.ivf_queue import QueueNotice
from bot.i18n import N_, current_locale, format_date, format_number
from bot.services.iin import IinProblem
from bot.services.ivf_queue import (
    FoundRecord,
    LimitReason,
    LookupLimit,
    QueueReadiness,
    QueueStatus,
)
from bot.services.ivf_queue_import import Column, FileProblem, ImportReport, RowProblem
from bot.services.regions import Region, RegionDirectory
from bot.views.common import Screen, main_menu
from bot.views.core import health_department, quote_user_text
from bot.views.privacy import cancelled

# A report must fit in one message (4096 characters): at most this many rows and characters.
MAX_LISTED_ROWS = 30
REPORT_BUDGET = 3800

SHARE_PHONE = N_("📱 Share my phone number")
CANCEL = N_("✖️ Cancel")
UNAVAILABLE = N_(
    "The queue look-up is not available right now. Please ask your regional health "
    "department about your place."
)

STATUS_NAMES: dict[QueueStatus, str] = {
    QueueStatus.WAITING: N_("waiting in the queue"),
    QueueStatus.REFERRED: N_("referred to a clinic"),
    QueueStatus.DONE: N_("IVF done"),
    QueueStatus.REMOVED: N_("removed from the list"),
}
IIN_PROBLEMS: dict[IinProblem, str] = {
    IinProblem.LENGTH: N_(
        "An IIN has exactly 12 digits, and the number you sent has a different count. "
        "Please check it and send it again."
    ),
    IinProblem.NOT_DIGITS: N_(
        "An IIN is made of digits only, and what you sent has letters or other signs. "
        "Please check it and send it again."
    ),
    IinProblem.CONTROL_DIGIT: N_(
        "This is not a valid IIN: its last, control digit does not match the others, so there "
        "is probably a typo. Please compare it with your ID card and send it again."
    ),
}
ROW_PROBLEMS: dict[RowProblem, str] = {
    RowProblem.TOO_FEW_CELLS: N_("too few columns"),
    RowProblem.IIN_MISSING: N_("no IIN"),
    RowProblem.IIN_LENGTH: N_("the IIN does not have 12 digits"),
    RowProblem.IIN_NOT_DIGITS: N_("the IIN has signs other than digits"),
    RowProblem.IIN_CONTROL_DIGIT: N_("the IIN's control digit is wrong (a typo?)"),
    RowProblem.IIN_DUPLICATE: N_("the same IIN as in row {detail}"),
    RowProblem.PHONE_INVALID: N_(
        "no phone number, or it is not a Kazakh mobile number like +7 701 123 45 67"
    ),
    RowProblem.POSITION_MISSING: N_("no place in the queue"),
    RowProblem.POSITION_INVALID: N_("the place in the queue is not a whole number from 1 up"),
    RowProblem.POSITION_TOO_LARGE: N_(
        "the place in the queue is larger than 1 000 000, more than any list has (a typo?)"
    ),
    RowProblem.REGION_MISSING: N_("no region"),
    RowProblem.REGION_UNKNOWN: N_("unknown region «{detail}»"),
    RowProblem.REGION_OTHER: N_("the region «{detail}» is not the region of this list"),
    RowProblem.STATUS_UNKNOWN: N_(
        "unknown status «{detail}» (write: waiting, referred, done or removed)"
    ),
    RowProblem.DATE_INVALID: N_("«{detail}» is not a date like 01.11.2026"),
}
COLUMN_NAMES: dict[Column, str] = {
    Column.IIN: N_("IIN"),
    Column.PHONE: N_("phone"),
    Column.REGION: N_("region"),
    Column.POSITION: N_("place in the queue"),
    Column.STATUS: N_("status"),
    Column.DATE: N_("date of the list"),
}


def status_name(status: str) -> str:
    return _(STATUS_NAMES[QueueStatus(status)])


def region_name(regions: RegionDirectory, code: str) -> str:
    region = regions.get(code)
    return region.name(current_locale()) if region else code


def _on(moment: datetime) -> str:
    return format_date(moment.date())


def record_text(record: FoundRecord, regions: RegionDirectory) -> str:
    entry = record.entry
    lines = [
        _("<b>Your place in the IVF waiting list</b>"),
        _("Region: {region}").format(region=region_name(regions, entry.region_code)),
        _("Place in the queue: <b>{position}</b>").format(position=format_number(entry.position)),
        _("Status: {status}").format(status=status_name(entry.status)),
        _("List dated {date}").format(date=format_date(entry.list_date)),
    ]
    previous = record.previous
    if previous is not None:
        lines.append("")
        day = _on(previous.last_lookup_at)
        moved = previous.last_position - entry.position
        if moved > 0:
            lines.append(
                ngettext(
                    "Since your last look-up on {date} you have moved up by {count} place.",
                    "Since your last look-up on {date} you have moved up by {count} places.",
                    moved,
                ).format(date=day, count=format_number(moved))
            )
        elif moved < 0:
            lines.append(
                ngettext(
                    "Since your last look-up on {date} your place has moved down by {count}.",
                    "Since your last look-up on {date} your place has moved down by {count}.",
                    -moved,
                ).format(date=day, count=format_number(-moved))
            )
        if previous.last_status != entry.status:
            lines.append(
                _("The status has changed since {date}: it was «{status}».").format(
                    date=day, status=status_name(previous.last_status)
                )
            )
        if moved == 0 and previous.last_status == entry.status:
            lines.append(_("No change since your last look-up on {date}.").format(date=day))
    lines += [
        "",
        _(
            "The list is kept by {department}, and its commission decides on referrals: only "
            "the department can correct the list."
        ).format(department=health_department(regions.get(entry.region_code))),
    ]
    return "\n".join(lines)


def not_found_text(region: Region | None) -> str:
    """ONE answer for "no such IIN" and "IIN found, phone differs" (issue 6)."""
    department = health_department(region)
    return _(
        "I found no record for this phone number and IIN. The IVF waiting list is kept by "
        "{department}: please contact them or your polyclinic to check your place, and make "
        "sure they have your current phone number."
    ).format(department=department)


def limit_text(limit: LookupLimit) -> str:
    minutes = max(1, -(-limit.wait_seconds // 60))
    if limit.reason is LimitReason.HOURLY:
        text = ngettext(
            "You can look up your place 5 times an hour, and this hour's look-ups are used up. "
            "Please try again in {count} minute. The limit protects everyone's personal data.",
            "You can look up your place 5 times an hour, and this hour's look-ups are used up. "
            "Please try again in {count} minutes. The limit protects everyone's personal data.",
            minutes,
        )
    else:
        text = ngettext(
            "The last look-up found nothing, so please wait {count} minute before the next "
            "one: the pause grows after each unsuccessful try, so that nobody can guess other "
            "people's data. Meanwhile, check which phone number the health department has.",
            "The last look-up found nothing, so please wait {count} minutes before the next "
            "one: the pause grows after each unsuccessful try, so that nobody can guess other "
            "people's data. Meanwhile, check which phone number the health department has.",
            minutes,
        )
    return text.format(count=format_number(minutes))


def import_report_text(report: ImportReport, regions: RegionDirectory) -> str:
    if report.ok:
        names = ", ".join(region_name(regions, code) for code in report.region_codes)
        text = ngettext(
            "The list is loaded: {count} row. It replaced the previous list of: {regions}.",
            "The list is loaded: {count} rows. It replaced the previous list of: {regions}.",
            report.good_rows,
        ).format(count=format_number(report.good_rows), regions=names)
        if report.notifications:
            text += "\n" + ngettext(
                "{count} subscriber will get a message about their change.",
                "{count} subscribers will get a message about their change.",
                report.notifications,
            ).format(count=format_number(report.notifications))
        return text
    if report.file_problem is not None:
        return _file_problem_text(report, regions)
    by_row: dict[int, list[str]] = {}
    for row in report.bad_rows:
        reason = _(ROW_PROBLEMS[row.problem]).format(detail=quote_user_text(row.detail, 40))
        by_row.setdefault(row.line, []).append(reason)
    bad = len(by_row)
    lines = [
        ngettext(
            "Nothing was changed: {bad} row has errors ({good} rows are fine). "
            "Please correct it and send the whole file again.",
            "Nothing was changed: {bad} rows have errors ({good} rows are fine). "
            "Please correct them and send the whole file again.",
            bad,
        ).format(bad=format_number(bad), good=format_number(report.good_rows)),
        "",
    ]
    used = sum(len(line) + 1 for line in lines)
    listed = 0
    for line, reasons in by_row.items():
        entry = _("Row {line}: {reason}").format(line=line, reason="; ".join(reasons))
        if listed == MAX_LISTED_ROWS or used + len(entry) + 1 > REPORT_BUDGET:
            break
        lines.append(entry)
        used += len(entry) + 1
        listed += 1
    if bad > listed:
        rest = bad - listed
        lines.append(
            ngettext(
                "…and {count} more row with errors.", "…and {count} more rows with errors.", rest
            ).format(count=format_number(rest))
        )
    return "\n".join(lines)


# The file problems whose text names nothing from the file.
FIXED_FILE_PROBLEMS: dict[FileProblem, str] = {
    FileProblem.SECRET_MISSING: N_(
        "The import is switched off: PII_SECRET is not set on the server, so IINs and "
        "phone numbers could not be protected. Nothing was changed. Please ask the "
        "administrator to set it."
    ),
    FileProblem.NO_REGION: N_(
        "Nothing was changed: which region is this list for? The file has no region "
        "column, so please send it again with the region in the caption, for example "
        "«Kyzylorda region»."
    ),
    FileProblem.NOT_TEXT: N_(
        "Nothing was changed: the file is not a CSV text file I can read (Excel's «Unicode "
        "text» is UTF-16). In Excel: File → Save as → «CSV UTF-8 (comma delimited)»."
    ),
    FileProblem.EMPTY: N_("Nothing was changed: the file has no rows."),
}


def _file_problem_text(report: ImportReport, regions: RegionDirectory) -> str:
    if report.file_problem is FileProblem.MISSING_COLUMNS:
        columns = ", ".join(_(COLUMN_NAMES[column]) for column in report.missing_columns)
        return _(
            "Nothing was changed: the file has no column for {columns}. Expected columns: "
            "IIN, phone, region, place in the queue, status, date of the list."
        ).format(columns=columns)
    if report.file_problem is FileProblem.UNREADABLE:
        return _(
            "Nothing was changed: from row {line} on the file cannot be read as CSV (an "
            "unclosed quote or a very long cell?). Please check that row and save the file "
            "again as «CSV UTF-8»."
        ).format(line=report.problem_line)
    if report.file_problem is FileProblem.REGION_NOT_YOURS:
        names = ", ".join(region_name(regions, code) for code in report.region_codes)
        return _(
            "Nothing was changed: the file has the list of {regions}, and you may load the "
            "list of your own region only."
        ).format(regions=names)
    assert report.file_problem is not None
    return _(FIXED_FILE_PROBLEMS[report.file_problem])


def notice_text(notice: QueueNotice, regions: RegionDirectory) -> str:
    region = region_name(regions, notice.region_code)
    if notice.new_position is None or notice.new_status is None:
        return _(
            "Your record is not on the new IVF waiting list of {region}. Please contact "
            "{department} to find out why."
        ).format(region=region, department=health_department(regions.get(notice.region_code)))
    lines = [
        _("<b>Your IVF queue record has changed</b>"),
        _("Region: {region}").format(region=region),
    ]
    if notice.old_position is not None and notice.old_position != notice.new_position:
        lines.append(
            _("Place in the queue: {old} → <b>{new}</b>").format(
                old=format_number(notice.old_position), new=format_number(notice.new_position)
            )
        )
    else:
        lines.append(
            _("Place in the queue: <b>{position}</b>").format(
                position=format_number(notice.new_position)
            )
        )
    if notice.old_status and notice.old_status != notice.new_status:
        lines.append(
            _("Status: {old} → <b>{new}</b>").format(
                old=status_name(notice.old_status), new=status_name(notice.new_status)
            )
        )
    else:
        lines.append(_("Status: {status}").format(status=status_name(notice.new_status)))
    if notice.list_date is not None:
        lines.append(_("List dated {date}").format(date=format_date(notice.list_date)))
    return "\n".join(lines)


def not_ready_text(readiness: QueueReadiness, region: Region | None) -> str:
    """The menu entry cannot work yet: say so plainly, and whom to ask meanwhile."""
    department = health_department(region)
    if readiness is QueueReadiness.NO_SECRET:
        return _(
            "The look-up of your place in the IVF waiting list is not switched on yet: the "
            "bot's operator still has to set it up. Meanwhile your place is known to "
            "{department}: ask there, or call the contact centre 1414."
        ).format(department=department)
    return _(
        "The look-up of your place in the IVF waiting list does not work yet: no health "
        "department has loaded its waiting list into the bot so far. Meanwhile your place is "
        "known to {department}: ask there, or call the contact centre 1414."
    ).format(department=department)


# The look-up dialog ------------------------------------------------------------------------
class QueueNotify(CallbackData, prefix="qnotify"):
    on: bool


def share_phone_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=_(SHARE_PHONE), request_contact=True)],
            [KeyboardButton(text=_(CANCEL))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def cancel_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text=_(CANCEL))]], resize_keyboard=True)


def notify_keyboard(on: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if on:
        builder.button(text=_("🔕 Stop change messages"), callback_data=QueueNotify(on=False))
    else:
        builder.button(text=_("🔔 Tell me when it changes"), callback_data=QueueNotify(on=True))
    return builder.as_markup()


def not_ready(readiness: QueueReadiness, region: Region | None) -> Screen:
    return Screen(not_ready_text(readiness, region), main_menu())


def limited(limit: LookupLimit) -> Screen:
    return Screen(limit_text(limit), main_menu())


def share_phone_screen(msgid: str) -> Screen:
    """A request for the phone: `msgid` names the button that shares it, offered below."""
    return Screen(_(msgid).format(button=_(SHARE_PHONE)), share_phone_keyboard())


def ask_phone() -> Screen:
    return share_phone_screen(
        N_(
            "Your place in the IVF waiting list is personal, so first I need to make sure it "
            "is you. Please press «{button}» below: Telegram sends me the number of this "
            "account, and it must be the number the health department has for you.\n\n"
            "I keep neither your number nor your IIN in readable form, only a protected code."
        )
    )


def someone_elses_contact() -> Screen:
    return share_phone_screen(
        N_(
            "This is someone else's contact card. I show a place in the queue only to its "
            "owner: please press «{button}» to share your own number."
        )
    )


def unavailable() -> Screen:
    return Screen(_(UNAVAILABLE), main_menu())


def ask_iin() -> Screen:
    return Screen(
        _(
            "Thank you. Now send your IIN, 12 digits. I will delete your message with it from "
            "this chat as soon as I have read it."
        ),
        cancel_keyboard(),
    )


def typed_phone_rejected() -> Screen:
    return share_phone_screen(
        N_(
            "Please do not type the number: press the «{button}» button below. That way "
            "Telegram confirms that the number is yours."
        )
    )


def iin_rejected(problem: IinProblem) -> Screen:
    return Screen(_(IIN_PROBLEMS[problem]), cancel_keyboard())


def found(records: Sequence[FoundRecord], regions: RegionDirectory) -> list[Screen]:
    """Each record found, then the offer to follow it."""
    screens = [Screen(record_text(record, regions), main_menu()) for record in records]
    subscribed = any(r.previous is not None and r.previous.notify for r in records)
    screens.append(
        Screen(
            _("Do you want a message when a new list changes your place or status?"),
            notify_keyboard(on=subscribed),
        )
    )
    return screens


def not_found(region: Region | None) -> Screen:
    return Screen(not_found_text(region), main_menu())


def iin_outside_text_removed() -> Screen:
    return Screen(
        _(
            "I deleted your message: I read an IIN only in a new plain text message, not in a "
            "photo caption or an edited message. Please send your IIN again as a text "
            "message: 12 digits."
        ),
        cancel_keyboard(),
    )


def iin_as_text_please() -> Screen:
    return Screen(_("Please send your IIN as a text message: 12 digits."), cancel_keyboard())


def lookup_cancelled() -> Screen:
    return cancelled()


def look_up_first() -> str:
    return _("Look up your place first; then I can follow it.")


def notify_set(on: bool) -> Screen:
    text = (
        _("Done: when a new list changes your place or status, I will send you a message.")
        if on
        else _("Done: I will not send messages about changes.")
    )
    return Screen(text, notify_keyboard(on=on))
