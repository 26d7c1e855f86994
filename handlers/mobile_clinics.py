"""Mobile clinics and medical trains: find a settlement, see its visits, get a reminder."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_, current_locale
from bot.services.mobile_clinics import MobileClinics
from bot.services.regions import RegionDirectory
from bot.services.settlements import Settlement
from bot.telegram.filters import ButtonText
from bot.views.common import MAIN_MENU_ROWS, MenuButton
from bot.views.core import quote_user_text
from bot.views.mobile_clinics import GENERAL_OFFER, render_schedule

PAGE_SIZE = 8
NO_DISTRICT = "-"
ASK_PLACE = N_("Type the name of your village or town, or choose the region:")
MY_REMINDERS = N_("📋 My reminders")


class MobileClinicForm(StatesGroup):
    entering_settlement = State()


class MobileNav(CallbackData, prefix="mc"):
    action: str  # regions | region | district | place | remind | unremind | mine | drop
    code: str = ""
    page: int = 0


# Keyboards -------------------------------------------------------------------------------
def _paged(
    items: Sequence[tuple[str, MobileNav]], page: int, turn: MobileNav, back: MobileNav | None
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    start = page * PAGE_SIZE
    for label, data in items[start : start + PAGE_SIZE]:
        builder.button(text=label, callback_data=data)
    sizes = [2] * ((min(PAGE_SIZE, len(items) - start) + 1) // 2)
    navigation = []
    if page > 0:
        navigation.append(("◀️", turn.model_copy(update={"page": page - 1})))
    if start + PAGE_SIZE < len(items):
        navigation.append(("▶️", turn.model_copy(update={"page": page + 1})))
    if back is not None:
        navigation.append((_("↩️ Back"), back))
    for label, data in navigation:
        builder.button(text=label, callback_data=data)
    builder.adjust(*sizes, len(navigation) or 1)
    return builder.as_markup()


def regions_keyboard(
    mobile_clinics: MobileClinics, regions: RegionDirectory, page: int = 0
) -> InlineKeyboardMarkup:
    locale = current_locale()
    items = [
        (region.name(locale), MobileNav(action="region", code=region.code))
        for region in regions.all()
        if region.code in mobile_clinics.settlements.region_codes()
    ]
    return _paged(items, page, MobileNav(action="regions"), None)


def _places_keyboard(
    places: Sequence[Settlement], page: int, turn: MobileNav, back: MobileNav | None
) -> InlineKeyboardMarkup:
    locale = current_locale()
    items = [(item.name(locale), MobileNav(action="place", code=item.code)) for item in places]
    return _paged(items, page, turn, back)


def schedule_keyboard(settlement: Settlement, subscribed: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if subscribed:
        builder.button(
            text=_("🔕 Stop reminders"),
            callback_data=MobileNav(action="unremind", code=settlement.code),
        )
    else:
        builder.button(
            text=_("🔔 Remind me"), callback_data=MobileNav(action="remind", code=settlement.code)
        )
    builder.button(text=_(MY_REMINDERS), callback_data=MobileNav(action="mine"))
    builder.button(text=_("🔎 Another place"), callback_data=MobileNav(action="regions"))
    builder.adjust(1, 2)
    return builder.as_markup()


def subscriptions_keyboard(places: Sequence[Settlement]) -> InlineKeyboardMarkup:
    locale = current_locale()
    builder = InlineKeyboardBuilder()
    for place in places:
        builder.button(
            text=_("✖ {place}").format(place=place.name(locale)),
            callback_data=MobileNav(action="drop", code=place.code),
        )
    builder.adjust(1)
    return builder.as_markup()


# Messages --------------------------------------------------------------------------------
async def show_mobile_clinics(
    message: Message, state: FSMContext, mobile_clinics: MobileClinics, regions: RegionDirectory
) -> None:
    await state.set_state(MobileClinicForm.entering_settlement)
    await message.answer(
        _(GENERAL_OFFER) + "\n\n" + _(ASK_PLACE),
        reply_markup=regions_keyboard(mobile_clinics, regions),
    )


async def _send_schedule(
    message: Message,
    user_id: int,
    settlement: Settlement,
    mobile_clinics: MobileClinics,
    regions: RegionDirectory,
) -> None:
    schedule = await mobile_clinics.schedule_for(settlement, user_id)
    await message.answer(
        render_schedule(schedule, regions),
        reply_markup=schedule_keyboard(settlement, schedule.subscribed),
    )


async def show_place_visits(
    message: Message,
    state: FSMContext,
    found: Sequence[Settlement],
    mobile_clinics: MobileClinics,
    regions: RegionDirectory,
) -> None:
    """The visits of the one settlement named, or a choice when the name fits several."""
    await state.clear()
    if len(found) == 1 and message.from_user is not None:
        await _send_schedule(message, message.from_user.id, found[0], mobile_clinics, regions)
        return
    turn = MobileNav(action="regions")
    await message.answer(
        _("Which one do you mean?"), reply_markup=_places_keyboard(found, 0, turn, turn)
    )


async def answer_mobile_question(
    message: Message, state: FSMContext, mobile_clinics: MobileClinics, regions: RegionDirectory
) -> None:
    text = message.text or ""
    lookup = mobile_clinics.locate(text)
    if lookup.settlements:
        await show_place_visits(message, state, lookup.settlements, mobile_clinics, regions)
    elif await state.get_state() == MobileClinicForm.entering_settlement.state:
        await message.answer(
            _("I could not find «{place}» in my list of settlements.").format(
                place=quote_user_text(text)
            )
            + "\n\n"
            + _(ASK_PLACE),
            reply_markup=regions_keyboard(mobile_clinics, regions),
        )
    elif lookup.region_code is not None:
        await state.set_state(MobileClinicForm.entering_settlement)
        step, markup = region_step(mobile_clinics, lookup.region_code)
        await message.answer(_(GENERAL_OFFER) + "\n\n" + step, reply_markup=markup)
    else:
        await show_mobile_clinics(message, state, mobile_clinics, regions)


async def ask_to_type_place(message: Message) -> None:
    await message.answer(_(ASK_PLACE))


# Buttons ---------------------------------------------------------------------------------
async def _show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


async def on_regions(
    callback: CallbackQuery,
    callback_data: MobileNav,
    state: FSMContext,
    mobile_clinics: MobileClinics,
    regions: RegionDirectory,
) -> None:
    await state.set_state(MobileClinicForm.entering_settlement)
    markup = regions_keyboard(mobile_clinics, regions, callback_data.page)
    await _show(callback, _(ASK_PLACE), markup)


def region_step(
    mobile_clinics: MobileClinics, region_code: str, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    """The region's districts, or its settlements when none has a district recorded."""
    locale = current_locale()
    districts = mobile_clinics.settlements.districts(region_code)
    others = mobile_clinics.settlements.in_district(region_code, None)
    turn = MobileNav(action="region", code=region_code)
    back = MobileNav(action="regions")
    if not districts:
        return _("Choose the settlement:"), _places_keyboard(others, page, turn, back)
    items = [
        (district.name(locale), MobileNav(action="district", code=district.code))
        for district in districts
    ]
    if others:
        no_district = MobileNav(action="district", code=f"{region_code}/{NO_DISTRICT}")
        items.append((_("Other settlements"), no_district))
    return _("Choose the district:"), _paged(items, page, turn, back)


