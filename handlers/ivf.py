"""IVF under «Аңсаған сәби»: the menu, the eligibility check, quotas by region and clinics.

The check's answers live only in the FSM data (SQLite) and go when the check ends; they are
never logged.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.db.users import UserRecord, UserRepository
from bot.services.eligibility import (
    Misread,
    Reply,
    read_age,
    read_region,
    read_reply,
    verdict_from_stored,
)
from bot.services.ivf_quotas import IvfQuotaTable
from bot.services.regions import Region, RegionDirectory
from bot.services.text_folding import looks_like_question
from bot.states import EligibilityForm, QuotaRegionForm
from bot.telegram.filters import ButtonText
from bot.views import ivf as views
from bot.views.common import MENU_LABELS, IvfAction, MenuButton, Screen, show, shows, stale_button

# State names in the order the questions are asked.
STEPS: tuple[str, ...] = tuple(str(state.state) for state in EligibilityForm.__states__)
AGE, INSURED, DIAGNOSIS, CONTRAINDICATIONS, REGION = STEPS
# The FSM data key each yes/no/don't-know step stores its reply under.
CHOICE_KEYS: dict[str, str] = {
    INSURED: "insured",
    DIAGNOSIS: "diagnosis",
    CONTRAINDICATIONS: "contraindications",
}
CHECK_STATES = StateFilter(EligibilityForm)
REGION_STATES = StateFilter(EligibilityForm.choosing_region, QuotaRegionForm.choosing_region)


def _question(step: str | None, regions: RegionDirectory) -> Screen:
    if step == INSURED:
        return views.ask_insured(CHOICE_KEYS[step])
    if step == DIAGNOSIS:
        return views.ask_diagnosis(CHOICE_KEYS[step])
    if step == CONTRAINDICATIONS:
        return views.ask_contraindications(CHOICE_KEYS[step])
    if step == REGION:
        return views.ask_region(regions.all())
    return views.ask_age()


async def _go_to(
    event: Message | CallbackQuery,
    state: FSMContext,
    step: str,
    regions: RegionDirectory,
    toast: str | None = None,
) -> None:
    await state.set_state(step)
    await show(event, _question(step, regions), toast=toast)


async def _next_step(
    event: Message | CallbackQuery, state: FSMContext, regions: RegionDirectory
) -> None:
    current = await state.get_state()
    following = STEPS[STEPS.index(current) + 1] if current in STEPS else STEPS[0]
    await _go_to(event, state, following, regions)


# --- Menu and reference pages ----------------------------------------------------------------


async def show_ivf_menu(message: Message, ivf_quotas: IvfQuotaTable) -> None:
    await show(message, views.ivf_menu(ivf_quotas.national))


async def on_menu_pressed(
    callback: CallbackQuery, state: FSMContext, ivf_quotas: IvfQuotaTable
) -> None:
    if await state.get_state() == QuotaRegionForm.choosing_region.state:
        await state.clear()
    await show(callback, views.ivf_menu(ivf_quotas.national))


show_how_to_apply = shows(views.how_to_apply)
show_clinics = shows(views.clinics)


async def show_my_region_quotas(
    callback: CallbackQuery,
    state: FSMContext,
    regions: RegionDirectory,
    ivf_quotas: IvfQuotaTable,
    user_record: UserRecord,
) -> None:
    region = regions.get(user_record.region_code) if user_record.region_code else None
    if region is None:
        await ask_quota_region(callback, state, regions)
        return
    await show(callback, _quota_screen(region, ivf_quotas))


async def ask_quota_region(
    callback: CallbackQuery, state: FSMContext, regions: RegionDirectory
) -> None:
    await state.set_state(QuotaRegionForm.choosing_region)
    await show(callback, views.ask_quota_region(regions.all()))


def _quota_screen(region: Region, ivf_quotas: IvfQuotaTable) -> Screen:
    return views.region_quotas(region, ivf_quotas.for_region(region.code), ivf_quotas.national)


async def _show_quotas_for(
    event: Message | CallbackQuery,
    region: Region,
    state: FSMContext,
    users: UserRepository,
    ivf_quotas: IvfQuotaTable,
) -> None:
    # «My region» is kept for later visits (and removed by /forget with the user).
    await state.clear()
    if event.from_user is not None:
        await users.set_region(event.from_user.id, region.code)
    await show(event, _quota_screen(region, ivf_quotas))


async def on_region_picked(
    callback: CallbackQuery,
    *,
    callback_data: views.RegionPick,
    state: FSMContext,
    regions: RegionDirectory,
    users: UserRepository,
    ivf_quotas: IvfQuotaTable,
) -> None:
    """The one region picker of this feature: the check's last step, or whose quotas to show."""
    in_check = await state.get_state() == REGION
    region = regions.get(callback_data.code)
    if region is None and in_check:
        await _go_to(callback, state, REGION, regions)
    elif region is None:
        await ask_quota_region(callback, state, regions)
    elif in_check:
        await _finish_check(callback, state, region, ivf_quotas)
    else:
        await _show_quotas_for(callback, region, state, users, ivf_quotas)


