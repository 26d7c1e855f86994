"""Drive the real dispatcher as a Telegram user would, without Telegram.

The console chat and the tests both use `LocalUser`: it builds the updates a phone would send
(text, button presses, a shared contact, a photo...), feeds them to the dispatcher built by
`create_dispatcher`, and returns what the bot sent back, as a person would see it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    InlineKeyboardMarkup,
    Location,
    Message,
    MessageOriginUser,
    PhotoSize,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Sticker,
    Update,
    User,
    Voice,
)

from bot.console.session import BOT_USER, LocalSession

# The console's person: the Telegram id to put in STAFF_IDS (or use `console --staff`).
CONSOLE_USER_ID = 1_000_001
# Someone else in the person's address book, for a contact card that is not their own.
OTHER_PERSON_ID = 1_000_002

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


@dataclass(frozen=True)
class InlineButton:
    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ReplyButton:
    text: str
    request_contact: bool = False
    request_location: bool = False


@dataclass
class BotReply:
    """One thing the bot did in the chat, as the person sees it."""

    method: TelegramMethod[Any]
    kind: str  # "message", "photo", "document", "edit", "delete", "alert", "toast"
    text: str = ""
    inline: list[list[InlineButton]] = field(default_factory=list)
    keyboard: list[list[ReplyButton]] | None = None
    removes_keyboard: bool = False
    message_id: int | None = None

    @property
    def buttons(self) -> list[str]:
        """Every button label of this reply, inline first, in reading order."""
        labels = [button.text for row in self.inline for button in row]
        labels += [button.text for row in self.keyboard or [] for button in row]
        return labels


def describe(method: TelegramMethod[Any]) -> BotReply | None:
    """Turn a recorded API call into what the chat shows; None for calls a person can't see."""
    if isinstance(method, SendMessage | SendPhoto | SendDocument):
        text = method.text if isinstance(method, SendMessage) else (method.caption or "")
        kind = {SendMessage: "message", SendPhoto: "photo", SendDocument: "document"}[type(method)]
        reply = BotReply(method=method, kind=kind, text=text)
        _attach_markup(reply, method.reply_markup)
        return reply
    if isinstance(method, EditMessageText):
        reply = BotReply(
            method=method, kind="edit", text=method.text or "", message_id=method.message_id
        )
        _attach_markup(reply, method.reply_markup)
        return reply
    if isinstance(method, EditMessageReplyMarkup):
        reply = BotReply(method=method, kind="edit", message_id=method.message_id)
        _attach_markup(reply, method.reply_markup)
        return reply
    if isinstance(method, DeleteMessage):
        return BotReply(method=method, kind="delete", message_id=method.message_id)
    if isinstance(method, AnswerCallbackQuery) and method.text:
        return BotReply(
            method=method, kind="alert" if method.show_alert else "toast", text=method.text
        )
    return None


def _attach_markup(reply: BotReply, markup: object) -> None:
    if isinstance(markup, InlineKeyboardMarkup):
        reply.inline = [
            [InlineButton(b.text, b.callback_data, b.url) for b in row]
            for row in markup.inline_keyboard
        ]
    elif isinstance(markup, ReplyKeyboardMarkup):
        reply.keyboard = [
            [ReplyButton(b.text, bool(b.request_contact), bool(b.request_location)) for b in row]
            for row in markup.keyboard
        ]
    elif isinstance(markup, ReplyKeyboardRemove):
        reply.removes_keyboard = True


class ButtonNotFound(LookupError):
    pass


