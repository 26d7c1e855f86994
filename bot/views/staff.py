"""What staff see of `/staff` (the staff list) and `/stats` (the figures)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.i18n import format_number
from bot.services.knowledge_base import KnowledgeBase
from bot.services.regions import RegionDirectory
from bot.services.staff import (
    StaffAdded,
    StaffCommandOutcome,
    StaffFigures,
    StaffListing,
    StaffRemoved,
    UnknownRegion,
)
from bot.views.broadcast import TOPIC_NAMES
from bot.views.common import LANGUAGE_NAMES
from bot.views.core import quote_user_text
from bot.views.tickets import stats_lines


def staff_usage_text() -> str:
    return _(
        "Add a staff member: /staff add TELEGRAM_ID [region]\n"
        "Remove one: /staff remove TELEGRAM_ID\n"
        "A member with a region works with that region only: announcements, waiting lists, "
        "mobile-clinic schedules, figures and the progress buttons of broadcasts."
    )


def staff_command_text(outcome: StaffCommandOutcome, locale: str) -> str:
    if isinstance(outcome, StaffListing):
        return staff_listing_text(outcome, locale)
    if isinstance(outcome, StaffRemoved):
        if outcome.removed:
            return _("Removed {id} from staff.").format(id=outcome.user_id)
        return _("{id} is not a staff member.").format(id=outcome.user_id)
    if isinstance(outcome, UnknownRegion):
        return _("I do not know the region «{region}». Try its name, e.g. «Абай облысы».").format(
            region=quote_user_text(outcome.text)
        )
    if isinstance(outcome, StaffAdded):
        if outcome.region is None:
            text = _("{id} is now staff and may send announcements to every region.")
        else:
            text = _("{id} is now staff and may send announcements to {region} only.")
        region = outcome.region.name(locale) if outcome.region else ""
        return text.format(id=outcome.user_id, region=region)
    return staff_usage_text()


def staff_listing_text(listing: StaffListing, locale: str) -> str:
    admins = ", ".join(str(admin) for admin in listing.admin_ids)
    lines = [_("<b>Administrators</b> (STAFF_IDS): {ids}").format(ids=admins), ""]
    if not listing.members:
        lines.append(_("No other staff members yet."))
    for user_id, region in listing.members:
        area = region.name(locale) if region else _("all regions")
        lines.append(f"• <code>{user_id}</code> — {area}")
    return "\n".join([*lines, "", staff_usage_text()])


def figures_text(
    figures: StaffFigures, locale: str, regions: RegionDirectory, knowledge_base: KnowledgeBase
) -> str:
    """The /stats message; its «Ask a person» part is `bot/views/tickets.py` `stats_lines`."""
    lines = [
        _("<b>Users</b>: {total}").format(total=format_number(figures.users)),
        *(
            f"• {LANGUAGE_NAMES.get(code, code)}: {format_number(count)}"
            for code, count in sorted(figures.users_by_language.items())
        ),
        "",
        _("<b>By region</b>"),
    ]
    for region, count in figures.users_by_region:
        name = region.name(locale) if region else _("not given")
        lines.append(f"• {name}: {format_number(count)}")
    lines += ["", _("<b>Subscribers by topic</b>")]
    for topic, count in figures.subscribers_by_topic.items():
        lines.append(f"• {_(TOPIC_NAMES[topic])}: {format_number(count)}")
    lines += stats_lines(figures.tickets, regions, knowledge_base)
    if figures.unanswered is not None:
        lines += ["", _("<b>Most common unanswered questions, last 7 days</b>")]
        if not figures.unanswered:
            lines.append(_("None."))
        for number, (question, count) in enumerate(figures.unanswered, 1):
            lines.append(f"{number}. «{quote_user_text(question)}» — {format_number(count)}")
    return "\n".join(lines)
