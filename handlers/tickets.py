"""«Ask a person»: a citizen's question goes to their region's health department; a staff reply
to the ticket message comes back to the citizen. Answer votes («👍 / 👎») live here too.

Everything sent to someone other than the person who pressed or wrote goes through
`TicketMessenger` (bot/telegram/ticket_messenger.py).
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot.db.users import UserRecord
from bot.i18n import current_locale
from bot.services.knowledge_base import KnowledgeBase
from bot.services.regions import RegionDirectory
from bot.services.tickets import RegionSetter, TicketService, has_visible_text
from bot.states import TicketForm
from bot.telegram.ticket_messenger import Sent, TicketMessenger
from bot.views import tickets as views
from bot.views.common import stale_button
from bot.views.my_region import RegionPick, region_pick_keyboard

# A photo's caption holds 1,024 characters; the answer's header takes some of them.
CAPTION_ANSWER_LIMIT = 800
AnyMessage = Message | InaccessibleMessage


# Citizens ------------------------------------------------------------------------------------
async def cmd_ask(
    message: Message,
    state: FSMContext,
    *,
    tickets: TicketService,
    user_record: UserRecord,
    regions: RegionDirectory,
) -> None:
    await start_ticket(
        message, state, user_record, tickets=tickets, regions=regions, entry_id=None
    )


async def on_ask_pressed(
    callback: CallbackQuery,
    callback_data: views.AskPerson,
    state: FSMContext,
    *,
    tickets: TicketService,
    user_record: UserRecord,
    regions: RegionDirectory,
) -> None:
    await callback.answer()
    if callback.message is not None:
        entry_id = callback_data.entry or None
        await start_ticket(
            callback.message,
            state,
            user_record,
            tickets=tickets,
            regions=regions,
            entry_id=entry_id,
        )


async def start_ticket(
    message: AnyMessage,
    state: FSMContext,
    user_record: UserRecord,
    *,
    tickets: TicketService,
    regions: RegionDirectory,
    entry_id: str | None,
) -> None:
    await message.answer(views.intro())
    await state.set_data({"entry": entry_id})
    open_ticket = await tickets.open_ticket_of(user_record.id)
    if open_ticket is not None:
        await state.set_state(TicketForm.writing)
        await message.answer(views.type_addition(open_ticket.id))
        return
    if user_record.region_code is None or regions.get(user_record.region_code) is None:
        await state.set_state(TicketForm.choosing_region)
        await message.answer(
            views.ask_region(), reply_markup=region_pick_keyboard(regions.all(), 0)
        )
        return
    await offer_question(message, state, user_record.id, tickets)


async def offer_question(
    message: AnyMessage, state: FSMContext, user_id: int, tickets: TicketService
) -> None:
    recent = tickets.recent_question(user_id)
    if recent is None:
        await state.set_state(TicketForm.writing)
        await message.answer(views.type_question())
        return
    await state.set_state(TicketForm.confirming)
    text, keyboard = views.confirm_recent_question(recent.text)
    await message.answer(text, reply_markup=keyboard)


async def on_region_picked(
    callback: CallbackQuery,
    callback_data: RegionPick,
    state: FSMContext,
    *,
    tickets: TicketService,
    users: RegionSetter,
    regions: RegionDirectory,
) -> None:
    if regions.get(callback_data.code) is None or callback.message is None:
        await callback.answer(stale_button())
        return
    await callback.answer()
    await users.set_region(callback.from_user.id, callback_data.code)
    await offer_question(callback.message, state, callback.from_user.id, tickets)


async def on_region_typed(
    message: Message,
    state: FSMContext,
    *,
    tickets: TicketService,
    users: RegionSetter,
    regions: RegionDirectory,
) -> None:
    region = regions.find(message.text or "")
    if region is None or message.from_user is None:
        await message.answer(
            views.ask_region(), reply_markup=region_pick_keyboard(regions.all(), 0)
        )
        return
    await users.set_region(message.from_user.id, region.code)
    await offer_question(message, state, message.from_user.id, tickets)


async def on_recent_question_choice(
    callback: CallbackQuery,
    callback_data: views.SendRecentQuestion,
    state: FSMContext,
    *,
    bot: Bot,
    tickets: TicketService,
    messenger: TicketMessenger,
    regions: RegionDirectory,
    user_record: UserRecord,
) -> None:
    if callback.message is None:
        await callback.answer()
        return
    if not callback_data.send:
        await callback.answer()
        await state.set_state(TicketForm.writing)
        await callback.message.answer(views.type_question())
        return
    # Taken before any await: of two taps on «Send», one sends and the other finds nothing.
    lost = tickets.recent_question_lost(callback.from_user.id)
    recent = tickets.take_recent_question(callback.from_user.id)
    if lost:
        # Kept in memory only, the question went with a restart; the dialog did not.
        await callback.answer()
        await state.set_state(TicketForm.writing)
        await callback.message.answer(views.type_question())
        return
    if recent is None:
        await callback.answer(stale_button())
        return
    await callback.answer()
    await state.clear()
    await submit(
        callback.message, user_record, recent.text, recent.entry_id,
        bot=bot, tickets=tickets, messenger=messenger, regions=regions,
    )  # fmt: skip


async def on_question_typed(
    message: Message,
    state: FSMContext,
    *,
    bot: Bot,
    tickets: TicketService,
    messenger: TicketMessenger,
    regions: RegionDirectory,
    user_record: UserRecord,
) -> None:
    entry_id = (await state.get_data()).get("entry")
    await state.clear()
    await submit(
        message, user_record, message.text or "", entry_id,
        bot=bot, tickets=tickets, messenger=messenger, regions=regions,
    )  # fmt: skip


async def submit(
    message: AnyMessage,
    user_record: UserRecord,
    text: str,
    entry_id: str | None,
    *,
    bot: Bot,
    tickets: TicketService,
    messenger: TicketMessenger,
    regions: RegionDirectory,
) -> None:
    submission = await tickets.submit(
        user_record.id, current_locale(), user_record.region_code, text, entry_id
    )
    reply, keyboard = views.submitted(submission.ticket, submission.is_new, regions)
    await message.answer(reply, reply_markup=keyboard)
    await messenger.new_message(bot, submission)


async def ask_for_text(message: Message) -> None:
    await message.answer(views.text_only())


async def on_citizen_ticket_action(
    callback: CallbackQuery,
    callback_data: views.CitizenTicketAction,
    state: FSMContext,
    *,
    bot: Bot,
    tickets: TicketService,
    messenger: TicketMessenger,
) -> None:
    ticket = await tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.user_id != callback.from_user.id or callback.message is None:
        await callback.answer(stale_button())
        return
    if callback_data.action == "add" and not ticket.is_closed:
        await callback.answer()
        await state.set_state(TicketForm.writing)
        await callback.message.answer(views.type_addition(ticket.id))
        return
    if await tickets.close_by_citizen(ticket.id, callback.from_user.id) is None:
        await callback.answer(stale_button())
        return
    await callback.answer()
    await callback.message.answer(views.closed_by_citizen(ticket.id))
    await messenger.citizen_closed(bot, ticket)


async def on_ticket_rated(
    callback: CallbackQuery, callback_data: views.TicketRating, tickets: TicketService
) -> None:
    if not await tickets.rate(
        callback_data.ticket_id, callback.from_user.id, callback_data.helped
    ):
        await callback.answer(stale_button())
        return
    await callback.answer(views.rating_saved())


async def on_answer_vote(
    callback: CallbackQuery,
    callback_data: views.AnswerVote,
    tickets: TicketService,
    knowledge_base: KnowledgeBase,
) -> None:
    if knowledge_base.get(callback_data.entry) is None:
        await callback.answer(stale_button())
        return
    await tickets.vote(callback_data.entry, callback.from_user.id, callback_data.helpful)
    await callback.answer(views.vote_saved())
    if not callback_data.helpful and callback.message is not None:
        await callback.message.answer(
            views.unhelpful_offer(), reply_markup=views.ask_person_keyboard(callback_data.entry)
        )


async def cmd_tickets(message: Message, tickets: TicketService, regions: RegionDirectory) -> None:
    assert message.from_user is not None
    role = await tickets.role(message.from_user.id)
    if role is None:
        text, keyboard = views.citizen_tickets(await tickets.tickets_of(message.from_user.id))
    else:
        waiting = await tickets.waiting_for(role)
        text, keyboard = views.staff_tickets(waiting, tickets.clock(), regions)
    await message.answer(text, reply_markup=keyboard)


# Replies: staff answer a ticket, its citizen adds to it ---------------------------------------
async def on_reply(
    message: Message,
    state: FSMContext,
    *,
    bot: Bot,
    tickets: TicketService,
    messenger: TicketMessenger,
    regions: RegionDirectory,
    user_record: UserRecord,
) -> None:
    replied = message.reply_to_message
    assert replied is not None and message.from_user is not None
    shown = await tickets.ticket_shown_in(message.chat.id, replied.message_id)
    if shown is not None and shown.to_citizen:
        ticket = shown.ticket
        if ticket.user_id != message.from_user.id or ticket.is_closed:
            raise SkipHandler  # an answer to a closed question: a message like any
        text = message.text or ""
        if not has_visible_text(text):
            await message.answer(views.text_only())
            return
        await state.clear()
        await submit(
            message, user_record, text, None,
            bot=bot, tickets=tickets, messenger=messenger, regions=regions,
        )  # fmt: skip
        return
    if await tickets.role(message.from_user.id) is None:
        raise SkipHandler  # a citizen replying to some other message: a question like any
    if shown is None:
        if replied.forward_origin is None:
            raise SkipHandler  # staff replying to an ordinary message
        # A copy forwarded from someone else's chat maps to nothing: it cannot be answered.
        await message.answer(views.not_a_ticket_message())
        return
    # Checked on every reply: a member's region can change after the ticket reached them.
    if await tickets.role_reaching(message.from_user.id, shown.ticket) is None:
        await message.answer(views.other_region())
        return
    await relay_answer(
        message, bot=bot, tickets=tickets, messenger=messenger, ticket_id=shown.ticket.id
    )


async def relay_answer(
    message: Message,
    *,
    bot: Bot,
    tickets: TicketService,
    messenger: TicketMessenger,
    ticket_id: int,
) -> None:
    assert message.from_user is not None
    photo = message.photo[-1].file_id if message.photo else None
    document = message.document.file_id if message.document else None
    text = message.text or message.caption or ""
    if not has_visible_text(text) and photo is None and document is None:
        await message.answer(views.unsupported_answer())
        return
    if photo or document:
        text = text[:CAPTION_ANSWER_LIMIT]
    ticket = await tickets.answer(ticket_id, message.from_user.id, text)
    if ticket is None:
        await message.answer(views.ticket_already_closed(ticket_id))
        return
    sent = await messenger.answer_citizen(bot, ticket, text, photo=photo, document=document)
    if sent is Sent.BLOCKED:
        await message.answer(views.citizen_blocked(ticket_id))
    elif sent is Sent.FAILED:
        await message.answer(views.not_sent(ticket_id))
    else:
        await message.answer(views.answer_relayed(ticket_id))


async def on_staff_ticket_action(
    callback: CallbackQuery,
    callback_data: views.StaffTicketAction,
    *,
    bot: Bot,
    tickets: TicketService,
    messenger: TicketMessenger,
) -> None:
    ticket = await tickets.get(callback_data.ticket_id)
    if ticket is None or await tickets.role(callback.from_user.id) is None:
        await callback.answer(stale_button())
        return
    # Checked on every press: button data can be forged, and a member's region can change.
    if await tickets.role_reaching(callback.from_user.id, ticket) is None:
        await callback.answer(views.other_region(), show_alert=True)
        return
    if callback.message is None:
        await callback.answer()
        return
    if callback_data.action == "show":
        await callback.answer()
        await messenger.show_ticket_in(bot, ticket, callback.message.chat.id)
        return
    if not await tickets.close_by_staff(ticket):
        await callback.answer(views.ticket_already_closed(ticket.id))
        return
    await callback.answer()
    await messenger.closed_by_staff(bot, ticket)
    await callback.message.answer(views.closed_for_staff(ticket.id))


def create_router() -> Router:
    router = Router(name="tickets")
    # Replies in any chat, before the group-chat notice: staff may answer in the staff group
    # (STAFF_CHAT_ID); a reply that is no ticket's goes on to the other routers.
    router.message.register(on_reply, F.reply_to_message)
    router.callback_query.register(on_staff_ticket_action, views.StaffTicketAction.filter())
    citizens = Router(name="tickets_citizens")
    citizens.message.filter(F.chat.type == "private")
    citizens.message.register(cmd_ask, Command("ask"))
    citizens.message.register(cmd_tickets, Command("tickets"))
    # A main-menu button or another feature's command has ended the dialog before the routers
    # (bot/telegram/middlewares.py); /cancel, /help and /language go on to their routers.
    not_command = ~F.text.startswith("/")
    citizens.message.register(on_region_typed, TicketForm.choosing_region, F.text, not_command)
    # Typed instead of pressing «Send»: what they typed is the question.
    writing = StateFilter(TicketForm.writing, TicketForm.confirming)
    citizens.message.register(
        on_question_typed, writing, F.text.func(has_visible_text), not_command
    )
    # A photo, a sticker, or invisible characters only: nothing staff could read.
    citizens.message.register(ask_for_text, TicketForm.writing, not_command)
    citizens.callback_query.register(on_ask_pressed, views.AskPerson.filter())
    citizens.callback_query.register(on_answer_vote, views.AnswerVote.filter())
    citizens.callback_query.register(
        on_region_picked, TicketForm.choosing_region, RegionPick.filter()
    )
    citizens.callback_query.register(
        on_recent_question_choice, TicketForm.confirming, views.SendRecentQuestion.filter()
    )
    citizens.callback_query.register(on_citizen_ticket_action, views.CitizenTicketAction.filter())
    citizens.callback_query.register(on_ticket_rated, views.TicketRating.filter())
    router.include_router(citizens)
    return router
