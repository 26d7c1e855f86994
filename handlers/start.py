from aiogram import Router
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import I18n

from bot.db.users import UserRecord
from bot.views import start as views
from bot.views.common import show


async def cmd_start(
    message: Message, state: FSMContext, i18n: I18n, user_record: UserRecord
) -> None:
    await state.clear()
    if user_record.language is None:
        await show(message, views.first_greeting(i18n))
        return
    await show(message, views.welcome_back())


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(cmd_start, CommandStart())
    return router