async def on_quota_region_typed(
    message: Message,
    state: FSMContext,
    regions: RegionDirectory,
    users: UserRepository,
    ivf_quotas: IvfQuotaTable,
) -> None:
    text = message.text or ""
    region = regions.find(text)
    if region is not None:
        await _show_quotas_for(message, region, state, users, ivf_quotas)
        return
    if looks_like_question(text):
        # Only a region was asked for here; a question goes on to whoever answers questions.
        await state.clear()
        raise SkipHandler
    await message.answer(
        views.region_not_found(text), reply_markup=views.ask_quota_region(regions.all()).markup
    )


async def turn_region_page(
    callback: CallbackQuery,
    callback_data: views.RegionPage,
    state: FSMContext,
    regions: RegionDirectory,
) -> None:
    back: IvfAction | views.CheckNav = (
        views.CheckNav(action="back")
        if await state.get_state() == REGION
        else IvfAction(action="menu")
    )
    await callback.answer()
    markup = views.region_keyboard(regions.all(), callback_data.page, back)
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=markup)


# --- The eligibility check -------------------------------------------------------------------


async def cmd_start_ivf(message: Message, state: FSMContext) -> None:
    await state.clear()
    await state.set_state(EligibilityForm.entering_age)
    await show(message, views.ask_age())


