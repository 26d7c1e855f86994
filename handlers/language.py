from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRepository
from bot.telegram.filters import ButtonText
from bot.views.common import LanguageChoice, MenuButton, language_keyboard, main_menu
from bot.views.core import ASK_IN_OWN_WORDS


async def cmd_language(message: Message) -> None:
    await message.answer(_("Choose your language:"), reply_markup=language_keyboard())


async def on_language_chosen(
    callback: CallbackQuery, callback_data: LanguageChoice, users: UserRepository, i18n: I18n
) -> None:
    await users.set_language(callback.from_user.id, callback_data.code)
    await callback.answer()
    # The choice takes effect at once, in this very reply.
    with i18n.use_locale(callback_data.code):
        text = _(
            "Done: I will answer in the language you chose. "
            "You can change it any time with /language."
        )
        if callback.message is not None:
            await callback.message.answer(
                text + "\n\n" + _(ASK_IN_OWN_WORDS), reply_markup=main_menu()
            )


def create_router() -> Router:
    router = Router(name="language")
    router.message.register(cmd_language, Command("language"))
    router.message.register(cmd_language, ButtonText(MenuButton.LANGUAGE))
    router.callback_query.register(
        on_language_chosen, LanguageChoice.filter(F.code.in_({"kk", "ru"}))
    )
    return router
