"""«My place in the IVF queue»: own phone by the contact button, then the IIN; staff uploads."""

import io
import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.users import UserRecord
from bot.i18n import N_
from bot.services.iin import InvalidIin, parse_iin
from bot.services.ivf_queue import LookupOutcome, QueueLookup, QueueReadiness
from bot.services.ivf_queue_import import QueueImporter, resolve_region
from bot.services.outbox import OutboxSender
from bot.services.personal_data import contains_personal_data
from bot.services.phone import InvalidPhone, normalize_phone
from bot.services.regions import Region, RegionDirectory
from bot.services.staff import StaffRoles
from bot.telegram.filters import ButtonText, IsStaff
from bot.views.common import IvfAction, MenuButton, main_menu
from bot.views.core import quote_user_text
from bot.views.ivf_queue import (
    IIN_PROBLEMS,
    import_report_text,
    limit_text,
    not_found_text,
    not_ready_text,
    record_text,
)

logger = logging.getLogger(__name__)

SHARE_PHONE = N_("📱 Share my phone number")
CANCEL = N_("✖️ Cancel")
# Telegram lets bots download files up to 20 MB.
MAX_FILE_SIZE = 20 * 1024 * 1024
CSV_SUFFIXES = (".csv", ".txt")
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".ods")
UNAVAILABLE = N_(
    "The queue look-up is not available right now. Please ask your regional health "
    "department about your place."
)


class QueueLookupForm(StatesGroup):
    sharing_phone = State()
    entering_iin = State()


class QueueNotify(CallbackData, prefix="qnotify"):
    on: bool


def share_phone_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=_(SHARE_PHONE), request_contact=True)],
            [KeyboardButton(text=_(CANCEL))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def cancel_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text=_(CANCEL))]], resize_keyboard=True)


