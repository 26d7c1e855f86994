"""A Bot API session that never touches the network: it records every call and answers it.

The console chat prints what it records; the tests assert on it. It can be told to fail the next
call the way Telegram does (429 with retry_after, 403 blocked, a timeout), so the bot's handling
of those is exercised through the real aiogram stack.
"""

from __future__ import annotations

import itertools
import types
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

from aiogram.client.session.base import BaseSession
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import CreateForumTopic, GetFile, GetMe, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import (
    Chat,
    File,
    ForumTopic,
    InlineKeyboardMarkup,
    Message,
    MessageId,
    User,
)

if TYPE_CHECKING:
    from aiogram import Bot

BOT_USER = User(id=42, is_bot=True, first_name="Densaulyq", username="densaulyq_test_bot")


@dataclass(frozen=True, slots=True)
class Failure:
    # "retry_after", "forbidden", "timeout", "bad_request", "server_error", "html" (a proxy's
    # error page instead of JSON) or "lost" (carried out, but the answer never came back)
    kind: str
    retry_after: int = 1
    message: str = ""  # Telegram's description, for "bad_request"
    method: str | None = None  # only a call of this API method fails, e.g. "EditMessageText"


class LocalSession(BaseSession):
    """Records calls in `calls`; `fail_next(...)` makes the next call(s) fail like Telegram."""

    def __init__(self, listener: Callable[[TelegramMethod[Any]], None] | None = None) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.results: list[Any] = []
        self.files: dict[str, bytes] = {}
        self._listener = listener
        self._failures: list[Failure] = []
        self._message_ids = itertools.count(1000)

    def fail_next(
        self,
        kind: str,
        times: int = 1,
        retry_after: int = 1,
        message: str = "",
        method: str | None = None,
    ) -> None:
        """Fail the next call(s); with `method`, the next call(s) of that API method only."""
        self._failures.extend(Failure(kind, retry_after, message, method) for _ in range(times))

    async def close(self) -> None:
        return None

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,
    ) -> TelegramType:
        failure = await self.refusal(method)
        if failure is None or failure.kind == "lost":
            failure = self._scripted_failure(type(method).__name__) or failure
        if failure is not None and failure.kind != "lost":
            self._raise(failure, method)
        result = self._result_for(bot, method)
        self.calls.append(method)
        self.results.append(result)
        if self._listener is not None:
            self._listener(method)
        if failure is not None:  # "lost": carried out, but the answer never came back
            self._raise(Failure("timeout"), method)
        return result

    async def refusal(self, method: TelegramMethod[Any]) -> Failure | None:
        """How Telegram refuses this call besides the scripted failures: never, here (the tests'
        RulesSession applies Telegram's limits)."""
        return None

    def _scripted_failure(self, name: str) -> Failure | None:
        for index, failure in enumerate(self._failures):
            if failure.method in (None, name):
                return self._failures.pop(index)
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        for file_id, content in self.files.items():
            if url.endswith("/" + file_id):
                for start in range(0, len(content), chunk_size):
                    yield content[start : start + chunk_size]
                return
        raise TelegramNetworkError(method=GetFile(file_id=url), message="File not found")

    @staticmethod
    def _raise(failure: Failure, method: TelegramMethod[Any]) -> None:
        if failure.kind == "retry_after":
            raise TelegramRetryAfter(
                method=method,
                message=f"Too Many Requests: retry after {failure.retry_after}",
                retry_after=failure.retry_after,
            )
        if failure.kind == "bad_request":
            raise TelegramBadRequest(method=method, message=f"Bad Request: {failure.message}")
        if failure.kind == "server_error":
            raise TelegramServerError(method=method, message="Internal Server Error")
        if failure.kind == "html":
            raise ClientDecodeError("Failed to decode object", ValueError("html"), "<html>")
        if failure.kind == "forbidden":
            raise TelegramForbiddenError(
                method=method, message="Forbidden: bot was blocked by the user"
            )
        raise TelegramNetworkError(method=method, message="Request timeout error")

    def _result_for(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, CreateForumTopic):
            # A topic's id is the id of its first (service) message.
            return ForumTopic(
                message_thread_id=next(self._message_ids), name=method.name, icon_color=0x6FB9F0
            )
        if isinstance(method, GetFile):
            return File(
                file_id=method.file_id, file_unique_id=method.file_id, file_path=method.file_id
            )
        returning = method.__returning__
        options = (
            get_args(returning)
            if get_origin(returning) in (Union, types.UnionType)
            else (returning,)
        )
        if Message in options:
            return self._message(bot, method)
        if MessageId in options:
            return MessageId(message_id=next(self._message_ids))
        if bool in options:
            return True
        if get_origin(returning) is list:
            return []
        raise NotImplementedError(f"LocalSession cannot answer {type(method).__name__}")

    def _message(self, bot: Bot, method: TelegramMethod[Any]) -> Message:
        chat_id = getattr(method, "chat_id", None)
        markup = getattr(method, "reply_markup", None)
        message_id = getattr(method, "message_id", None) or next(self._message_ids)
        return Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=Chat(id=int(chat_id) if isinstance(chat_id, int | str) else 0, type="private"),
            from_user=BOT_USER,
            text=getattr(method, "text", None),
            caption=getattr(method, "caption", None),
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
        ).as_(bot)
