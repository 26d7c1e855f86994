from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRepository
from bot.services.tickets import TicketService
from bot.views.common import ForgetChoice, forget_keyboard, main_menu


async def cmd_cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(_("There is nothing to cancel."), reply_markup=main_menu())
        return
    await state.clear()
    await message.answer(_("Cancelled. What else can I help with?"), reply_markup=main_menu())


async def cmd_forget(message: Message) -> None:
    await message.answer(
        _(
            "I will delete everything I keep about you: your language, subscriptions, "
            "reminders and queue look-up. This cannot be undone. Delete?"
        ),
        reply_markup=forget_keyboard(),
    )


async def on_forget_confirmed(
    callback: CallbackQuery, state: FSMContext, users: UserRepository, tickets: TicketService
) -> None:
    await state.clear()
    await tickets.forget(callback.from_user.id)
    await users.delete(callback.from_user.id)
    await callback.answer()
    if callback.message is not None:
        await callback.message.answer(
            _(
                "Done: I have deleted everything I kept about you. "
                "If you write again, we start from scratch."
            )
        )


async def on_forget_declined(callback: CallbackQuery) -> None:
    await callback.answer()
    if callback.message is not None:
        await callback.message.answer(_("Nothing was deleted."), reply_markup=main_menu())


def create_router() -> Router:
    router = Router(name="privacy")
    router.message.register(cmd_cancel, Command("cancel"), StateFilter("*"))
    router.message.register(cmd_forget, Command("forget"), StateFilter("*"))
    router.callback_query.register(
        on_forget_confirmed, ForgetChoice.filter(F.confirmed), StateFilter("*")
    )
    router.callback_query.register(
        on_forget_declined, ForgetChoice.filter(~F.confirmed), StateFilter("*")
    )
    return router