class LocalUser:
    """A person in a private chat with the bot."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        user_id: int = CONSOLE_USER_ID,
        language_code: str | None = "ru",
        first_name: str = "Aigerim",
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.user = User(
            id=user_id, is_bot=False, first_name=first_name, language_code=language_code
        )
        self.chat = Chat(id=user_id, type="private")
        session = bot.session
        if not isinstance(session, LocalSession):
            raise TypeError("LocalUser needs a bot built on LocalSession")
        self.session = session
        # Inline keyboards of the messages of the latest exchange, newest first: a reply and,
        # say, an offer below it are both on the screen and both can be pressed.
        self.inline_keyboards: list[tuple[int | None, list[list[InlineButton]]]] = []
        self.keyboard: list[list[ReplyButton]] = []

    # What the person does -------------------------------------------------------------
    async def send(self, text: str) -> list[BotReply]:
        return await self._send_message(text=text)

    async def share_contact(self, phone: str, user_id: int | None = None) -> list[BotReply]:
        """Share a contact card; by default one's own (as the contact button sends it)."""
        owner = self.user.id if user_id is None else user_id
        name = self.user.first_name if owner == self.user.id else "Dana"
        contact = Contact(phone_number=phone, first_name=name, user_id=owner)
        return await self._send_message(contact=contact)

    async def send_location(self, latitude: float, longitude: float) -> list[BotReply]:
        return await self._send_message(location=Location(latitude=latitude, longitude=longitude))

    async def send_photo(self, caption: str | None = None) -> list[BotReply]:
        photo = [PhotoSize(file_id="photo-1", file_unique_id="p1", width=90, height=90)]
        return await self._send_message(photo=photo, caption=caption)

    async def send_sticker(self) -> list[BotReply]:
        sticker = Sticker(
            file_id="sticker-1",
            file_unique_id="s1",
            type="regular",
            width=512,
            height=512,
            is_animated=False,
            is_video=False,
        )
        return await self._send_message(sticker=sticker)

    async def send_voice(self) -> list[BotReply]:
        return await self._send_message(
            voice=Voice(file_id="voice-1", file_unique_id="v1", duration=3)
        )

    async def send_document(
        self, file_name: str, content: bytes, caption: str | None = None
    ) -> list[BotReply]:
        file_id = f"doc-{next(_message_ids)}"
        self.session.files[file_id] = content
        document = Document(
            file_id=file_id, file_unique_id=file_id, file_name=file_name, file_size=len(content)
        )
        return await self._send_message(document=document, caption=caption)

    async def edit(self, text: str) -> list[BotReply]:
        message = self._message(text=text, edit_date=int(datetime.now(UTC).timestamp()))
        return await self._feed(Update(update_id=next(_update_ids), edited_message=message))

    async def send_in_group(self, text: str, chat_id: int = -100_123) -> list[BotReply]:
        group = Chat(id=chat_id, type="supergroup", title="Village chat")
        message = Message(
            message_id=next(_message_ids),
            date=datetime.now(UTC),
            chat=group,
            from_user=self.user,
            text=text,
        )
        return await self._feed(Update(update_id=next(_update_ids), message=message))

    async def reply(
        self,
        message_id: int,
        text: str | None = None,
        *,
        photo: bool = False,
        forwarded: bool = False,
        chat_id: int | None = None,
    ) -> list[BotReply]:
        """Reply (Telegram's «Reply») to the message `message_id`: by default one the bot sent
        to this private chat; `forwarded`: a copy of a bot message the person forwarded here;
        `chat_id`: in a group (a staff group) instead. `photo`: a photo with `text` as caption."""
        chat = self.chat
        if chat_id is not None:
            chat = Chat(id=chat_id, type="supergroup", title="Staff")
        now = datetime.now(UTC)
        origin = MessageOriginUser(date=now, sender_user=BOT_USER)
        original = Message(
            message_id=message_id,
            date=now,
            chat=chat,
            from_user=self.user if forwarded else BOT_USER,
            text="…",
            forward_origin=origin if forwarded else None,
        )
        content: dict[str, Any] = {"text": text}
        if photo:
            size = PhotoSize(file_id="photo-1", file_unique_id="p1", width=90, height=90)
            content = {"photo": [size], "caption": text}
        message = Message(
            message_id=next(_message_ids),
            date=now,
            chat=chat,
            from_user=self.user,
            reply_to_message=original,
            **content,
        )
        return await self._feed(Update(update_id=next(_update_ids), message=message))

    async def click(self, label: str) -> list[BotReply]:
        """Press a button of the latest keyboards by its label (inline first)."""
        for message_id, rows in self.inline_keyboards:
            for row in rows:
                for button in row:
                    if button.text == label and button.callback_data is not None:
                        return await self.press_inline(button.callback_data, message_id)
        for keyboard_row in self.keyboard:
            for reply_button in keyboard_row:
                if reply_button.text == label:
                    if reply_button.request_contact:
                        return await self.share_contact("+77011234567")
                    return await self.send(label)
        raise ButtonNotFound(f"No button {label!r}; visible: {self.visible_buttons()}")

    async def press_inline(
        self, callback_data: str, message_id: int | None = None
    ) -> list[BotReply]:
        message = Message(
            message_id=message_id or next(_message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=BOT_USER,
            text="…",
        )
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance="local",
            message=message,
            data=callback_data,
        )
        return await self._feed(Update(update_id=next(_update_ids), callback_query=query))

    def latest_bot_message_id(self) -> int | None:
        """The id of the latest message the bot sent to this chat (for `reply`)."""
        for result in reversed(self.session.results):
            if isinstance(result, Message) and result.chat.id == self.chat.id:
                return result.message_id
        return None

    @property
    def last_inline(self) -> list[list[InlineButton]]:
        return self.inline_keyboards[0][1] if self.inline_keyboards else []

    @last_inline.setter
    def last_inline(self, rows: list[list[InlineButton]]) -> None:
        # Tests put back an old keyboard to press a stale button.
        self.inline_keyboards = [(None, rows)]

    def visible_buttons(self) -> list[str]:
        labels = [
            button.text for _, rows in self.inline_keyboards for row in rows for button in row
        ]
        return labels + [button.text for row in self.keyboard for button in row]

    # Plumbing ---------------------------------------------------------------------------
    def _message(self, **content: Any) -> Message:
        return Message(
            message_id=next(_message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **content,
        )

    async def _send_message(self, **content: Any) -> list[BotReply]:
        message = self._message(**content)
        return await self._feed(Update(update_id=next(_update_ids), message=message))

    async def _feed(self, update: Update) -> list[BotReply]:
        start = len(self.session.calls)
        await self.dispatcher.feed_update(self.bot, update)
        replies = []
        for method, result in zip(
            self.session.calls[start:], self.session.results[start:], strict=True
        ):
            reply = describe(method)
            if reply is None:
                continue
            if reply.message_id is None and isinstance(result, Message):
                reply.message_id = result.message_id
            replies.append(reply)
        self._remember_keyboards(replies)
        return replies

    def _remember_keyboards(self, replies: list[BotReply]) -> None:
        shown = [r for r in replies if r.kind in ("message", "photo", "document", "edit")]
        if shown:
            self.inline_keyboards = [
                (reply.message_id, reply.inline) for reply in reversed(shown) if reply.inline
            ]
        for reply in replies:
            if reply.keyboard is not None:
                self.keyboard = reply.keyboard
            if reply.removes_keyboard:
                self.keyboard = []