def notify_keyboard(on: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if on:
        builder.button(text=_("🔕 Stop change messages"), callback_data=QueueNotify(on=False))
    else:
        builder.button(text=_("🔔 Tell me when it changes"), callback_data=QueueNotify(on=True))
    return builder.as_markup()


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
        await message.answer(not_ready_text(readiness, region), reply_markup=main_menu())
        return
    limit = await queue_lookup.check_limit(user_record.id)
    if limit is not None:
        await message.answer(limit_text(limit), reply_markup=main_menu())
        return
    await state.set_state(QueueLookupForm.sharing_phone)
    await message.answer(
        _(
            "Your place in the IVF waiting list is personal, so first I need to make sure it "
            "is you. Please press «{button}» below: Telegram sends me the number of this "
            "account, and it must be the number the health department has for you.\n\n"
            "I keep neither your number nor your IIN in readable form, only a protected code."
        ).format(button=_(SHARE_PHONE)),
        reply_markup=share_phone_keyboard(),
    )


async def on_queue_pressed(
    callback: CallbackQuery,
    state: FSMContext,
    queue_lookup: QueueLookup,
    user_record: UserRecord,
    regions: RegionDirectory,
) -> None:
    # Offered under answers about the waiting list (handlers/questions.py).
    await callback.answer()
    if isinstance(callback.message, Message):
        await start_queue_lookup(callback.message, state, queue_lookup, user_record, regions)


async def on_contact_shared(
    message: Message, state: FSMContext, queue_lookup: QueueLookup
) -> None:
    contact = message.contact
    if contact is None or message.from_user is None or contact.user_id != message.from_user.id:
        await message.answer(
            _(
                "This is someone else's contact card. I show a place in the queue only to its "
                "owner: please press «{button}» to share your own number."
            ).format(button=_(SHARE_PHONE)),
            reply_markup=share_phone_keyboard(),
        )
        return
    try:
        phone_hash = queue_lookup.phone_hash(normalize_phone(contact.phone_number))
    except InvalidPhone:
        await message.answer(_(UNAVAILABLE), reply_markup=main_menu())
        await state.clear()
        return
    await state.update_data(phone_hash=phone_hash.hex())
    await state.set_state(QueueLookupForm.entering_iin)
    await message.answer(
        _(
            "Thank you. Now send your IIN, 12 digits. I will delete your message with it from "
            "this chat as soon as I have read it."
        ),
        reply_markup=cancel_keyboard(),
    )


async def reject_typed_phone(message: Message) -> None:
    await message.answer(
        _(
            "Please do not type the number: press the «{button}» button below. That way "
            "Telegram confirms that the number is yours."
        ).format(button=_(SHARE_PHONE)),
        reply_markup=share_phone_keyboard(),
    )


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
        await message.answer(_(IIN_PROBLEMS[error.problem]), reply_markup=cancel_keyboard())
        return
    phone_hash = bytes.fromhex((await state.get_data()).get("phone_hash", ""))
    result = await queue_lookup.look_up(user_record.id, iin, phone_hash)
    await state.clear()
    if result.outcome is LookupOutcome.FOUND:
        for record in result.records:
            await message.answer(record_text(record, regions), reply_markup=main_menu())
        subscribed = any(r.previous is not None and r.previous.notify for r in result.records)
        await message.answer(
            _("Do you want a message when a new list changes your place or status?"),
            reply_markup=notify_keyboard(on=subscribed),
        )
    elif result.outcome is LookupOutcome.LIMITED and result.limit is not None:
        await message.answer(limit_text(result.limit), reply_markup=main_menu())
    elif result.outcome is LookupOutcome.NOT_FOUND:
        region = regions.get(user_record.region_code) if user_record.region_code else None
        await message.answer(not_found_text(region), reply_markup=main_menu())
    else:
        await message.answer(_(UNAVAILABLE), reply_markup=main_menu())


async def remove_iin_outside_text(message: Message, bot: Bot) -> None:
    # Only a new text message is read as the IIN; one left in a caption or an edit must not
    # stay in the chat either.
    await _delete_quietly(bot, message)
    await message.answer(
        _(
            "I deleted your message: I read an IIN only in a new plain text message, not in a "
            "photo caption or an edited message. Please send your IIN again as a text "
            "message: 12 digits."
        ),
        reply_markup=cancel_keyboard(),
    )


def _holds_personal_data(message: Message) -> bool:
    return contains_personal_data(message.text or message.caption or "")


async def reject_non_text_iin(message: Message) -> None:
    await message.answer(
        _("Please send your IIN as a text message: 12 digits."), reply_markup=cancel_keyboard()
    )


async def cancel_lookup(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Cancelled. What else can I help with?"), reply_markup=main_menu())


async def on_notify_choice(
    callback: CallbackQuery, callback_data: QueueNotify, queue_lookup: QueueLookup
) -> None:
    if not await queue_lookup.set_notify(callback.from_user.id, callback_data.on):
        await callback.answer(_("Look up your place first; then I can follow it."))
        return
    await callback.answer()
    if callback.message is not None:
        await callback.message.answer(
            _("Done: when a new list changes your place or status, I will send you a message.")
            if callback_data.on
            else _("Done: I will not send messages about changes."),
            reply_markup=notify_keyboard(on=callback_data.on),
        )


async def on_queue_file(
    message: Message,
    *,
    bot: Bot,
    queue_importer: QueueImporter,
    regions: RegionDirectory,
    outbox: OutboxSender,
    staff_roles: StaffRoles,
) -> None:
    document = message.document
    region = resolve_region(regions, message.caption) if message.caption else None
    refusal = _upload_refusal(message, region)
    if document is None or refusal is not None:
        await message.answer(refusal or "")
        return
    content = io.BytesIO()
    await bot.download(document, destination=content)
    assert message.from_user is not None
    staff = await staff_roles.role(message.from_user.id)
    report = await queue_importer.import_csv(content.getvalue(), regions, region, staff)
    await message.answer(import_report_text(report, regions))
    if report.notifications:
        outbox.wake()  # queued with the import; the one sender sends them


def _upload_refusal(message: Message, region: Region | None) -> str | None:
    """Why this upload cannot be imported as it is, or None."""
    document = message.document
    if document is None or not (document.file_name or "").lower().endswith(CSV_SUFFIXES):
        return _(
            "Please send the waiting list as a CSV file. In Excel: File → Save as → "
            "«CSV UTF-8 (comma delimited)»."
        )
    if (document.file_size or 0) > MAX_FILE_SIZE:
        return _("The file is larger than 20 MB, the limit for Telegram bots.")
    if message.caption and region is None:
        return _("I do not know the region «{text}» in the caption. Nothing was changed.").format(
            text=quote_user_text(message.caption)
        )
    return None


async def _delete_quietly(bot: Bot, message: Message) -> None:
    # Bots may delete messages in a private chat for 48 hours; if it fails, go on.
    try:
        await bot.delete_message(chat_id=message.chat.id, message_id=message.message_id)
    except TelegramAPIError as error:
        logger.info("Could not delete a message with an IIN (%s)", type(error).__name__)


def _is_table_file(message: Message) -> bool:
    # Other documents staff send are left to the features that want them.
    name = (message.document.file_name or "").lower() if message.document else ""
    return name.endswith(CSV_SUFFIXES + SPREADSHEET_SUFFIXES)


def create_router() -> Router:
    router = Router(name="ivf_queue")
    not_command = ~F.text.startswith("/")
    router.message.register(on_queue_file, F.document, IsStaff(), _is_table_file)
    router.message.register(start_queue_lookup, ButtonText(MenuButton.IVF_QUEUE))
    router.message.register(start_queue_lookup, Command("queue"))
    router.callback_query.register(on_queue_pressed, IvfAction.filter(F.action == "queue"))
    router.message.register(cancel_lookup, ButtonText(CANCEL), QueueLookupForm.sharing_phone)
    router.message.register(cancel_lookup, ButtonText(CANCEL), QueueLookupForm.entering_iin)
    router.message.register(on_contact_shared, F.contact, QueueLookupForm.sharing_phone)
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
