from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import I18n

from bot.db.users import UserRepository
from bot.telegram.filters import ButtonText
from bot.views import language as views
from bot.views.common import MenuButton, show, shows

cmd_language = shows(views.choose_language)


async def on_language_chosen(
    callback: CallbackQuery,
    callback_data: views.LanguageChoice,
    users: UserRepository,
    i18n: I18n,
) -> None:
    await users.set_language(callback.from_user.id, callback_data.code)
    # The choice takes effect at once, in this very reply.
    with i18n.use_locale(callback_data.code):
        await show(callback, views.language_chosen())


def create_router() -> Router:
    router = Router(name="language")
    router.message.register(cmd_language, Command("language"))
    router.message.register(cmd_language, ButtonText(MenuButton.LANGUAGE))
    router.callback_query.register(
        on_language_chosen, views.LanguageChoice.filter(F.code.in_({"kk", "ru"}))
    )
    return router
