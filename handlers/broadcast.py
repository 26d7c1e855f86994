"""/broadcast: compose an announcement in both languages, preview it, queue it; and the
progress buttons, /broadcasts (who sent what to whom, when) with correction and retraction."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.announcements import (
    ALL_REGIONS,
    LANGUAGE_AUDIENCE,
    TOPIC_NAMES,
    BroadcastChange,
    ComposeChoice,
    RunControl,
    change_keyboard,
    choice_keyboard,
    language_options,
    region_options,
    topic_options,
)
from bot.broadcast_reports import RUN_STATUSES, TITLES
from bot.db.broadcasts import BroadcastRecord, RunRecord
from bot.db.staff import StaffRepository
from bot.db.users import UserRecord
from bot.filters import IsStaff
from bot.i18n import current_locale, format_datetime, format_number
from bot.keyboards import main_menu
from bot.services.broadcasting import Action, Audience, Broadcaster, BroadcastService, Draft
from bot.services.regions import RegionDirectory
from bot.services.subscriptions import Topic

# Telegram's limits: a message holds 4096 characters, a photo's or document's caption 1024.
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
NOT_A_COMMAND = F.text & ~F.text.startswith("/")


class BroadcastForm(StatesGroup):
    text_kk = State()
    text_ru = State()
    text_all = State()
    media = State()
    topic = State()
    region = State()
    language = State()
    confirm = State()


class CorrectionForm(StatesGroup):
    text_kk = State()
    text_ru = State()
    text_all = State()
    confirm = State()


class OwnLanguageMiddleware(BaseMiddleware):
    """Staff type announcements in both languages: answer them in the language they chose,
    not in the language of the text they just typed."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        record: UserRecord | None = data.get("user_record")
        i18n: I18n | None = data.get("i18n")
        if record is None or i18n is None or record.language not in i18n.available_locales:
            return await handler(event, data)
        with i18n.use_locale(record.language):
            return await handler(event, data)


# Composing --------------------------------------------------------------------------------
async def cmd_broadcast(message: Message, state: FSMContext) -> None:
    await state.clear()
    await state.set_state(BroadcastForm.text_kk)
    await message.answer(
        _(
            "New announcement. Send its text in Kazakh.\n"
            "To send one text to everyone, press «Same text for all». /cancel stops at any step."
        ),
        reply_markup=choice_keyboard("same", [(_("Same text for all"), "1")]),
    )


