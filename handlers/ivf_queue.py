"""«My place in the IVF queue»: own phone by the contact button, then the IIN.

Staff upload waiting lists through `handlers/uploads.py`."""

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.db.users import UserRecord
from bot.services.iin import InvalidIin, parse_iin
from bot.services.ivf_queue import LookupOutcome, QueueLookup, QueueReadiness
from bot.services.personal_data import contains_personal_data
from bot.services.phone import InvalidPhone, normalize_phone
from bot.services.regions import RegionDirectory
from bot.states import QueueLookupForm
from bot.telegram.filters import ButtonText
from bot.views import ivf_queue as views
from bot.views.common import IvfAction, MenuButton, show, shows
from bot.views.ivf_queue import CANCEL, QueueNotify

logger = logging.getLogger(__name__)


async def start_queue_lookup(
    message: Message,
    state: FSMContext,
    queue_lookup: QueueLookup,
    user_record: UserRecord,
    regions: RegionDirectory,
) -> None:
    readiness = await queue_lookup.readiness()
    if readiness is not QueueReadiness.READY:
        region = regions.get(user_record.region_code) if user_record.region_code else None
        await show(message, views.not_ready(readiness, region))
        return
    limit = await queue_lookup.check_limit(user_record.id)
    if limit is not None:
        await show(message, views.limited(limit))
        return
    await state.set_state(QueueLookupForm.sharing_phone)
    await show(message, views.ask_phone())


async def on_queue_pressed(
    callback: CallbackQuery,
    state: FSMContext,
    queue_lookup: QueueLookup,
    user_record: UserRecord,
    regions: RegionDirectory,
) -> None:
    # Offered under answers about the waiting list (bot/views/questions.py).
    await callback.answer()
    if isinstance(callback.message, Message):
        await start_queue_lookup(callback.message, state, queue_lookup, user_record, regions)


async def on_contact_shared(
    message: Message, state: FSMContext, queue_lookup: QueueLookup
) -> None:
    contact = message.contact
    if contact is None or message.from_user is None or contact.user_id != message.from_user.id:
        await show(message, views.someone_elses_contact())
        return
    try:
        phone_hash = queue_lookup.phone_hash(normalize_phone(contact.phone_number))
    except InvalidPhone:
        await show(message, views.unavailable())
        await state.clear()
        return
    await state.update_data(phone_hash=phone_hash.hex())
    await state.set_state(QueueLookupForm.entering_iin)
    await show(message, views.ask_iin())


reject_typed_phone = shows(views.typed_phone_rejected)


async def on_iin_sent(
    message: Message,
    *,
    state: FSMContext,
    bot: Bot,
    queue_lookup: QueueLookup,
    regions: RegionDirectory,
    user_record: UserRecord,
) -> None:
    await _delete_quietly(bot, message)
    try:
        iin = parse_iin(message.text or "")
    except InvalidIin as error:
        await show(message, views.iin_rejected(error.problem))
        return
    phone_hash = bytes.fromhex((await state.get_data()).get("phone_hash", ""))
    result = await queue_lookup.look_up(user_record.id, iin, phone_hash)
    await state.clear()
    if result.outcome is LookupOutcome.FOUND:
        for screen in views.found(result.records, regions):
            await show(message, screen)
    elif result.outcome is LookupOutcome.LIMITED and result.limit is not None:
        await show(message, views.limited(result.limit))
    elif result.outcome is LookupOutcome.NOT_FOUND:
        region = regions.get(user_record.region_code) if user_record.region_code else None
        await show(message, views.not_found(region))
    else:
        await show(message, views.unavailable())


async def remove_iin_outside_text(message: Message, bot: Bot) -> None:
    # Only a new text message is read as the IIN; one left in a caption or an edit must not
    # stay in the chat either.
    await _delete_quietly(bot, message)
    await show(message, views.iin_outside_text_removed())


def _holds_personal_data(message: Message) -> bool:
    return contains_personal_data(message.text or message.caption or "")


reject_non_text_iin = shows(views.iin_as_text_please)


async def cancel_lookup(message: Message, state: FSMContext) -> None:
    await state.clear()
    await show(message, views.lookup_cancelled())


async def on_notify_choice(
    callback: CallbackQuery, callback_data: QueueNotify, queue_lookup: QueueLookup
) -> None:
    if not await queue_lookup.set_notify(callback.from_user.id, callback_data.on):
        await callback.answer(views.look_up_first())
        return
    await show(callback, views.notify_set(callback_data.on))


async def _delete_quietly(bot: Bot, message: Message) -> None:
    # Bots may delete messages in a private chat for 48 hours; if it fails, go on.
    try:
        await bot.delete_message(chat_id=message.chat.id, message_id=message.message_id)
    except TelegramAPIError as error:
        logger.info("Could not delete a message with an IIN (%s)", type(error).__name__)


def create_router() -> Router:
    router = Router(name="ivf_queue")
    not_command = ~F.text.startswith("/")
    router.message.register(start_queue_lookup, ButtonText(MenuButton.IVF_QUEUE))
    router.message.register(start_queue_lookup, Command("queue"))
    router.callback_query.register(on_queue_pressed, IvfAction.filter(F.action == "queue"))
    router.message.register(cancel_lookup, ButtonText(CANCEL), QueueLookupForm.sharing_phone)
    router.message.register(cancel_lookup, ButtonText(CANCEL), QueueLookupForm.entering_iin)
    router.message.register(on_contact_shared, F.contact, QueueLookupForm.sharing_phone)
    # A main-menu button or another feature's command ends the look-up before the routers
    # (bot/telegram/middlewares.py): anything else typed here is a phone or an IIN.
    router.message.register(reject_typed_phone, not_command, QueueLookupForm.sharing_phone)
    router.message.register(on_iin_sent, F.text, not_command, QueueLookupForm.entering_iin)
    router.message.register(
        remove_iin_outside_text, F.caption, _holds_personal_data, QueueLookupForm.entering_iin
    )
    router.message.register(reject_non_text_iin, not_command, QueueLookupForm.entering_iin)
    router.edited_message.register(
        remove_iin_outside_text, _holds_personal_data, QueueLookupForm.entering_iin
    )
    router.callback_query.register(on_notify_choice, QueueNotify.filter())
    return router
