from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.telegram.filters import ButtonText
from bot.views import help as views
from bot.views.common import MenuButton, show


async def cmd_help(message: Message) -> None:
    await show(message, views.help_screen())


async def cmd_menu(message: Message) -> None:
    await show(message, views.menu_screen())


def create_router() -> Router:
    router = Router(name="help")
    router.message.register(cmd_help, Command("help"))
    router.message.register(cmd_help, ButtonText(MenuButton.HELP))
    router.message.register(cmd_menu, Command("menu"))
    return router
