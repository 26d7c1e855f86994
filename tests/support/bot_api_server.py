"""A tiny Bot API server on 127.0.0.1 for tests that run the bot as a real process."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 42


@dataclass
class FakeBotApi:
    """Serves getUpdates from a queue and records every other call."""

    pending_updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # Failures to serve before answering normally: (method, chat_id or None for any, kind).
    failures: list[tuple[str, int | None, str]] = field(default_factory=list)
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    port: int = 0

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            loaded: dict[str, Any] = await request.json()
            return loaded
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            text = value if isinstance(value, str) else ""
            try:
                params[key] = json.loads(text)
            except ValueError:
                params[key] = text
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if method == "getUpdates":
            return await self._get_updates(params)
        failure = self._failure_for(method, params)
        if failure == "html_502":
            # What a reverse proxy answers when Telegram (or the local server) is down.
            return web.Response(
                status=502,
                text="<html><head><title>502 Bad Gateway</title></head></html>",
                content_type="text/html",
            )
        if failure == "500":
            return web.json_response(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"},
                status=500,
            )
        self.calls.append((method, params))
        return web.json_response({"ok": True, "result": self._result(method, params)})

    def fail(self, method: str, kind: str, chat_id: int | None = None, times: int = 1) -> None:
        """Answer the next call(s) of `method` (to `chat_id`) with "500" or "html_502"."""
        self.failures.extend((method, chat_id, kind) for _ in range(times))

    def _failure_for(self, method: str, params: dict[str, Any]) -> str | None:
        for index, (failing, chat_id, kind) in enumerate(self.failures):
            if failing == method and chat_id in (None, _int_or_none(params.get("chat_id"))):
                del self.failures[index]
                return kind
        return None

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            ready = [u for u in self.pending_updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return web.json_response({"ok": True, "result": ready})
            await asyncio.sleep(0.05)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Densaulyq",
                "username": "densaulyq_test_bot",
            }
        if method in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
            return {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
                "text": params.get("text") or params.get("caption") or "",
            }
        return True


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def text_update(
    update_id: int, user_id: int, text: str, language_code: str = "ru"
) -> dict[str, Any]:
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
