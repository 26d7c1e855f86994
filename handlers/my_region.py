from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.db.users import UserRecord, UserRepository
from bot.services.my_region import RegionSummaries
from bot.services.regions import RegionDirectory
from bot.services.understanding import Understanding
from bot.states import MyRegionForm
from bot.telegram.filters import ButtonText
from bot.views import my_region as views
from bot.views.common import MENU_LABELS, MenuButton, show, stale_button


async def show_my_region(
    message: Message,
    state: FSMContext,
    user_record: UserRecord,
    region_summaries: RegionSummaries,
    regions: RegionDirectory,
) -> None:
    summary = await region_summaries.current(user_record.region_code)
    if summary is None:
        await state.set_state(MyRegionForm.entering_region)
    await show(message, views.my_region(summary, regions.all()))


async def on_region_typed(
    message: Message,
    state: FSMContext,
    *,
    users: UserRepository,
    region_summaries: RegionSummaries,
    understanding: Understanding,
    user_record: UserRecord | None = None,
) -> None:
    await state.clear()
    assert message.from_user is not None
    text = message.text or ""
    saved = await region_summaries.save_typed(users, message.from_user.id, text)
    saved_region = user_record.region_code if user_record else None
    if saved is None and understanding.can_answer(
        text, saved_region=saved_region, message=(message.chat.id, message.message_id)
    ):
        raise SkipHandler  # a question, not a region: the free-text path answers it
    await show(message, views.region_typed(saved, text))


async def on_region_picked(
    callback: CallbackQuery,
    callback_data: views.RegionPick,
    state: FSMContext,
    users: UserRepository,
    region_summaries: RegionSummaries,
) -> None:
    summary = await region_summaries.current(callback_data.code)
    if summary is None:
        await callback.answer(stale_button())
        return
    await state.clear()
    await users.set_region(callback.from_user.id, callback_data.code)
    await show(callback, views.region_picked(summary))


async def on_region_page(
    callback: CallbackQuery, callback_data: views.RegionPickPage, regions: RegionDirectory
) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        keyboard = views.region_pick_keyboard(regions.all(), callback_data.page)
        await callback.message.edit_reply_markup(reply_markup=keyboard)


async def on_region_action(
    callback: CallbackQuery,
    callback_data: views.RegionAction,
    state: FSMContext,
    users: UserRepository,
    regions: RegionDirectory,
) -> None:
    if callback_data.action == "remove":
        await users.set_region(callback.from_user.id, None)
        await show(callback, views.region_removed())
        return
    await state.set_state(MyRegionForm.entering_region)
    await show(callback, views.ask_region(regions.all()))


def create_router() -> Router:
    router = Router(name="my_region")
    router.message.register(show_my_region, ButtonText(MenuButton.MY_REGION))
    # Commands (/cancel, /help) and menu buttons are not region names: they go to their routers
    # (a menu button or another feature's command has ended this dialog already,
    # bot/telegram/middlewares.py).
    router.message.register(
        on_region_typed,
        MyRegionForm.entering_region,
        F.text,
        ~F.text.startswith("/"),
        ~ButtonText(*MENU_LABELS),
    )
    router.callback_query.register(on_region_picked, views.RegionPick.filter())
    router.callback_query.register(on_region_page, views.RegionPickPage.filter())
    router.callback_query.register(on_region_action, views.RegionAction.filter())
    return router
