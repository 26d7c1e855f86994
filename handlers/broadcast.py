"""/broadcast: compose an announcement in both languages, preview it, queue it; and the
progress buttons, /broadcasts (who sent what to whom, when) with correction and retraction.

Under the staff parent router (`handlers/__init__.py`): only staff reach these handlers."""

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import current_locale
from bot.services.broadcasting import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    Action,
    Audience,
    BroadcastService,
    ChangeRefusal,
    Draft,
    QueuedRun,
    new_draft_key,
    text_limit,
)
from bot.services.outbox import OutboxSender
from bot.services.regions import RegionDirectory
from bot.services.staff import StaffRoles
from bot.services.subscriptions import Topic
from bot.states import BroadcastForm, CorrectionForm
from bot.telegram.middlewares import OwnLanguageMiddleware
from bot.views import broadcast as views
from bot.views.broadcast import (
    ALL_REGIONS,
    LANGUAGE_AUDIENCE,
    BroadcastChange,
    ComposeChoice,
    RunControl,
)
from bot.views.common import Screen

NOT_A_COMMAND = F.text & ~F.text.startswith("/")


# Composing --------------------------------------------------------------------------------
async def cmd_broadcast(message: Message, state: FSMContext) -> None:
    await state.clear()
    await state.set_state(BroadcastForm.text_kk)
    await _say(message, views.compose_start())