async def on_same_text_chosen(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    current = await state.get_state()
    await state.set_state(
        CorrectionForm.text_all
        if current == CorrectionForm.text_kk.state
        else BroadcastForm.text_all
    )
    await _say(callback, _("Send the text that everyone will receive."))


async def on_text_kk(message: Message, state: FSMContext) -> None:
    text = message.html_text
    if len(text) > MESSAGE_LIMIT:
        await message.answer(_too_long(MESSAGE_LIMIT))
        return
    await state.update_data(text_kk=text)
    correcting = await state.get_state() == CorrectionForm.text_kk.state
    await state.set_state(CorrectionForm.text_ru if correcting else BroadcastForm.text_ru)
    await message.answer(_("Now the same announcement in Russian."))


async def on_text_ru(message: Message, state: FSMContext) -> None:
    text = message.html_text
    if len(text) > MESSAGE_LIMIT:
        await message.answer(_too_long(MESSAGE_LIMIT))
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
    await message.answer(
        _("Attach a photo or a document, or press «No attachment»."),
        reply_markup=choice_keyboard("skip_media", [(_("No attachment"), "1")]),
    )


async def reject_non_text(message: Message) -> None:
    await message.answer(_("Please send the text as a message, or /cancel."))


async def on_media(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    if max(len(data["text_kk"]), len(data["text_ru"])) > CAPTION_LIMIT:
        await message.answer(_too_long(CAPTION_LIMIT))
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
    await message.answer(
        _("Send a photo or a document, press «No attachment», or /cancel."),
        reply_markup=choice_keyboard("skip_media", [(_("No attachment"), "1")]),
    )


async def _ask_topic(event: Message | CallbackQuery, state: FSMContext) -> None:
    await state.set_state(BroadcastForm.topic)
    await _say(
        event, _("Who is it for? Choose the topic."), choice_keyboard("topic", topic_options())
    )


async def on_topic_chosen(
    callback: CallbackQuery,
    callback_data: ComposeChoice,
    state: FSMContext,
    staff_members: StaffRepository,
    regions: RegionDirectory,
) -> None:
    await callback.answer()
    if callback_data.value not in {topic.value for topic in Topic}:
        return
    await state.update_data(topic=callback_data.value)
    member = await staff_members.get(callback.from_user.id)
    if member is not None and member.region_code:
        # A regional staff member speaks to their region only.
        await state.update_data(region=member.region_code)
        await _ask_language(callback, state)
        return
    await state.set_state(BroadcastForm.region)
    options = region_options(regions.all(), current_locale())
    await _say(callback, _("Which region?"), choice_keyboard("region", options, columns=2))


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
    await _say(
        callback, _("Which language's speakers?"), choice_keyboard("language", language_options())
    )


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
        await state.clear()
        await callback.message.answer(
            _("No subscriber matches this audience, so there is nobody to send it to."),
            reply_markup=main_menu(),
        )
        return
    await state.set_state(BroadcastForm.confirm)
    for code in ("kk", "ru"):
        if sizes.get(code):
            await _send_preview(callback.message, data, code)
    await callback.message.answer(
        _summary(audience, sizes, regions),
        reply_markup=choice_keyboard("confirm", [(_("✅ Send"), "1")]),
    )


async def on_confirmed(
    callback: CallbackQuery, state: FSMContext, broadcasts: BroadcastService
) -> None:
    await callback.answer()
    data = await state.get_data()
    await state.clear()
    if callback.message is None:
        return
    draft = Draft(
        author_id=callback.from_user.id,
        text_kk=data["text_kk"],
        text_ru=data["text_ru"],
        audience=_audience(data),
        media_kind=data.get("media_kind"),
        media_file_id=data.get("media_file_id"),
    )
    queued = await broadcasts.enqueue(draft, report_chat_id=callback.message.chat.id)
    await callback.message.answer(
        _("Queued for {count} recipients. Progress will appear here.").format(
            count=format_number(queued.recipients)
        ),
        reply_markup=main_menu(),
    )


async def on_compose_cancelled(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await callback.answer()
    await _say(callback, _("Cancelled. Nothing was sent."), main_menu())


async def remind_to_press_a_button(message: Message) -> None:
    await message.answer(_("Please choose with the buttons above, or /cancel."))


# Progress buttons -----------------------------------------------------------------------
async def on_run_control(
    callback: CallbackQuery, callback_data: RunControl, broadcaster: Broadcaster
) -> None:
    actions = {
        "pause": broadcaster.pause,
        "resume": broadcaster.resume,
        "cancel": broadcaster.cancel,
    }
    action = actions.get(callback_data.action)
    if action is None or not await action(callback_data.run_id):
        await callback.answer(_("This broadcast is no longer running."))
        return
    done = {"pause": _("Paused."), "resume": _("Resumed."), "cancel": _("Stopping…")}
    await callback.answer(done[callback_data.action])


# Audit, correction and retraction ---------------------------------------------------------
async def _own_region(user_id: int, staff_members: StaffRepository) -> str | None:
    """The region a staff member is limited to; None for administrators and unlimited staff."""
    member = await staff_members.get(user_id)
    return member.region_code if member is not None else None


async def cmd_broadcasts(
    message: Message,
    broadcasts: BroadcastService,
    regions: RegionDirectory,
    staff_members: StaffRepository,
) -> None:
    assert message.from_user is not None
    region = await _own_region(message.from_user.id, staff_members)
    history = await broadcasts.recent(region_code=region)
    if not history:
        await message.answer(_("No broadcasts yet."))
        return
    for broadcast, runs in history:
        markup = None
        if await broadcasts.changeable(broadcast.id, region) is not None:
            markup = change_keyboard(broadcast.id)
        await message.answer(_history_entry(broadcast, runs, regions), reply_markup=markup)


async def on_change_requested(
    callback: CallbackQuery,
    callback_data: BroadcastChange,
    state: FSMContext,
    broadcasts: BroadcastService,
    staff_members: StaffRepository,
) -> None:
    await callback.answer()
    region = await _own_region(callback.from_user.id, staff_members)
    if await broadcasts.changeable(callback_data.broadcast_id, region) is None:
        await _say(
            callback,
            _(
                "This broadcast can no longer be changed: Telegram allows it for 48 hours, "
                "and only after the sending has ended."
            ),
        )
        return
    if callback_data.action == "edit":
        await state.clear()
        await state.set_state(CorrectionForm.text_kk)
        await state.update_data(broadcast_id=callback_data.broadcast_id)
        await _say(
            callback,
            _("Send the corrected text in Kazakh, or press «Same text for all»."),
            choice_keyboard("same", [(_("Same text for all"), "1")]),
        )
    elif callback_data.action == "delete":
        builder_markup = choice_keyboard(
            "retract", [(_("🗑 Yes, delete it everywhere"), str(callback_data.broadcast_id))]
        )
        await _say(
            callback,
            _("Delete broadcast #{id} from every chat it reached?").format(
                id=callback_data.broadcast_id
            ),
            builder_markup,
        )


async def on_retraction_confirmed(
    callback: CallbackQuery,
    callback_data: ComposeChoice,
    broadcasts: BroadcastService,
    staff_members: StaffRepository,
) -> None:
    await callback.answer()
    if not callback_data.value.isdigit() or callback.message is None:
        return
    queued = await broadcasts.enqueue_change(
        int(callback_data.value),
        Action.DELETE,
        requested_by=callback.from_user.id,
        report_chat_id=callback.message.chat.id,
        region_code=await _own_region(callback.from_user.id, staff_members),
    )
    await _report_change_queued(callback, queued.recipients if queued else None)


async def on_correction_confirmed(
    callback: CallbackQuery,
    state: FSMContext,
    broadcasts: BroadcastService,
    staff_members: StaffRepository,
) -> None:
    await callback.answer()
    data = await state.get_data()
    await state.clear()
    if callback.message is None or "broadcast_id" not in data:
        return
    queued = await broadcasts.enqueue_change(
        data["broadcast_id"],
        Action.EDIT,
        requested_by=callback.from_user.id,
        report_chat_id=callback.message.chat.id,
        text_kk=data["text_kk"],
        text_ru=data["text_ru"],
        region_code=await _own_region(callback.from_user.id, staff_members),
    )
    await _report_change_queued(callback, queued.recipients if queued else None)


async def _preview_correction(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    await state.set_state(CorrectionForm.confirm)
    for code in ("kk", "ru"):
        await message.answer(_preview_title(code) + "\n\n" + data[f"text_{code}"])
    await message.answer(
        _("Replace the text of broadcast #{id} in every chat it reached?").format(
            id=data["broadcast_id"]
        ),
        reply_markup=choice_keyboard("confirm", [(_("✅ Send"), "1")]),
    )


async def _report_change_queued(callback: CallbackQuery, recipients: int | None) -> None:
    if recipients is None:
        text = _(
            "This broadcast can no longer be changed: Telegram allows it for 48 hours, "
            "and only after the sending has ended."
        )
    else:
        text = _("Queued for {count} recipients. Progress will appear here.").format(
            count=format_number(recipients)
        )
    await _say(callback, text, main_menu())


# Rendering ----------------------------------------------------------------------------------
def _audience(data: dict[str, Any]) -> Audience:
    return Audience(
        topic=Topic(data["topic"]), region_code=data.get("region"), language=data.get("language")
    )


def _too_long(limit: int) -> str:
    return _(
        "This is too long: Telegram allows {limit} characters here. Please shorten it."
    ).format(limit=format_number(limit))


def _preview_title(code: str) -> str:
    if code == "kk":
        return _("👁 Kazakh speakers will see:")
    return _("👁 Russian speakers will see:")


async def _send_preview(message: Message, data: dict[str, Any], code: str) -> None:
    """Exactly what that language's recipients will receive, after a one-line title."""
    await message.answer(_preview_title(code))
    text = data[f"text_{code}"]
    if data.get("media_kind") == "photo":
        await message.answer_photo(data["media_file_id"], caption=text)
    elif data.get("media_kind") == "document":
        await message.answer_document(data["media_file_id"], caption=text)
    else:
        await message.answer(text)


def _region_name(code: str | None, regions: RegionDirectory) -> str:
    region = regions.get(code) if code else None
    return region.name(current_locale()) if region else _("all regions")


def _summary(audience: Audience, sizes: dict[str, int], regions: RegionDirectory) -> str:
    return _(
        "Topic: {topic}\nRegion: {region}\nRecipients: {total} ({kk} in Kazakh, {ru} in Russian)"
        "\n\nSend it?"
    ).format(
        topic=_(TOPIC_NAMES[audience.topic]),
        region=_region_name(audience.region_code, regions),
        total=format_number(sum(sizes.values())),
        kk=format_number(sizes.get("kk", 0)),
        ru=format_number(sizes.get("ru", 0)),
    )


def _history_entry(
    broadcast: BroadcastRecord, runs: list[RunRecord], regions: RegionDirectory
) -> str:
    audience_language = LANGUAGE_AUDIENCE[broadcast.language or "all"]
    language = _(audience_language)
    lines = [
        _("<b>#{id}</b> · {date} · by <code>{author}</code>").format(
            id=broadcast.id, date=format_datetime(broadcast.created_at), author=broadcast.author_id
        ),
        f"{_(TOPIC_NAMES[Topic(broadcast.topic)])} · "
        f"{_region_name(broadcast.region_code, regions)} · {language}",
    ]
    for run in runs:
        title = _(TITLES[run.action]).format(id=broadcast.id)
        lines.append(
            _(
                "{title}: {status}, delivered {delivered} of {total}, blocked {blocked}, "
                "failed {failed}"
            ).format(
                title=title,
                status=_(RUN_STATUSES.get(run.status, run.status)),
                delivered=format_number(run.delivered),
                total=format_number(run.recipients),
                blocked=format_number(run.blocked),
                failed=format_number(run.failed),
            )
        )
    snippet = broadcast.text_ru if current_locale() == "ru" else broadcast.text_kk
    lines.append("")
    lines.append(snippet[:200])
    return "\n".join(lines)


async def _say(event: Message | CallbackQuery, text: str, markup: Any = None) -> None:
    message = event if isinstance(event, Message) else event.message
    if isinstance(message, Message):
        await message.answer(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name="broadcast")
    router.message.filter(IsStaff())
    router.callback_query.filter(IsStaff())
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
