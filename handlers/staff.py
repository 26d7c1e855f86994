"""Staff tools: administrators manage the staff list (/staff); staff see /stats.

Both routers are filtered once, at router level: for anyone else the commands fall through to
the unknown-command reply, so nothing hints that they exist.
"""

from datetime import UTC, datetime
from typing import Protocol

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from bot.db.staff import StaffRepository
from bot.db.stats import StatsRepository
from bot.i18n import current_locale, format_number
from bot.services.knowledge_base import KnowledgeBase
from bot.services.regions import RegionDirectory
from bot.services.staff import StaffRoles
from bot.services.subscriptions import SubscriptionService
from bot.services.tickets import TicketService
from bot.telegram.filters import IsAdmin, IsStaff
from bot.views.broadcast import TOPIC_NAMES
from bot.views.common import LANGUAGE_NAMES
from bot.views.core import quote_user_text
from bot.views.tickets import stats_lines as ticket_stats_lines

UNANSWERED_DAYS = 7
UNANSWERED_LIMIT = 10


class UnansweredQuestions(Protocol):
    """What the knowledge base's question log offers (`bot/db/questions.py`)."""

    async def most_common_unanswered(self, days: int, limit: int) -> list[tuple[str, int]]: ...


def _staff_usage() -> str:
    return _(
        "Add a staff member: /staff add TELEGRAM_ID [region]\n"
        "Remove one: /staff remove TELEGRAM_ID\n"
        "A member with a region works with that region only: announcements, waiting lists, "
        "mobile-clinic schedules, figures and the progress buttons of broadcasts."
    )


async def cmd_staff(
    message: Message,
    command: CommandObject,
    settings: Settings,
    staff_members: StaffRepository,
    regions: RegionDirectory,
) -> None:
    words = (command.args or "").split(maxsplit=2)
    if not words:
        await message.answer(await _staff_list(settings, staff_members, regions))
        return
    if len(words) < 2 or words[0] not in ("add", "remove") or not words[1].isdigit():
        await message.answer(_staff_usage())
        return
    user_id = int(words[1])
    if words[0] == "remove":
        removed = await staff_members.remove(user_id)
        text = _("Removed {id} from staff.") if removed else _("{id} is not a staff member.")
        await message.answer(text.format(id=user_id))
        return
    region = regions.find(words[2]) if len(words) > 2 else None
    if len(words) > 2 and region is None:
        await message.answer(
            _("I do not know the region «{region}». Try its name, e.g. «Абай облысы».").format(
                region=quote_user_text(words[2])
            )
        )
        return
    assert message.from_user is not None
    await staff_members.add(
        user_id, region.code if region else None, message.from_user.id, datetime.now(UTC)
    )
    if region is None:
        text = _("{id} is now staff and may send announcements to every region.")
    else:
        text = _("{id} is now staff and may send announcements to {region} only.")
    await message.answer(
        text.format(id=user_id, region=region.name(current_locale()) if region else "")
    )


async def _staff_list(
    settings: Settings, staff_members: StaffRepository, regions: RegionDirectory
) -> str:
    admins = ", ".join(str(admin) for admin in sorted(settings.staff_ids))
    lines = [_("<b>Administrators</b> (STAFF_IDS): {ids}").format(ids=admins), ""]
    members = await staff_members.all()
    if not members:
        lines.append(_("No other staff members yet."))
    for member in members:
        region = regions.get(member.region_code) if member.region_code else None
        area = region.name(current_locale()) if region else _("all regions")
        lines.append(f"• <code>{member.user_id}</code> — {area}")
    return "\n".join([*lines, "", _staff_usage()])


async def cmd_stats(
    message: Message,
    *,
    settings: Settings,
    audience_stats: StatsRepository,
    subscriptions: SubscriptionService,
    regions: RegionDirectory,
    staff_roles: StaffRoles,
    tickets: TicketService,
    knowledge_base: KnowledgeBase,
    question_log: UnansweredQuestions | None = None,
) -> None:
    locale = current_locale()
    assert message.from_user is not None
    role = await staff_roles.role(message.from_user.id)
    # A regional member sees their region's figures only.
    region_code = role.region_code if role is not None else None
    by_language = await audience_stats.users_by_language(settings.default_locale, region_code)
    lines = [
        _("<b>Users</b>: {total}").format(total=format_number(sum(by_language.values()))),
        *(
            f"• {LANGUAGE_NAMES.get(code, code)}: {format_number(count)}"
            for code, count in sorted(by_language.items())
        ),
        "",
        _("<b>By region</b>"),
    ]
    for code, count in (await audience_stats.users_by_region(region_code)).items():
        region = regions.get(code) if code else None
        name = region.name(locale) if region else _("not given")
        lines.append(f"• {name}: {format_number(count)}")
    lines += ["", _("<b>Subscribers by topic</b>")]
    for topic, count in (await subscriptions.count_by_topic(region_code)).items():
        lines.append(f"• {_(TOPIC_NAMES[topic])}: {format_number(count)}")
    lines += ticket_stats_lines(await tickets.stats(region_code), regions, knowledge_base)
    # Unanswered questions are kept with no user and no region: they are national figures.
    if question_log is not None and region_code is None:
        lines += ["", _("<b>Most common unanswered questions, last 7 days</b>")]
        questions = await question_log.most_common_unanswered(UNANSWERED_DAYS, UNANSWERED_LIMIT)
        if not questions:
            lines.append(_("None."))
        for number, (question, count) in enumerate(questions, 1):
            lines.append(f"{number}. «{quote_user_text(question)}» — {format_number(count)}")
    await message.answer("\n".join(lines))


def create_router() -> Router:
    router = Router(name="staff")
    router.message.filter(IsStaff())
    router.message.register(cmd_stats, Command("stats"))
    admin = Router(name="staff_admin")
    admin.message.filter(IsAdmin())
    admin.message.register(cmd_staff, Command("staff"))
    router.include_router(admin)
    return router
