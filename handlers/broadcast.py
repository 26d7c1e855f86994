"""/broadcast: compose an announcement in both languages, preview it, queue it; and the
progress buttons, /broadcasts (who sent what to whom, when) with correction and retraction."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _

from bot.db.broadcasts import BroadcastRecord, RunRecord
from bot.db.users import UserRecord
from bot.i18n import N_, current_locale, format_datetime, format_number
from bot.services.broadcasting import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    Action,
    Audience,
    Broadcaster,
    BroadcastService,
    ChangeRefusal,
    Draft,
    QueuedRun,
    new_draft_key,
    text_limit,
)
from bot.services.regions import RegionDirectory
from bot.services.staff import StaffRoles
from bot.services.subscriptions import Topic
from bot.states import BroadcastForm, CorrectionForm
from bot.telegram.filters import IsStaff
from bot.telegram.progress import RUN_STATUSES, TITLES
from bot.views.broadcast import (
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
from bot.views.common import main_menu
from bot.views.core import plain_excerpt

# How much of an announcement /broadcasts shows.
EXCERPT_LENGTH = 200
TOO_LATE = N_(
    "This broadcast can no longer be changed: Telegram allows it for 48 hours, "
    "and only after the sending has ended."
)
ALREADY_QUEUED = N_("This has already been queued: one press sends it once.")
NOT_A_COMMAND = F.text & ~F.text.startswith("/")


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
    limit = (await state.get_data()).get("text_limit", MESSAGE_LIMIT)
    if len(text) > limit:
        await message.answer(_too_long(limit))
        return
    await state.update_data(text_kk=text)
    correcting = await state.get_state() == CorrectionForm.text_kk.state
    await state.set_state(CorrectionForm.text_ru if correcting else BroadcastForm.text_ru)
    await message.answer(_("Now the same announcement in Russian."))


async def on_text_ru(message: Message, state: FSMContext) -> None:
    text = message.html_text
    limit = (await state.get_data()).get("text_limit", MESSAGE_LIMIT)
    if len(text) > limit:
        await message.answer(_too_long(limit))
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


async def _ask_topic(
    event: Message | CallbackQuery, state: FSMContext, question: str | None = None
) -> None:
    await state.set_state(BroadcastForm.topic)
    await _say(
        event,
        question or _("Who is it for? Choose the topic."),
        choice_keyboard("topic", topic_options()),
    )


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
    role = await staff_roles.role(callback.from_user.id)
    if role is not None and role.region_code is not None:
        # A regional staff member speaks to their region only.
        await state.update_data(region=role.region_code)
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
        # The texts stay: only the audience has to change.
        await _ask_topic(
            callback,
            state,
            _(
                "No subscriber matches this audience, so there is nobody to send it to. "
                "Your texts are kept: choose the topic again (and the region, if you may)."
            ),
        )
        return
    await state.update_data(draft_key=new_draft_key())
    await state.set_state(BroadcastForm.confirm)
    for code in ("kk", "ru"):
        if sizes.get(code):
            await _send_preview(callback.message, data, code)
    await callback.message.answer(
        _summary(audience, sizes, regions),
        reply_markup=choice_keyboard("confirm", [(_("✅ Send"), "1")]),
    )


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
        await callback.answer(_(ALREADY_QUEUED))
        return
    role = await staff_roles.role(callback.from_user.id)
    audience = _audience(data)
    if role is None or not role.reaches(audience.region_code):
        # The administrator limited this member to a region while they were composing.
        await callback.answer()
        await state.update_data(region=None)
        await _ask_topic(
            callback,
            state,
            _(
                "You may now send announcements to {region} only. Your texts are kept: "
                "choose the audience again."
            ).format(region=_region_name(role.region_code if role else None, regions)),
        )
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
    await _say(callback, _("Cancelled. Nothing was sent."), main_menu())


async def remind_to_press_a_button(message: Message) -> None:
    await message.answer(_("Please choose with the buttons above, or /cancel."))


# Progress buttons -----------------------------------------------------------------------
async def on_run_control(
    callback: CallbackQuery,
    callback_data: RunControl,
    broadcaster: Broadcaster,
    broadcasts: BroadcastService,
    staff_roles: StaffRoles,
) -> None:
    actions = {
        "pause": broadcaster.pause,
        "resume": broadcaster.resume,
        "cancel": broadcaster.cancel,
    }
    action = actions.get(callback_data.action)
    role = await staff_roles.role(callback.from_user.id)
    # Someone else's run gets the answer of a stale button: it tells nothing about the run.
    allowed = role is not None and await broadcasts.may_control(role, callback_data.run_id)
    if action is None or not allowed or not await action(callback_data.run_id):
        await callback.answer(_("This broadcast is no longer running."))
        return
    done = {"pause": _("Paused."), "resume": _("Resumed."), "cancel": _("Stopping…")}
    await callback.answer(done[callback_data.action])


# Audit, correction and retraction ---------------------------------------------------------
async def _own_region(user_id: int, staff_roles: StaffRoles) -> str | None:
    """The region a staff member is limited to; None for the whole country."""
    role = await staff_roles.role(user_id)
    return role.region_code if role is not None else None


async def cmd_broadcasts(
    message: Message,
    broadcasts: BroadcastService,
    regions: RegionDirectory,
    staff_roles: StaffRoles,
) -> None:
    assert message.from_user is not None
    region = await _own_region(message.from_user.id, staff_roles)
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
    staff_roles: StaffRoles,
) -> None:
    await callback.answer()
    region = await _own_region(callback.from_user.id, staff_roles)
    broadcast = await broadcasts.changeable(callback_data.broadcast_id, region)
    if broadcast is None:
        await _say(callback, _(TOO_LATE))
        return
    if callback_data.action == "edit":
        await state.clear()
        await state.set_state(CorrectionForm.text_kk)
        # With a photo or document the text is a caption: Telegram refuses more than 1024.
        await state.update_data(
            broadcast_id=callback_data.broadcast_id, text_limit=text_limit(broadcast.media_kind)
        )
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
        region_code=await _own_region(callback.from_user.id, staff_roles),
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
        await callback.answer(_(ALREADY_QUEUED))
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
        region_code=await _own_region(callback.from_user.id, staff_roles),
    )
    await _report_queued(callback, queued)


async def _preview_correction(message: Message, state: FSMContext) -> None:
    await state.update_data(draft_key=new_draft_key())
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


async def _report_queued(
    callback: CallbackQuery, queued: QueuedRun | ChangeRefusal | None
) -> None:
    if queued is None or queued is ChangeRefusal.ALREADY_QUEUED:
        text = _(ALREADY_QUEUED)
    elif queued is ChangeRefusal.CAPTION_TOO_LONG:
        text = _(
            "Nothing was changed: this broadcast has a photo or a document, and Telegram "
            "allows {limit} characters in its caption. Please shorten the text and correct "
            "it again."
        ).format(limit=format_number(CAPTION_LIMIT))
    elif isinstance(queued, ChangeRefusal):
        text = _(TOO_LATE)
    else:
        text = ngettext(
            "Queued for {count} recipient. Progress will appear here.",
            "Queued for {count} recipients. Progress will appear here.",
            queued.recipients,
        ).format(count=format_number(queued.recipients))
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
        if run.action == Action.DELETE:
            outcome = _(
                "{title}: {status}, deleted {delivered} of {total}, blocked {blocked}, "
                "failed {failed}"
            )
        else:
            outcome = _(
                "{title}: {status}, delivered {delivered} of {total}, blocked {blocked}, "
                "failed {failed}"
            )
        lines.append(
            outcome.format(
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
    # Cut on the visible text: a cut inside a tag makes Telegram refuse the whole message.
    lines.append(html.quote(plain_excerpt(snippet, EXCERPT_LENGTH)))
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
