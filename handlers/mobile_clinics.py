"""Mobile clinics and medical trains: find a settlement, see its visits, get a reminder."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.db.users import UserRecord
from bot.services.mobile_clinics import MobileClinics
from bot.services.understanding import Understanding
from bot.states import MobileClinicForm
from bot.telegram.filters import ButtonText
from bot.views import mobile_clinics as views
from bot.views.common import MENU_LABELS, MenuButton, show, shows, stale_button
from bot.views.mobile_clinics import MobileNav


async def show_mobile_clinics(
    message: Message, state: FSMContext, mobile_clinics: MobileClinics
) -> None:
    await state.set_state(MobileClinicForm.entering_settlement)
    await show(message, views.mobile_clinics_home(mobile_clinics))


async def answer_mobile_question(
    message: Message,
    state: FSMContext,
    mobile_clinics: MobileClinics,
    understanding: Understanding,
    user_record: UserRecord | None = None,
) -> None:
    assert message.from_user is not None
    text = message.text or ""
    in_dialog = await state.get_state() == MobileClinicForm.entering_settlement.state
    found = await mobile_clinics.visits_named_in(text, message.from_user.id)
    saved_region = user_record.region_code if user_record else None
    if not found.found and understanding.can_answer(
        text, saved_region=saved_region, message=(message.chat.id, message.message_id)
    ):
        # No place, but a question («сколько стоит ЭКО?»): the free-text path answers it.
        await state.clear()
        raise SkipHandler
    if found.found:
        await state.clear()
    else:
        await state.set_state(MobileClinicForm.entering_settlement)
    screen = views.place_visits(found, text, in_dialog=in_dialog, mobile_clinics=mobile_clinics)
    await show(message, screen)


ask_to_type_place = shows(views.ask_to_type_place)


# Buttons ---------------------------------------------------------------------------------
async def on_regions(
    callback: CallbackQuery,
    callback_data: MobileNav,
    state: FSMContext,
    mobile_clinics: MobileClinics,
) -> None:
    await state.set_state(MobileClinicForm.entering_settlement)
    screen = views.choose_region(mobile_clinics, callback_data.page)
    await show(callback, screen, in_place=True)


async def on_region_chosen(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    if callback_data.code not in mobile_clinics.settlements.region_codes():
        await callback.answer(stale_button())
        return
    screen = views.region_step(mobile_clinics, callback_data.code, callback_data.page)
    await show(callback, screen, in_place=True)


async def on_district_chosen(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    directory = mobile_clinics.settlements
    region_code, _slash, rest = callback_data.code.partition("/")
    district = directory.district(callback_data.code)
    if district is not None:
        region_code, district_code = district.region_code, district.code
    elif rest == views.NO_DISTRICT:
        district_code = None
    else:
        await callback.answer(stale_button())
        return
    places = directory.in_district(region_code, district_code)
    await show(callback, views.district_step(places, region_code, callback_data), in_place=True)


async def on_place_chosen(
    callback: CallbackQuery,
    callback_data: MobileNav,
    state: FSMContext,
    mobile_clinics: MobileClinics,
) -> None:
    settlement = mobile_clinics.settlements.get(callback_data.code)
    if settlement is None or not isinstance(callback.message, Message):
        await callback.answer(stale_button())
        return
    await state.clear()
    schedule = await mobile_clinics.schedule_for(settlement, callback.from_user.id)
    await show(callback, views.schedule(schedule, mobile_clinics))


async def on_reminder_switched(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    settlement = mobile_clinics.settlements.get(callback_data.code)
    if settlement is None or not isinstance(callback.message, Message):
        await callback.answer(stale_button())
        return
    if callback_data.action == "remind":
        await mobile_clinics.subscribe(callback.from_user.id, settlement)
        await show(callback, views.reminder_set(settlement))
    else:
        await mobile_clinics.unsubscribe(callback.from_user.id, settlement.code)
        await show(callback, views.reminder_stopped(settlement))


async def show_reminders(callback: CallbackQuery, mobile_clinics: MobileClinics) -> None:
    places = await mobile_clinics.subscriptions(callback.from_user.id)
    if not isinstance(callback.message, Message):
        await callback.answer()
        return
    await show(callback, views.my_reminders(places))


async def on_drop_subscription(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    await mobile_clinics.unsubscribe(callback.from_user.id, callback_data.code)
    places = await mobile_clinics.subscriptions(callback.from_user.id)
    await show(callback, views.my_reminders(places, after_drop=True), in_place=True)


def create_router() -> Router:
    router = Router(name="mobile_clinics")
    router.message.register(show_mobile_clinics, ButtonText(MenuButton.MOBILE_CLINICS))
    router.message.register(
        answer_mobile_question,
        MobileClinicForm.entering_settlement,
        F.text,
        ~F.text.startswith("/"),
        ~ButtonText(*MENU_LABELS),
    )
    router.message.register(ask_to_type_place, MobileClinicForm.entering_settlement, ~F.text)
    # Questions typed outside this dialog reach handlers/questions.py, which decides whether
    # they name a village (bot/services/understanding.py) and then shows its visits.
    for action, handler in (
        ("regions", on_regions),
        ("region", on_region_chosen),
        ("district", on_district_chosen),
        ("place", on_place_chosen),
        ("remind", on_reminder_switched),
        ("unremind", on_reminder_switched),
        ("mine", show_reminders),
        ("drop", on_drop_subscription),
    ):
        router.callback_query.register(handler, MobileNav.filter(F.action == action))
    return router
