"""Staff tools: administrators manage the staff list (/staff); staff see /stats.

The staff filter is applied once, on the staff parent router (`handlers/__init__.py`); /staff
adds the administrators' filter. For anyone else the commands fall through to the
unknown-command reply, so nothing hints that they exist.
"""

from datetime import UTC, datetime

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.i18n import current_locale
from bot.services.knowledge_base import KnowledgeBase
from bot.services.regions import RegionDirectory
from bot.services.staff import (
    StaffAdministration,
    StaffStatistics,
    UnansweredQuestions,
)
from bot.telegram.filters import IsAdmin
from bot.views.staff import figures_text, staff_command_text


async def cmd_staff(
    message: Message, command: CommandObject, staff_administration: StaffAdministration
) -> None:
    assert message.from_user is not None
    outcome = await staff_administration.run(
        command.args, by=message.from_user.id, now=datetime.now(UTC)
    )
    await message.answer(staff_command_text(outcome, current_locale()))


async def cmd_stats(
    message: Message,
    *,
    staff_statistics: StaffStatistics,
    regions: RegionDirectory,
    knowledge_base: KnowledgeBase,
    question_log: UnansweredQuestions | None = None,
) -> None:
    assert message.from_user is not None
    figures = await staff_statistics.figures(message.from_user.id, question_log)
    await message.answer(figures_text(figures, current_locale(), regions, knowledge_base))


def create_router() -> Router:
    router = Router(name="staff")
    router.message.register(cmd_stats, Command("stats"))
    admin = Router(name="staff_admin")
    admin.message.filter(IsAdmin())
    admin.message.register(cmd_staff, Command("staff"))
    router.include_router(admin)
    return router
