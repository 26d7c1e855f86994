from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.db.users import UserRepository
from bot.services.tickets import TicketService
from bot.views import privacy as views
from bot.views.common import show, shows


async def cmd_cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await show(message, views.nothing_to_cancel())
        return
    await state.clear()
    await show(message, views.cancelled())


cmd_forget = shows(views.confirm_forget)


async def on_forget_confirmed(
    callback: CallbackQuery, state: FSMContext, users: UserRepository, tickets: TicketService
) -> None:
    await state.clear()
    await tickets.forget(callback.from_user.id)
    await users.delete(callback.from_user.id)
    await show(callback, views.forgotten())


on_forget_declined = shows(views.nothing_deleted)


def create_router() -> Router:
    router = Router(name="privacy")
    router.message.register(cmd_cancel, Command("cancel"), StateFilter("*"))
    router.message.register(cmd_forget, Command("forget"), StateFilter("*"))
    router.callback_query.register(
        on_forget_confirmed, views.ForgetChoice.filter(F.confirmed), StateFilter("*")
    )
    router.callback_query.register(
        on_forget_declined, views.ForgetChoice.filter(~F.confirmed), StateFilter("*")
    )
    return router
