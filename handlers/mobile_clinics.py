"""Mobile clinics and medical trains: find a settlement, see its visits, get a reminder."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.i18n import current_locale
from bot.services.mobile_clinics import MobileClinics
from bot.services.regions import RegionDirectory
from bot.services.staff import StaffRoles
from bot.states import MobileClinicForm
from bot.telegram.filters import ButtonText, IsStaff
from bot.views import mobile_clinics as views
from bot.views.common import MENU_LABELS, MenuButton, show
from bot.views.mobile_clinics import MobileNav, render_import_errors

MAX_SCHEDULE_FILE = 2 * 1024 * 1024
# A staff document is a schedule when its name or caption says so (other imports exist).
_SCHEDULE_FILE_WORDS = (
    "mobile",
    "schedule",
    "visit",
    "pmk",
    "zhmk",
    "пмк",
    "жмк",
    "график",
    "расписан",
    "кесте",
    "поезд",
    "train",
)


class MobileScheduleFile(Filter):
    async def __call__(self, message: Message) -> bool:
        label = f"{message.document.file_name if message.document else ''} {message.caption or ''}"
        return any(word in label.lower() for word in _SCHEDULE_FILE_WORDS)


async def show_mobile_clinics(
    message: Message, state: FSMContext, mobile_clinics: MobileClinics, regions: RegionDirectory
) -> None:
    await state.set_state(MobileClinicForm.entering_settlement)
    await show(message, views.mobile_clinics_home(mobile_clinics, regions))


async def answer_mobile_question(
    message: Message, state: FSMContext, mobile_clinics: MobileClinics, regions: RegionDirectory
) -> None:
    assert message.from_user is not None
    text = message.text or ""
    in_dialog = await state.get_state() == MobileClinicForm.entering_settlement.state
    found = await mobile_clinics.visits_named_in(text, message.from_user.id)
    if found.found:
        await state.clear()
    else:
        await state.set_state(MobileClinicForm.entering_settlement)
    screen = views.place_visits(
        found, text, in_dialog=in_dialog, mobile_clinics=mobile_clinics, regions=regions
    )
    await show(message, screen)


async def ask_to_type_place(message: Message) -> None:
    await show(message, views.ask_to_type_place())


async def import_schedule_file(
    message: Message,
    bot: Bot,
    mobile_clinics: MobileClinics,
    regions: RegionDirectory,
    staff_roles: StaffRoles,
) -> None:
    document = message.document
    assert document is not None
    name = document.file_name or "schedule.csv"
    if not name.lower().endswith(".csv") or (document.file_size or 0) > MAX_SCHEDULE_FILE:
        await message.answer(_("Send the schedule as a CSV file (up to 2 MB)."))
        return
    content = await bot.download(document)
    assert content is not None
    assert message.from_user is not None
    result = await mobile_clinics.import_schedule(
        content.read(),
        source=f"telegram: {name}",
        staff=await staff_roles.role(message.from_user.id),
    )
    if not result.ok:
        await message.answer(render_import_errors(result.errors, regions))
        return
    locale = current_locale()
    names = ", ".join(
        region.name(locale) for region in map(regions.get, result.region_codes) if region
    )
    await message.answer(
        _(
            "Schedule imported: {rows} rows for {regions}. New visits: {added}, moved: "
            "{rescheduled}, cancelled: {cancelled}. Subscribers of moved and cancelled visits "
            "will be told."
        ).format(
            rows=result.rows,
            regions=names,
            added=result.added,
            rescheduled=result.rescheduled,
            cancelled=result.cancelled,
        )
    )


# Buttons ---------------------------------------------------------------------------------
async def on_regions(
    callback: CallbackQuery,
    callback_data: MobileNav,
    state: FSMContext,
    mobile_clinics: MobileClinics,
    regions: RegionDirectory,
) -> None:
    await state.set_state(MobileClinicForm.entering_settlement)
    screen = views.choose_region(mobile_clinics, regions, callback_data.page)
    await show(callback, screen, in_place=True)


async def on_region_chosen(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    if callback_data.code not in mobile_clinics.settlements.region_codes():
        await callback.answer(views.stale_button())
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
        await callback.answer(views.stale_button())
        return
    places = directory.in_district(region_code, district_code)
    await show(callback, views.district_step(places, region_code, callback_data), in_place=True)


async def on_place_chosen(
    callback: CallbackQuery,
    callback_data: MobileNav,
    state: FSMContext,
    mobile_clinics: MobileClinics,
    regions: RegionDirectory,
) -> None:
    settlement = mobile_clinics.settlements.get(callback_data.code)
    if settlement is None or not isinstance(callback.message, Message):
        await callback.answer()
        return
    await state.clear()
    schedule = await mobile_clinics.schedule_for(settlement, callback.from_user.id)
    await show(callback, views.schedule(schedule, regions))


async def on_remind(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    settlement = mobile_clinics.settlements.get(callback_data.code)
    if settlement is None or not isinstance(callback.message, Message):
        await callback.answer()
        return
    await mobile_clinics.subscribe(callback.from_user.id, settlement)
    await show(callback, views.reminder_set(settlement))


async def on_unremind(
    callback: CallbackQuery, callback_data: MobileNav, mobile_clinics: MobileClinics
) -> None:
    settlement = mobile_clinics.settlements.get(callback_data.code)
    if settlement is None or not isinstance(callback.message, Message):
        await callback.answer()
        return
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
    router.message.register(import_schedule_file, F.document, IsStaff(), MobileScheduleFile())
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
        ("remind", on_remind),
        ("unremind", on_unremind),
        ("mine", show_reminders),
        ("drop", on_drop_subscription),
    ):
        router.callback_query.register(handler, MobileNav.filter(F.action == action))
    return router