async def on_same_text_chosen(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    current = await state.get_state()
    await state.set_state(
        CorrectionForm.text_all
        if current == CorrectionForm.text_kk.state
        else BroadcastForm.text_all
    )
    await _say(callback, Screen(views.text_for_all_text()))


async def _text_within_limit(message: Message, state: FSMContext) -> str | None:
    """The announcement text as sent, or None once the sender is told it is too long."""
    text = message.html_text
    limit = (await state.get_data()).get("text_limit", MESSAGE_LIMIT)
    if len(text) > limit:
        await message.answer(views.too_long_text(limit))
        return None
    return text


async def on_text_kk(message: Message, state: FSMContext) -> None:
    text = await _text_within_limit(message, state)
    if text is None:
        return
    await state.update_data(text_kk=text)
    correcting = await state.get_state() == CorrectionForm.text_kk.state
    await state.set_state(CorrectionForm.text_ru if correcting else BroadcastForm.text_ru)
    await message.answer(views.now_in_russian_text())


async def on_text_ru(message: Message, state: FSMContext) -> None:
    text = await _text_within_limit(message, state)
    if text is None:
        return
    current = await state.get_state()
    if current in (BroadcastForm.text_all.state, CorrectionForm.text_all.state):
        await state.update_data(text_kk=text, text_ru=text)
    else:
        await state.update_data(text_ru=text)
    if current in (CorrectionForm.text_ru.state, CorrectionForm.text_all.state):
        await _preview_correction(message, state)
        return
    await state.set_state(BroadcastForm.media)
    await _say(message, views.attach_media())


async def reject_non_text(message: Message) -> None:
    await message.answer(views.not_text_text())


async def on_media(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    if max(len(data["text_kk"]), len(data["text_ru"])) > CAPTION_LIMIT:
        await message.answer(views.too_long_text(CAPTION_LIMIT))
        return
    if message.photo:
        await state.update_data(media_kind="photo", media_file_id=message.photo[-1].file_id)
    elif message.document:
        await state.update_data(media_kind="document", media_file_id=message.document.file_id)
    await _ask_topic(message, state)


async def on_media_skipped(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await state.update_data(media_kind=None, media_file_id=None)
    await _ask_topic(callback, state)


async def reject_bad_media(message: Message) -> None:
    await _say(message, views.attach_media(refused=True))


async def _ask_topic(
    event: Message | CallbackQuery, state: FSMContext, reason: str | None = None
) -> None:
    await state.set_state(BroadcastForm.topic)
    await _say(event, views.choose_topic(reason))


async def on_topic_chosen(
    callback: CallbackQuery,
    callback_data: ComposeChoice,
    state: FSMContext,
    staff_roles: StaffRoles,
    regions: RegionDirectory,
) -> None:
    await callback.answer()
    if callback_data.value not in {topic.value for topic in Topic}:
        return
    await state.update_data(topic=callback_data.value)
    limited_to = await staff_roles.region_limit(callback.from_user.id)
    if limited_to is not None:
        await state.update_data(region=limited_to)
        await _ask_language(callback, state)
        return
    await state.set_state(BroadcastForm.region)
    await _say(callback, views.choose_region(regions.all(), current_locale()))


async def on_region_chosen(
    callback: CallbackQuery,
    callback_data: ComposeChoice,
    state: FSMContext,
    regions: RegionDirectory,
) -> None:
    await callback.answer()
    if callback_data.value != ALL_REGIONS and regions.get(callback_data.value) is None:
        return
    region = None if callback_data.value == ALL_REGIONS else callback_data.value
    await state.update_data(region=region)
    await _ask_language(callback, state)


async def _ask_language(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(BroadcastForm.language)
    await _say(callback, views.choose_language())


async def on_language_chosen(
    callback: CallbackQuery,
    callback_data: ComposeChoice,
    state: FSMContext,
    broadcasts: BroadcastService,
    regions: RegionDirectory,
) -> None:
    await callback.answer()
    if callback_data.value not in LANGUAGE_AUDIENCE or not isinstance(callback.message, Message):
        return
    language = None if callback_data.value == "all" else callback_data.value
    await state.update_data(language=language)
    data = await state.get_data()
    audience = _audience(data)
    sizes = await broadcasts.audience_size(audience)
    total = sum(sizes.values())
    if total == 0:
        await _ask_topic(callback, state, views.nobody_matches_text())
        return
    await state.update_data(draft_key=new_draft_key())
    await state.set_state(BroadcastForm.confirm)
    for code in ("kk", "ru"):
        if sizes.get(code):
            await _send_preview(callback.message, data, code)
    region = views.region_name(
        regions.get(audience.region_code) if audience.region_code else None, current_locale()
    )
    await _say(callback, views.summary(audience, sizes, region))


async def on_confirmed(
    callback: CallbackQuery,
    state: FSMContext,
    broadcasts: BroadcastService,
    staff_roles: StaffRoles,
    regions: RegionDirectory,
) -> None:
    # Two taps are handled at the same time and both passed the state filter: the draft's key
    # lets the database queue it once; a tap that finds the dialog over is told so.
    data = await state.get_data()
    if "draft_key" not in data or callback.message is None:
        await callback.answer(views.already_queued_text())
        return
    audience = _audience(data)
    check = await staff_roles.check_audience(callback.from_user.id, audience.region_code)
    if not check.allowed:
        # The administrator limited this member to a region while they were composing.
        await callback.answer()
        await state.update_data(region=None)
        limited_to = regions.get(check.limited_to) if check.limited_to else None
        region = views.region_name(limited_to, current_locale())
        await _ask_topic(callback, state, views.region_limited_text(region))
        return
    await state.clear()
    await callback.answer()
    draft = Draft(
        author_id=callback.from_user.id,
        text_kk=data["text_kk"],
        text_ru=data["text_ru"],
        audience=audience,
        media_kind=data.get("media_kind"),
        media_file_id=data.get("media_file_id"),
        key=data["draft_key"],
    )
    queued = await broadcasts.enqueue(draft, report_chat_id=callback.message.chat.id)
    await _report_queued(callback, queued)


async def on_compose_cancelled(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await callback.answer()
    await _say(callback, views.cancelled())


async def remind_to_press_a_button(message: Message) -> None:
    await message.answer(views.press_a_button_text())


# Progress buttons -----------------------------------------------------------------------
async def on_run_control(
    callback: CallbackQuery,
    callback_data: RunControl,
    outbox: OutboxSender,
    broadcasts: BroadcastService,
    staff_roles: StaffRoles,
) -> None:
    actions = {
        "pause": outbox.pause,
        "resume": outbox.resume,
        "cancel": outbox.cancel,
    }
    action = actions.get(callback_data.action)
    role = await staff_roles.role(callback.from_user.id)
    # Someone else's run gets the answer of a stale button: it tells nothing about the run.
    allowed = role is not None and await broadcasts.may_control(role, callback_data.run_id)
    if action is None or not allowed or not await action(callback_data.run_id):
        await callback.answer(views.run_not_running_text())
        return
    await callback.answer(views.run_control_done_text(callback_data.action))


# Audit, correction and retraction ---------------------------------------------------------
async def cmd_broadcasts(
    message: Message,
    broadcasts: BroadcastService,
    regions: RegionDirectory,
    staff_roles: StaffRoles,
) -> None:
    assert message.from_user is not None
    limited_to = await staff_roles.region_limit(message.from_user.id)
    history = await broadcasts.recent(region_code=limited_to)
    if not history:
        await message.answer(views.no_broadcasts_text())
        return
    locale = current_locale()
    for broadcast, runs in history:
        markup = None
        if await broadcasts.changeable(broadcast.id, limited_to) is not None:
            markup = views.change_keyboard(broadcast.id)
        region = regions.get(broadcast.region_code) if broadcast.region_code else None
        text = views.history_entry_text(broadcast, runs, views.region_name(region, locale), locale)
        await message.answer(text, reply_markup=markup)


async def on_change_requested(
    callback: CallbackQuery,
    callback_data: BroadcastChange,
    state: FSMContext,
    broadcasts: BroadcastService,
    staff_roles: StaffRoles,
) -> None:
    await callback.answer()
    limited_to = await staff_roles.region_limit(callback.from_user.id)
    broadcast = await broadcasts.changeable(callback_data.broadcast_id, limited_to)
    if broadcast is None:
        await _say(callback, Screen(views.too_late_text()))
        return
    if callback_data.action == "edit":
        await state.clear()
        await state.set_state(CorrectionForm.text_kk)
        # With a photo or document the text is a caption: Telegram refuses more than 1024.
        await state.update_data(
            broadcast_id=callback_data.broadcast_id, text_limit=text_limit(broadcast.media_kind)
        )
        await _say(callback, views.correction_start())
    elif callback_data.action == "delete":
        await _say(callback, views.retract_question(callback_data.broadcast_id))


async def on_retraction_confirmed(
    callback: CallbackQuery,
    callback_data: ComposeChoice,
    broadcasts: BroadcastService,
    staff_roles: StaffRoles,
) -> None:
    await callback.answer()
    if not callback_data.value.isdigit() or callback.message is None:
        return
    queued = await broadcasts.enqueue_change(
        int(callback_data.value),
        Action.DELETE,
        requested_by=callback.from_user.id,
        report_chat_id=callback.message.chat.id,
        region_code=await staff_roles.region_limit(callback.from_user.id),
    )
    await _report_queued(callback, queued)


async def on_correction_confirmed(
    callback: CallbackQuery,
    state: FSMContext,
    broadcasts: BroadcastService,
    staff_roles: StaffRoles,
) -> None:
    data = await state.get_data()
    if callback.message is None or "draft_key" not in data:
        await callback.answer(views.already_queued_text())
        return
    await state.clear()
    await callback.answer()
    queued = await broadcasts.enqueue_change(
        data["broadcast_id"],
        Action.EDIT,
        requested_by=callback.from_user.id,
        report_chat_id=callback.message.chat.id,
        claim=data["draft_key"],
        text_kk=data["text_kk"],
        text_ru=data["text_ru"],
        region_code=await staff_roles.region_limit(callback.from_user.id),
    )
    await _report_queued(callback, queued)


async def _preview_correction(message: Message, state: FSMContext) -> None:
    await state.update_data(draft_key=new_draft_key())
    data = await state.get_data()
    await state.set_state(CorrectionForm.confirm)
    for code in ("kk", "ru"):
        await message.answer(views.preview_title(code) + "\n\n" + data[f"text_{code}"])
    await _say(message, views.replace_question(data["broadcast_id"]))


async def _report_queued(
    callback: CallbackQuery, queued: QueuedRun | ChangeRefusal | None
) -> None:
    await _say(callback, views.queued(queued))


# Helpers ----------------------------------------------------------------------------------
def _audience(data: dict[str, Any]) -> Audience:
    return Audience(
        topic=Topic(data["topic"]), region_code=data.get("region"), language=data.get("language")
    )


async def _send_preview(message: Message, data: dict[str, Any], code: str) -> None:
    """Exactly what that language's recipients will receive, after a one-line title."""
    await message.answer(views.preview_title(code))
    text = data[f"text_{code}"]
    if data.get("media_kind") == "photo":
        await message.answer_photo(data["media_file_id"], caption=text)
    elif data.get("media_kind") == "document":
        await message.answer_document(data["media_file_id"], caption=text)
    else:
        await message.answer(text)


async def _say(event: Message | CallbackQuery, screen: Screen) -> None:
    """A new message in the dialog's chat (a press is answered by its handler first)."""
    message = event if isinstance(event, Message) else event.message
    if isinstance(message, Message):
        await message.answer(screen.text, reply_markup=screen.markup)


def create_router() -> Router:
    router = Router(name="broadcast")
    router.message.middleware(OwnLanguageMiddleware())
    router.callback_query.middleware(OwnLanguageMiddleware())
    router.message.register(cmd_broadcast, Command("broadcast"), StateFilter("*"))
    router.message.register(cmd_broadcasts, Command("broadcasts"), StateFilter("*"))

    first = (BroadcastForm.text_kk, CorrectionForm.text_kk)
    router.callback_query.register(
        on_same_text_chosen, ComposeChoice.filter(F.step == "same"), StateFilter(*first)
    )
    router.message.register(on_text_kk, StateFilter(*first), NOT_A_COMMAND)
    second = (
        BroadcastForm.text_ru,
        BroadcastForm.text_all,
        CorrectionForm.text_ru,
        CorrectionForm.text_all,
    )
    router.message.register(on_text_ru, StateFilter(*second), NOT_A_COMMAND)
    router.message.register(reject_non_text, StateFilter(*first, *second), ~F.text)

    router.message.register(on_media, BroadcastForm.media, F.photo | F.document)
    router.callback_query.register(
        on_media_skipped, ComposeChoice.filter(F.step == "skip_media"), BroadcastForm.media
    )
    router.message.register(reject_bad_media, BroadcastForm.media, ~F.text.startswith("/"))
    router.callback_query.register(
        on_topic_chosen, ComposeChoice.filter(F.step == "topic"), BroadcastForm.topic
    )
    router.callback_query.register(
        on_region_chosen, ComposeChoice.filter(F.step == "region"), BroadcastForm.region
    )
    router.callback_query.register(
        on_language_chosen, ComposeChoice.filter(F.step == "language"), BroadcastForm.language
    )
    router.callback_query.register(
        on_confirmed, ComposeChoice.filter(F.step == "confirm"), BroadcastForm.confirm
    )
    router.callback_query.register(
        on_correction_confirmed, ComposeChoice.filter(F.step == "confirm"), CorrectionForm.confirm
    )
    router.callback_query.register(
        on_compose_cancelled, ComposeChoice.filter(F.step == "cancel"), StateFilter("*")
    )
    choosing = StateFilter(
        BroadcastForm.topic,
        BroadcastForm.region,
        BroadcastForm.language,
        BroadcastForm.confirm,
        CorrectionForm.confirm,
    )
    router.message.register(remind_to_press_a_button, choosing, ~F.text.startswith("/"))

    router.callback_query.register(on_run_control, RunControl.filter())
    router.callback_query.register(on_change_requested, BroadcastChange.filter())
    router.callback_query.register(
        on_retraction_confirmed, ComposeChoice.filter(F.step == "retract")
    )
    return router
