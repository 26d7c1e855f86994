"""A fake Bot API that behaves like Telegram under load, for the tests and `bench/`.

`TelegramRules` enforces Telegram's limits (30 messages/s overall, 1/s per chat) with 429 and
`retry_after`, answers 403 for chats that blocked the bot, and fails a chosen fraction of
requests the ways Telegram does (no answer, 5xx, the front proxy's HTML page, or the worst:
the message went out and the answer was lost). `RulesSession` applies the rules inside the
process (with any clock, so tests can use virtual time); `serve_fake_bot_api` serves them over
HTTP on 127.0.0.1 for a real `AiohttpSession` via `TelegramAPIServer.from_base`.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import random
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiogram.exceptions import (
    ClientDecodeError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType

from bot.console.session import LocalSession

if TYPE_CHECKING:
    from aiogram import Bot
    from aiohttp import web

# How a request can go wrong besides the limits.
FAILURE_KINDS = ("timeout", "server_error", "html", "lost")
_COUNTED = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageCaption"}
)


@dataclass
class TelegramRules:
    clock: Callable[[], float]
    rate_per_second: int = 30
    per_chat_interval: float = 1.0
    blocked: set[int] = field(default_factory=set)
    failure_rate: float = 0.0
    failure_kinds: tuple[str, ...] = ("timeout", "server_error", "html")
    seed: int = 7
    # Seconds between Telegram carrying out a call and its answer arriving (HTTP server only).
    latency: float = 0.0
    # What reached each chat, in order: (api method, text or caption).
    received: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    answers: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._recent: deque[float] = deque()
        self._chat_last: dict[int, float] = {}

    def judge(self, api_method: str, chat_id: int | None) -> tuple[str, int]:
        """What Telegram would answer: ("ok"|"lost"|"429"|"403"|failure kind, retry_after)."""
        now = self.clock()
        if api_method not in _COUNTED and api_method != "deleteMessage":
            return "ok", 0
        # A send exactly one second ago no longer counts (1e-6: float noise of the clocks).
        while self._recent and self._recent[0] <= now - 1.0 + 1e-6:
            self._recent.popleft()
        if len(self._recent) >= self.rate_per_second:
            self.answers["429"] += 1
            return "429", max(1, math.ceil(self._recent[0] + 1.0 - now))
        if chat_id is not None:
            last = self._chat_last.get(chat_id)
            if last is not None and now - last < self.per_chat_interval - 1e-6:
                self.answers["429"] += 1
                return "429", max(1, math.ceil(last + self.per_chat_interval - now))
        if chat_id in self.blocked:
            self.answers["403"] += 1
            return "403", 0
        if self.failure_rate and self._random.random() < self.failure_rate:
            kind = self._random.choice(self.failure_kinds)
            self.answers[kind] += 1
            if kind != "lost":
                return kind, 0
            self._accept(now, chat_id)
            return "lost", 0
        self._accept(now, chat_id)
        self.answers["ok"] += 1
        return "ok", 0

    def _accept(self, now: float, chat_id: int | None) -> None:
        self._recent.append(now)
        if chat_id is not None:
            self._chat_last[chat_id] = now

    def record(self, chat_id: int, api_method: str, text: str) -> None:
        self.received[chat_id].append((api_method, text))

    def duplicates(self, api_method: str = "sendMessage") -> int:
        return sum(
            max(0, sum(1 for method, _ in calls if method == api_method) - 1)
            for calls in self.received.values()
        )


def _chat_of(method: TelegramMethod[Any]) -> int | None:
    chat_id = getattr(method, "chat_id", None)
    return int(chat_id) if isinstance(chat_id, int | str) else None


def _text_of(method: TelegramMethod[Any]) -> str:
    return str(getattr(method, "text", None) or getattr(method, "caption", None) or "")


class RulesSession(LocalSession):
    """LocalSession under Telegram's rules: limits, blocked chats and flaky answers."""

    def __init__(self, rules: TelegramRules) -> None:
        super().__init__()
        self.rules = rules
        self._freeze_after: int | None = None
        self._freeze_delivers = False
        self.frozen = 0

    def freeze_after(self, sends: int, delivered: bool) -> None:
        """Simulate the bot process dying mid-send: after `sends` accepted messages, calls
        never return (having reached the user when `delivered`)."""
        self._freeze_after = sends
        self._freeze_delivers = delivered

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,
    ) -> TelegramType:
        api_method = method.__api_method__
        chat_id = _chat_of(method)
        if self._freeze_after is not None and api_method in _COUNTED:
            if self._freeze_after <= 0:
                self.frozen += 1
                if self._freeze_delivers and chat_id is not None:
                    self.rules.record(chat_id, api_method, _text_of(method))
                await asyncio.Event().wait()
            self._freeze_after -= 1
        verdict, retry_after = self.rules.judge(api_method, chat_id)
        if verdict == "429":
            raise TelegramRetryAfter(
                method=method,
                message=f"Too Many Requests: retry after {retry_after}",
                retry_after=retry_after,
            )
        if verdict == "403":
            raise TelegramForbiddenError(
                method=method, message="Forbidden: bot was blocked by the user"
            )
        if verdict == "timeout":
            raise TelegramNetworkError(method=method, message="Request timeout error")
        if verdict == "server_error":
            raise TelegramServerError(method=method, message="Internal Server Error")
        if verdict == "html":
            raise ClientDecodeError("Failed to decode object", ValueError("html"), "<html>")
        result = await super().make_request(bot, method, timeout)
        if chat_id is not None:
            self.rules.record(chat_id, api_method, _text_of(method))
        if verdict == "lost":
            raise TelegramNetworkError(method=method, message="Request timeout error")
        return result


def create_fake_bot_api(rules: TelegramRules) -> web.Application:
    """An aiohttp app answering `/bot<token>/<method>` under `rules`."""
    from aiohttp import web

    message_ids = itertools.count(1)

    async def handle(request: web.Request) -> web.StreamResponse:
        api_method = request.match_info["method"]
        form: dict[str, Any] = dict(await request.post())
        chat_id = int(form["chat_id"]) if "chat_id" in form else None
        verdict, retry_after = rules.judge(api_method, chat_id)
        if verdict == "429":
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                },
                status=429,
            )
        if verdict == "403":
            return web.json_response(
                {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"},
                status=403,
            )
        if verdict == "server_error":
            return web.json_response(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"},
                status=500,
            )
        # Over HTTP a lost answer looks like the proxy's gateway-timeout page.
        if verdict in ("html", "timeout"):
            return _proxy_page()
        if chat_id is not None and api_method in _COUNTED:
            rules.record(chat_id, api_method, str(form.get("text") or form.get("caption") or ""))
        if rules.latency:
            await asyncio.sleep(rules.latency)
        if verdict == "lost":
            return _proxy_page()
        return web.json_response({"ok": True, "result": _result(api_method, chat_id, message_ids)})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", handle)
    return app


def _proxy_page() -> web.Response:
    from aiohttp import web

    return web.Response(
        text="<html><body><h1>504 Gateway Time-out</h1></body></html>",
        status=504,
        content_type="text/html",
    )


def _result(api_method: str, chat_id: int | None, ids: itertools.count[int]) -> Any:
    if api_method == "getMe":
        return {"id": 42, "is_bot": True, "first_name": "Fake"}
    if api_method in _COUNTED:
        return {
            "message_id": next(ids),
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": chat_id, "type": "private"},
            "text": "ok",
        }
    return True
