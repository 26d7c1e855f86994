from aiogram import Router
from aiogram.types import CallbackQuery

from bot.services.facilities import FacilityDirectory
from bot.services.regions import RegionDirectory
from bot.telegram.filters import ButtonText
from bot.views import facilities as views
from bot.views.common import MenuButton, show, show_pressed, shows, stale_button

show_facilities_home = shows(views.home)


async def on_facility_menu(
    callback: CallbackQuery,
    callback_data: views.FacilityMenu,
    facilities: FacilityDirectory,
    regions: RegionDirectory,
) -> None:
    if callback_data.view == "types":
        screen = views.types(facilities)
    elif callback_data.view == "regions":
        screen = views.regions(facilities, regions.all(), callback_data.page)
    else:
        screen = views.home()
    # Browsing replaces the message: paging must not flood the chat.
    await show(callback, screen, in_place=True)


async def on_facility_list(
    callback: CallbackQuery, callback_data: views.FacilityList, facilities: FacilityDirectory
) -> None:
    screen = views.facility_list(
        facilities, callback_data.kind, callback_data.key, callback_data.page
    )
    await show_pressed(callback, screen, in_place=True)


async def on_facility_card(
    callback: CallbackQuery, callback_data: views.FacilityCard, facilities: FacilityDirectory
) -> None:
    facility = facilities.get(callback_data.id)
    if facility is None:  # a button from before the data changed
        await callback.answer(stale_button())
        return
    await show(callback, views.card(facility, facilities, callback_data), in_place=True)


def create_router() -> Router:
    router = Router(name="facilities")
    router.message.register(show_facilities_home, ButtonText(MenuButton.FACILITIES))
    router.callback_query.register(on_facility_menu, views.FacilityMenu.filter())
    router.callback_query.register(on_facility_list, views.FacilityList.filter())
    router.callback_query.register(on_facility_card, views.FacilityCard.filter())
    return router