async def on_check_pressed(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await state.set_state(EligibilityForm.entering_age)
    await show(callback, views.ask_age())


async def on_age_entered(message: Message, state: FSMContext, regions: RegionDirectory) -> None:
    age = read_age(message.text or "")
    if isinstance(age, Misread):
        await _not_an_answer(message, state, regions, age)
        return
    await state.update_data(age=age)
    await _next_step(message, state, regions)


async def _record_choice(
    event: Message | CallbackQuery, state: FSMContext, reply: Reply, regions: RegionDirectory
) -> None:
    step = await state.get_state()
    if step not in CHOICE_KEYS:
        return
    await state.update_data({CHOICE_KEYS[step]: reply.value})
    if step == INSURED and reply is Reply.UNKNOWN:
        target = event.message if isinstance(event, CallbackQuery) else event
        if target is not None:
            await target.answer(views.how_to_check_insurance())
    await _next_step(event, state, regions)


async def on_choice_pressed(
    callback: CallbackQuery,
    callback_data: views.CheckAnswer,
    state: FSMContext,
    regions: RegionDirectory,
) -> None:
    step = await state.get_state()
    if step is None or callback_data.step != CHOICE_KEYS.get(step):
        # A button of an earlier question: repeat the current one instead of guessing.
        await _go_to(callback, state, step or AGE, regions, stale_button())
        return
    await _record_choice(callback, state, callback_data.reply, regions)


async def on_choice_typed(message: Message, state: FSMContext, regions: RegionDirectory) -> None:
    reply = read_reply(message.text or "")
    if isinstance(reply, Misread):
        await _not_an_answer(message, state, regions, reply)
        return
    await _record_choice(message, state, reply, regions)


async def on_check_region_typed(
    message: Message, state: FSMContext, regions: RegionDirectory, ivf_quotas: IvfQuotaTable
) -> None:
    region = read_region(message.text or "", regions)
    if isinstance(region, Misread):
        await _not_an_answer(message, state, regions, region)
        return
    await _finish_check(message, state, region, ivf_quotas)


async def _finish_check(
    event: Message | CallbackQuery, state: FSMContext, region: Region, ivf_quotas: IvfQuotaTable
) -> None:
    result = verdict_from_stored(await state.get_data())
    # The answers are personal: they leave the storage the moment the verdict is made.
    await state.clear()
    if result is None:
        # Data from an interrupted or older check: start again rather than guess.
        await state.set_state(EligibilityForm.entering_age)
        await show(event, views.ask_age())
        return
    quota_line = views.latest_quota_line(region, ivf_quotas.for_region(region.code))
    await show(event, views.verdict(result, quota_line))


async def _not_an_answer(
    message: Message, state: FSMContext, regions: RegionDirectory, misread: Misread
) -> None:
    """Re-ask with a hint; a question typed mid-check offers to leave, keeping the place."""
    if misread is Misread.QUESTION:
        await show(message, views.leave_prompt())
        return
    hint = views.misread_hint(misread, message.text or "")
    await message.answer(hint, reply_markup=_question(await state.get_state(), regions).markup)


async def on_back_pressed(
    callback: CallbackQuery, state: FSMContext, regions: RegionDirectory, ivf_quotas: IvfQuotaTable
) -> None:
    current = await state.get_state()
    if current not in STEPS or STEPS.index(current) == 0:
        await state.clear()
        await show(callback, views.ivf_menu(ivf_quotas.national))
        return
    await _go_to(callback, state, STEPS[STEPS.index(current) - 1], regions)


async def on_continue_pressed(
    callback: CallbackQuery, state: FSMContext, regions: RegionDirectory
) -> None:
    await show(callback, _question(await state.get_state(), regions))


async def on_leave_pressed(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await show(callback, views.check_left())


async def reject_non_text(message: Message, state: FSMContext, regions: RegionDirectory) -> None:
    await message.answer(views.text_only())
    await show(message, _question(await state.get_state(), regions))


def create_router() -> Router:
    router = Router(name="ivf")
    # Commands and main-menu buttons typed mid-check go to their own handlers.
    typed = (F.text, ~F.text.startswith("/"), ~ButtonText(*MENU_LABELS))

    router.message.register(cmd_start_ivf, CommandStart(deep_link=True, magic=F.args == "ivf"))
    router.message.register(show_ivf_menu, ButtonText(MenuButton.IVF))
    router.message.register(show_ivf_menu, Command("ivf"))
    router.callback_query.register(on_menu_pressed, IvfAction.filter(F.action == "menu"))
    router.callback_query.register(on_check_pressed, IvfAction.filter(F.action == "check"))
    router.callback_query.register(show_how_to_apply, IvfAction.filter(F.action == "apply"))
    router.callback_query.register(show_clinics, IvfAction.filter(F.action == "clinics"))
    router.callback_query.register(show_my_region_quotas, IvfAction.filter(F.action == "quotas"))
    router.callback_query.register(ask_quota_region, IvfAction.filter(F.action == "quota_region"))
    router.callback_query.register(turn_region_page, views.RegionPage.filter(), REGION_STATES)
    router.callback_query.register(on_region_picked, views.RegionPick.filter(), REGION_STATES)
    router.message.register(on_quota_region_typed, QuotaRegionForm.choosing_region, *typed)

    router.message.register(on_age_entered, EligibilityForm.entering_age, *typed)
    choice_states = StateFilter(*(step for step in STEPS if step in CHOICE_KEYS))
    router.message.register(on_choice_typed, choice_states, *typed)
    router.callback_query.register(on_choice_pressed, views.CheckAnswer.filter(), CHECK_STATES)
    router.message.register(on_check_region_typed, EligibilityForm.choosing_region, *typed)
    router.callback_query.register(
        on_back_pressed, views.CheckNav.filter(F.action == "back"), CHECK_STATES
    )
    router.callback_query.register(
        on_continue_pressed, views.CheckNav.filter(F.action == "continue"), CHECK_STATES
    )
    router.callback_query.register(
        on_leave_pressed, views.CheckNav.filter(F.action == "leave"), CHECK_STATES
    )
    router.message.register(reject_non_text, CHECK_STATES, ~F.text)
    return router
