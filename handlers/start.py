from aiogram import Router
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRecord
from bot.views.common import language_keyboard, main_menu
from bot.views.core import ASK_IN_OWN_WORDS, WELCOME


async def cmd_start(
    message: Message, state: FSMContext, i18n: I18n, user_record: UserRecord
) -> None:
    await state.clear()
    if user_record.language is None:
        # Greet in both languages: we do not know yet which one the person reads.
        greeting = "\n\n".join(i18n.gettext(WELCOME, locale=code) for code in ("kk", "ru"))
        await message.answer(greeting, reply_markup=language_keyboard())
        return
    await message.answer(
        _("Welcome back!") + "\n\n" + _(ASK_IN_OWN_WORDS), reply_markup=main_menu()
    )


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(cmd_start, CommandStart())
    return router