async def on_region_chosen(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    if callback_data.code not in mobile_clinics.settlements.region_codes():
        await callback.answer(_("This button is out of date."))
        return
    text, markup = region_step(mobile_clinics, callback_data.code, callback_data.page)
    await _show(callback, text, markup)


async def on_district_chosen(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    directory = mobile_clinics.settlements
    region_code, _slash, rest = callback_data.code.partition("/")
    district = directory.district(callback_data.code)
    if district is not None:
        region_code, district_code = district.region_code, district.code
    elif rest == NO_DISTRICT:
        district_code = None
    else:
        await callback.answer(_("This button is out of date."))
        return
    places = directory.in_district(region_code, district_code)
    back = MobileNav(action="region", code=region_code)
    markup = _places_keyboard(places, callback_data.page, callback_data, back)
    await _show(callback, _("Choose the settlement:"), markup)


async def on_place_chosen(
    callback: CallbackQuery,
    callback_data: MobileNav,
    state: FSMContext,
    mobile_clinics: MobileClinics,
    regions: RegionDirectory,
) -> None:
    settlement = mobile_clinics.settlements.get(callback_data.code)
    await callback.answer()
    if settlement is None or not isinstance(callback.message, Message):
        return
    await state.clear()
    await _send_schedule(
        callback.message, callback.from_user.id, settlement, mobile_clinics, regions
    )


async def on_remind(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    settlement = mobile_clinics.settlements.get(callback_data.code)
    await callback.answer()
    if settlement is None or not isinstance(callback.message, Message):
        return
    await mobile_clinics.subscribe(callback.from_user.id, settlement)
    await callback.message.answer(
        _(
            "🔔 Done. The day before each visit to {place}, at 10:00, I will send you a "
            "reminder. If a visit is moved or cancelled, I will tell you."
        ).format(place=settlement.name(current_locale())),
        reply_markup=schedule_keyboard(settlement, subscribed=True),
    )


async def on_unremind(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    settlement = mobile_clinics.settlements.get(callback_data.code)
    await callback.answer()
    if settlement is None or not isinstance(callback.message, Message):
        return
    await mobile_clinics.unsubscribe(callback.from_user.id, settlement.code)
    await callback.message.answer(
        _("🔕 I will no longer send reminders about {place}.").format(
            place=settlement.name(current_locale())
        ),
        reply_markup=schedule_keyboard(settlement, subscribed=False),
    )


async def show_subscriptions(callback: CallbackQuery, mobile_clinics: MobileClinics) -> None:
    places = await mobile_clinics.subscriptions(callback.from_user.id)
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    if not places:
        await callback.message.answer(
            _("You have no reminders. Find your village and press «🔔 Remind me».")
        )
        return
    await callback.message.answer(
        _("You get reminders about visits to these places. Press one to stop its reminders:"),
        reply_markup=subscriptions_keyboard(places),
    )


async def on_drop_subscription(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    await mobile_clinics.unsubscribe(callback.from_user.id, callback_data.code)
    places = await mobile_clinics.subscriptions(callback.from_user.id)
    text = (
        _("You get reminders about visits to these places. Press one to stop its reminders:")
        if places
        else _("You have no reminders any more.")
    )
    await _show(callback, text, subscriptions_keyboard(places))


def create_router() -> Router:
    router = Router(name="mobile_clinics")
    menu_labels = [label for row in MAIN_MENU_ROWS for label in row]
    router.message.register(show_mobile_clinics, ButtonText(MenuButton.MOBILE_CLINICS))
    router.message.register(
        answer_mobile_question,
        MobileClinicForm.entering_settlement,
        F.text,
        ~F.text.startswith("/"),
        ~ButtonText(*menu_labels),
    )
    router.message.register(ask_to_type_place, MobileClinicForm.entering_settlement, ~F.text)
    # Questions typed outside this dialog reach handlers/questions.py, which decides whether
    # they name a village (bot/services/understanding.py) and then calls show_place_visits.
    for action, handler in (
        ("regions", on_regions),
        ("region", on_region_chosen),
        ("district", on_district_chosen),
        ("place", on_place_chosen),
        ("remind", on_remind),
        ("unremind", on_unremind),
        ("mine", show_subscriptions),
        ("drop", on_drop_subscription),
    ):
        router.callback_query.register(handler, MobileNav.filter(F.action == action))
    return router
