from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRecord, UserRepository
from bot.services.my_region import RegionSummaries
from bot.services.regions import RegionDirectory
from bot.telegram.filters import ButtonText
from bot.views.common import MAIN_MENU_ROWS, MenuButton
from bot.views.core import quote_user_text
from bot.views.facilities import (
    RegionAction,
    RegionPick,
    RegionPickPage,
    my_region_keyboard,
    region_pick_keyboard,
    render_region_summary,
    render_renamed,
)

# Dates of mobile stops are local: the whole country has used UTC+5 since March 2024.
KAZAKHSTAN = ZoneInfo("Asia/Almaty")


class MyRegionForm(StatesGroup):
    entering_region = State()


async def _summary_text(region_code: str, region_summaries: RegionSummaries) -> str | None:
    summary = await region_summaries.summary(region_code, datetime.now(KAZAKHSTAN).date())
    return None if summary is None else render_region_summary(summary)


async def show_my_region(
    message: Message,
    state: FSMContext,
    user_record: UserRecord,
    region_summaries: RegionSummaries,
    regions: RegionDirectory,
) -> None:
    code = user_record.region_code
    text = await _summary_text(code, region_summaries) if code else None
    if text is None:
        await ask_region(message, state, regions)
        return
    await message.answer(text, reply_markup=my_region_keyboard())


async def ask_region(
    message: Message | InaccessibleMessage,
    state: FSMContext,
    regions: RegionDirectory,
    reason: str | None = None,
) -> None:
    """Ask for the user's region; `reason`, when given, says first why it is needed."""
    await state.set_state(MyRegionForm.entering_region)
    question = _(
        "Which region do you live in? Choose it below or type its name or its centre, "
        "for example «Қарағанды» or «Shymkent». /cancel — stop."
    )
    await message.answer(
        f"{reason}\n\n{question}" if reason else question,
        reply_markup=region_pick_keyboard(regions.all(), 0),
    )


async def on_region_typed(
    message: Message,
    state: FSMContext,
    users: UserRepository,
    region_summaries: RegionSummaries,
) -> None:
    match = region_summaries.find(message.text or "")
    await state.clear()
    if match is None:
        await message.answer(
            _(
                "I did not recognise a region in «{text}», so I saved nothing. Press "
                "«📍 My region» and choose your region with the buttons."
            ).format(text=quote_user_text(message.text or ""))
        )
        return
    assert message.from_user is not None
    await users.set_region(message.from_user.id, match.region.code)
    text = await _summary_text(match.region.code, region_summaries)
    saved = _("Saved. You can change or remove your region at any time.")
    parts = [render_renamed(match.renamed)] if match.renamed else []
    reply = "\n\n".join([*parts, saved, text or ""])
    await message.answer(reply, reply_markup=my_region_keyboard())


async def on_region_picked(
    callback: CallbackQuery,
    callback_data: RegionPick,
    state: FSMContext,
    users: UserRepository,
    region_summaries: RegionSummaries,
) -> None:
    text = await _summary_text(callback_data.code, region_summaries)
    if text is None:
        await callback.answer(_("This button is out of date."))
        return
    await state.clear()
    await users.set_region(callback.from_user.id, callback_data.code)
    await callback.answer()
    saved = _("Saved. You can change or remove your region at any time.")
    if callback.message is not None:
        await callback.message.answer(f"{saved}\n\n{text}", reply_markup=my_region_keyboard())


async def on_region_page(
    callback: CallbackQuery, callback_data: RegionPickPage, regions: RegionDirectory
) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        keyboard = region_pick_keyboard(regions.all(), callback_data.page)
        await callback.message.edit_reply_markup(reply_markup=keyboard)


async def on_region_action(
    callback: CallbackQuery,
    callback_data: RegionAction,
    state: FSMContext,
    users: UserRepository,
    regions: RegionDirectory,
) -> None:
    await callback.answer()
    if callback.message is None:
        return
    if callback_data.action == "remove":
        await users.set_region(callback.from_user.id, None)
        await callback.message.answer(
            _("Done: I no longer keep your region. Press «📍 My region» to choose it again.")
        )
        return
    await ask_region(callback.message, state, regions)


async def leave_region_question(message: Message, state: FSMContext) -> None:
    # A main-menu button pressed instead of answering: drop the question, let the button work.
    await state.clear()
    raise SkipHandler


def create_router() -> Router:
    router = Router(name="my_region")
    router.message.register(show_my_region, ButtonText(MenuButton.MY_REGION))
    menu_labels = ButtonText(*(label for row in MAIN_MENU_ROWS for label in row))
    router.message.register(leave_region_question, MyRegionForm.entering_region, menu_labels)
    # Commands (/cancel, /help) and menu buttons are not region names: they go to their routers.
    router.message.register(
        on_region_typed,
        MyRegionForm.entering_region,
        F.text,
        ~F.text.startswith("/"),
        ~menu_labels,
    )
    router.callback_query.register(on_region_picked, RegionPick.filter())
    router.callback_query.register(on_region_page, RegionPickPage.filter())
    router.callback_query.register(on_region_action, RegionAction.filter())
    return router
