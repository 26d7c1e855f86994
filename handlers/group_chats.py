from aiogram import Bot, F, Router
from aiogram.types import Message
from aiogram.utils.i18n import I18n

from bot.db.group_chats import GroupChatRepository
from bot.i18n import N_

PRIVATE_ONLY = N_("I work only in private chats: please write to me directly, @{username}.")


async def tell_private_only(
    message: Message, bot: Bot, i18n: I18n, group_chats: GroupChatRepository
) -> None:
    # Said once per group, in both languages: a group has no single language.
    if not await group_chats.mark_notified(message.chat.id):
        return
    me = await bot.me()
    await message.answer(
        "\n".join(
            i18n.gettext(PRIVATE_ONLY, locale=code).format(username=me.username)
            for code in ("kk", "ru")
        )
    )


def create_router() -> Router:
    router = Router(name="group_chats")
    router.message.filter(F.chat.type != "private")
    router.message.register(tell_private_only)
    return router
