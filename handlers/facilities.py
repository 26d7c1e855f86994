from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.services.facilities import FacilityDirectory, FacilityType
from bot.services.regions import RegionDirectory
from bot.telegram.filters import ButtonText
from bot.views.common import MenuButton
from bot.views.facilities import (
    PAGE_LABEL_DATA,
    FacilityCard,
    FacilityList,
    FacilityMenu,
    card_keyboard,
    home_keyboard,
    home_text,
    list_keyboard,
    region_list_text,
    regions_keyboard,
    render_card,
    type_list_text,
    types_keyboard,
)


async def show_in_place(
    callback: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None
) -> None:
    """Replace the browsing message (paging must not flood the chat); send anew if we cannot."""
    await callback.answer()
    if isinstance(callback.message, Message):
        try:
            await callback.message.edit_text(text, reply_markup=keyboard)
        except TelegramBadRequest as error:
            # A double tap asks for the screen already shown; Telegram refuses a no-op edit.
            if "message is not modified" not in error.message:
                raise
    elif callback.message is not None:
        await callback.message.answer(text, reply_markup=keyboard)


async def ignore_page_label(callback: CallbackQuery) -> None:
    await callback.answer()


async def show_facilities_home(message: Message) -> None:
    await message.answer(home_text(), reply_markup=home_keyboard())


async def on_facility_menu(
    callback: CallbackQuery,
    callback_data: FacilityMenu,
    facilities: FacilityDirectory,
    regions: RegionDirectory,
) -> None:
    if callback_data.view == "types":
        await show_in_place(callback, _("Choose a type:"), types_keyboard(facilities))
    elif callback_data.view == "regions":
        keyboard = regions_keyboard(facilities, regions.all(), callback_data.page)
        await show_in_place(callback, _("Choose a region:"), keyboard)
    else:
        await show_in_place(callback, home_text(), home_keyboard())


async def on_facility_list(
    callback: CallbackQuery, callback_data: FacilityList, facilities: FacilityDirectory
) -> None:
    kind, key, page = callback_data.kind, callback_data.key, callback_data.page
    if kind == "t" and key in FacilityType.__members__.values():
        items = facilities.by_type(FacilityType(key))
        text, back = type_list_text(facilities, FacilityType(key)), "types"
    else:
        items, text, back = facilities.by_region(key), region_list_text(facilities, key), "regions"
    await show_in_place(callback, text, list_keyboard(items, kind, key, page, back))


async def on_facility_card(
    callback: CallbackQuery, callback_data: FacilityCard, facilities: FacilityDirectory
) -> None:
    facility = facilities.get(callback_data.id)
    if facility is None:  # a button from before the data changed
        await callback.answer(_("This button is out of date."))
        return
    await show_in_place(callback, render_card(facility, facilities), card_keyboard(callback_data))


def create_router() -> Router:
    router = Router(name="facilities")
    router.message.register(show_facilities_home, ButtonText(MenuButton.FACILITIES))
    router.callback_query.register(on_facility_menu, FacilityMenu.filter())
    router.callback_query.register(on_facility_list, FacilityList.filter())
    router.callback_query.register(on_facility_card, FacilityCard.filter())
    router.callback_query.register(ignore_page_label, F.data == PAGE_LABEL_DATA)
    return router
