from aiogram import Bot, F, Router
from aiogram.types import Message
from aiogram.utils.i18n import I18n

from bot.db.group_chats import GroupChatRepository
from bot.views import group_chats as views


async def tell_private_only(
    message: Message, bot: Bot, i18n: I18n, group_chats: GroupChatRepository
) -> None:
    # Said once per group.
    if not await group_chats.mark_notified(message.chat.id):
        return
    me = await bot.me()
    await message.answer(views.private_only(i18n, me.username))


def create_router() -> Router:
    router = Router(name="group_chats")
    router.message.filter(F.chat.type != "private")
    router.message.register(tell_private_only)
    return router
