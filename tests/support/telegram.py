"""A fake Bot API that behaves like Telegram under load, for the tests and `bench/`.

`TelegramRules` enforces Telegram's limits (30 messages/s overall, 1/s per chat) with 429 and
`retry_after`, answers 403 for chats that blocked the bot, and fails a chosen fraction of
requests the ways Telegram does (no answer, 5xx, the front proxy's HTML page, or the worst:
the message went out and the answer was lost). `RulesSession` applies the rules inside the
process (with any clock, so tests can use virtual time); `FakeBotApi` serves them over HTTP on
127.0.0.1, for a real `AiohttpSession` via `TelegramAPIServer.from_base` or for the bot run as a
process (it also serves `getUpdates`), and can be told to fail chosen calls.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import random
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiogram.methods import TelegramMethod
from aiohttp import web

from bot.console.session import Failure, LocalSession

if TYPE_CHECKING:
    pass

BOT_ID = 42
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
    # The 429s each chat's calls met.
    throttled_chats: Counter[int | None] = field(default_factory=Counter)

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
            self.throttled_chats[chat_id] += 1
            return "429", max(1, math.ceil(self._recent[0] + 1.0 - now))
        if chat_id is not None:
            last = self._chat_last.get(chat_id)
            if last is not None and now - last < self.per_chat_interval - 1e-6:
                self.answers["429"] += 1
                self.throttled_chats[chat_id] += 1
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


# The LocalSession failure kind of each verdict named otherwise.
_FAILURE_OF_VERDICT = {"429": "retry_after", "403": "forbidden"}


def _chat_of(method: TelegramMethod[Any]) -> int | None:
    chat_id = getattr(method, "chat_id", None)
    return int(chat_id) if isinstance(chat_id, int | str) else None


def _text_of(method: TelegramMethod[Any]) -> str:
    return str(getattr(method, "text", None) or getattr(method, "caption", None) or "")


class RulesSession(LocalSession):
    """LocalSession under Telegram's rules: limits, blocked chats and flaky answers."""

    def __init__(self, rules: TelegramRules) -> None:
        super().__init__(listener=self._record)
        self.rules = rules
        self._freeze_after: int | None = None
        self._freeze_delivers = False
        self.frozen = 0

    def freeze_after(self, sends: int, delivered: bool) -> None:
        """Simulate the bot process dying mid-send: after `sends` accepted messages, calls
        never return (having reached the user when `delivered`)."""
        self._freeze_after = sends
        self._freeze_delivers = delivered

    async def refusal(self, method: TelegramMethod[Any]) -> Failure | None:
        api_method = method.__api_method__
        if self._freeze_after is not None and api_method in _COUNTED:
            if self._freeze_after <= 0:
                self.frozen += 1
                if self._freeze_delivers:
                    self._record(method)
                await asyncio.Event().wait()
            self._freeze_after -= 1
        verdict, retry_after = self.rules.judge(api_method, _chat_of(method))
        if verdict == "ok":
            return None
        return Failure(_FAILURE_OF_VERDICT.get(verdict, verdict), retry_after=retry_after)

    def _record(self, method: TelegramMethod[Any]) -> None:
        chat_id = _chat_of(method)
        if chat_id is not None:
            self.rules.record(chat_id, method.__api_method__, _text_of(method))


# What a reverse proxy in front of the Bot API answers when it gets no answer itself.
_PROXY_PAGES = {
    "html": (502, "<html><head><title>502 Bad Gateway</title></head></html>"),
    "timeout": (504, "<html><body><h1>504 Gateway Time-out</h1></body></html>"),
    "lost": (504, "<html><body><h1>504 Gateway Time-out</h1></body></html>"),
}


@dataclass
class FakeBotApi:
    """The Bot API over HTTP on 127.0.0.1, for a real `AiohttpSession` or a bot process.

    Answers under `rules` (Telegram's limits, blocked chats, random failures), serves
    `getUpdates` from `pending_updates`, fails the calls scripted with `fail`, and records
    every call carried out in `calls` (method, parameters).
    """

    rules: TelegramRules = field(default_factory=lambda: TelegramRules(clock=time.monotonic))
    pending_updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # Failures to serve before answering normally: (method, chat_id or None for any, kind).
    failures: list[tuple[str, int | None, str]] = field(default_factory=list)
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> str:
        """Serve on a free port of 127.0.0.1; returns the base URL."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    def fail(self, method: str, kind: str, chat_id: int | None = None, times: int = 1) -> None:
        """Answer the next call(s) of `method` (to `chat_id`) with a failure of FAILURE_KINDS."""
        assert kind in FAILURE_KINDS, kind
        self.failures.extend((method, chat_id, kind) for _ in range(times))

    def _scripted_failure(self, method: str, chat_id: int | None) -> str | None:
        for index, (failing, failing_chat, kind) in enumerate(self.failures):
            if failing == method and failing_chat in (None, chat_id):
                del self.failures[index]
                return kind
        return None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        api_method = request.match_info["method"]
        raw, params = await _parameters(request)
        if api_method == "getUpdates":
            return await self._get_updates(params)
        chat_id = _int_or_none(params.get("chat_id"))
        verdict = self._scripted_failure(api_method, chat_id)
        retry_after = 0
        if verdict is None:
            verdict, retry_after = self.rules.judge(api_method, chat_id)
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
        if verdict in ("html", "timeout"):
            return _proxy_page(verdict)
        # Carried out ("ok", or "lost": done, but the answer never comes back).
        self.calls.append((api_method, params))
        if chat_id is not None and api_method in _COUNTED:
            self.rules.record(chat_id, api_method, raw.get("text") or raw.get("caption") or "")
        if self.rules.latency:
            await asyncio.sleep(self.rules.latency)
        if verdict == "lost":
            return _proxy_page(verdict)
        return web.json_response({"ok": True, "result": self._result(api_method, params)})

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            ready = [u for u in self.pending_updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return web.json_response({"ok": True, "result": ready})
            await asyncio.sleep(0.05)

    def _result(self, api_method: str, params: dict[str, Any]) -> Any:
        if api_method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Densaulyq",
                "username": "densaulyq_test_bot",
            }
        if api_method in _COUNTED:
            return {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": _int_or_none(params.get("chat_id")), "type": "private"},
                "text": str(params.get("text") or params.get("caption") or ""),
            }
        return True


async def _parameters(request: web.Request) -> tuple[dict[str, str], dict[str, Any]]:
    """The call's parameters as sent (strings) and decoded (JSON values where they are JSON)."""
    if request.content_type == "application/json":
        loaded: dict[str, Any] = await request.json()
        return {key: str(value) for key, value in loaded.items()}, loaded
    form = await request.post()
    raw = {key: value for key, value in form.items() if isinstance(value, str)}
    params: dict[str, Any] = {}
    for key, text in raw.items():
        try:
            params[key] = json.loads(text)
        except ValueError:
            params[key] = text
    return raw, params


def _proxy_page(verdict: str) -> web.Response:
    status, page = _PROXY_PAGES[verdict]
    return web.Response(text=page, status=status, content_type="text/html")


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def text_update(
    update_id: int, user_id: int, text: str, language_code: str = "ru"
) -> dict[str, Any]:
    """A `getUpdates` entry: `user_id` writes `text` to the bot in a private chat."""
    user = {
        "id": user_id,
        "is_bot": False,
        "first_name": "Aigerim",
        "language_code": language_code,
    }
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "text": text,
            "chat": {"id": user_id, "type": "private"},
            "from": user,
            **(
                {"entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}
                if text.startswith("/")
                else {}
            ),
        },
    }
