"""A chat with the bot in the terminal, over the very same dispatcher as production."""

from __future__ import annotations

import asyncio
import html
import re
import shlex
import sys
from pathlib import Path
from typing import Any, TextIO

from aiogram.methods import TelegramMethod

from bot.app import build_app
from bot.config import Settings
from bot.console.demo import DEMO_QUEUE_FILE, load_demo_queue
from bot.console.session import LocalSession
from bot.console.user import OTHER_PERSON_ID, BotReply, LocalUser, describe

HELP = """Console chat with the bot (no Telegram token set).
You are Telegram user {user_id}{staff}.
Type a message and press Enter. Buttons are numbered: type the number or the label to press one.
Special lines:
  /contact +77011234567          share your own phone number (as the contact button does)
  /contact +77021112233 other    share someone else's contact card
  /location 43.25 76.95          send a location
  /photo  /sticker  /voice       send that kind of message
  /document PATH [caption]       send a file with an optional caption, e.g.
                                 /document data/examples/ivf_queue_demo.csv Kyzylorda
  /reply text                    reply (Telegram's «Reply») to the bot's latest message, e.g.
                                 as staff (--staff) to a «🙋 Ask a person» question
  /quit                          leave (Ctrl-D works too)
"""
STAFF_NOTE = ", an administrator for this run (--staff): /broadcast, /stats, CSV uploads"
DEMO_NOTE = """Demo data (separate database {database}):
  • example mobile-clinic visits, e.g. type «ПМК Сулутобе» and press «🔔 Remind me»;
  • an example IVF waiting list (data/{file}): open «🔢 My place in the IVF queue»,
    share your phone with the button (it sends {phone}), then send the example IIN {iin}.
"""

_TAG = re.compile(r"<[^>]+>")


def render(reply: BotReply) -> str:
    """Telegram's HTML as plain terminal text."""
    text = html.unescape(_TAG.sub("", reply.text))
    if reply.kind == "delete":
        return "  [the bot deleted a message]"
    if reply.kind in ("toast", "alert"):
        return f"  [{text}]"
    prefix = {"edit": "bot (edited)> ", "photo": "bot [photo]> ", "document": "bot [file]> "}
    return prefix.get(reply.kind, "bot> ") + text.replace("\n", "\n     ")


def _read_file(name: str) -> bytes:
    return Path(name).expanduser().read_bytes()


def _path_and_caption(rest: str) -> tuple[str, str | None]:
    """`PATH caption words` → (PATH, "caption words"); a path with spaces can be quoted."""
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    name = words[0]
    caption = " ".join(words[1:]).strip()
    return name, caption or None


class ConsoleChat:
    def __init__(self, user: LocalUser, out: TextIO) -> None:
        self.user = user
        self.out = out

    def show_choices(self) -> None:
        labels = self.user.visible_buttons()
        if labels:
            choices = "  ".join(f"[{number}] {label}" for number, label in enumerate(labels, 1))
            print("     " + choices, file=self.out)

    async def handle_line(self, line: str) -> bool:
        """Act on one typed line; False when the person wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        labels = self.user.visible_buttons()
        if line.isdigit() and 1 <= int(line) <= len(labels):
            await self.user.click(labels[int(line) - 1])
        elif line in labels:
            await self.user.click(line)
        else:
            await self._send_special_or_text(line)
        self.show_choices()
        return True

    async def _send_special_or_text(self, line: str) -> None:
        command, _, rest = line.partition(" ")
        if command == "/contact" and rest:
            phone, _, whose = rest.strip().partition(" ")
            owner = OTHER_PERSON_ID if whose.strip().lower() == "other" else None
            await self.user.share_contact(phone, user_id=owner)
        elif command == "/location":
            try:
                latitude, longitude = (float(part) for part in rest.split())
            except ValueError:
                print("     usage: /location 43.25 76.95", file=self.out)
                return
            await self.user.send_location(latitude, longitude)
        elif command == "/photo":
            await self.user.send_photo(rest or None)
        elif command == "/sticker":
            await self.user.send_sticker()
        elif command == "/voice":
            await self.user.send_voice()
        elif command == "/reply" and rest:
            latest = self.user.latest_bot_message_id()
            if latest is None:
                print("     nothing to reply to yet", file=self.out)
                return
            await self.user.reply(latest, rest)
        elif command == "/document" and rest:
            name, caption = _path_and_caption(rest)
            try:
                content = await asyncio.to_thread(_read_file, name)
            except OSError:
                print(f"     cannot read the file: {name}", file=self.out)
                return
            await self.user.send_document(Path(name).name, content, caption=caption)
        else:
            await self.user.send(line)


async def run_console(
    settings: Settings,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    language_code: str = "ru",
    demo: bool = False,
) -> None:
    def print_call(method: TelegramMethod[Any]) -> None:
        reply = describe(method)
        if reply is not None:
            print(render(reply), file=out, flush=True)

    session = LocalSession(listener=print_call)
    app = await build_app(settings, session=session)
    workflow = app.dispatcher.workflow_data
    await app.dispatcher.emit_startup(bot=app.bot, **workflow)
    user = LocalUser(app.dispatcher, app.bot, language_code=language_code)
    chat = ConsoleChat(user, out)
    staff = STAFF_NOTE if user.user.id in settings.staff_ids else ""
    print(HELP.format(user_id=user.user.id, staff=staff), file=out, flush=True)
    if demo:
        example = await load_demo_queue(settings, app.db)
        if not example.report.ok:
            print(f"     [the example waiting list did not load: {example.report}]", file=out)
        print(
            DEMO_NOTE.format(
                database=settings.database_path,
                file=DEMO_QUEUE_FILE,
                phone=example.phone,
                iin=example.iin,
            ),
            file=out,
            flush=True,
        )
    loop = asyncio.get_running_loop()
    try:
        while True:
            if stdin.isatty():
                print("you> ", end="", file=out, flush=True)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:  # end of input
                break
            if not stdin.isatty():
                print(f"you> {line.rstrip()}", file=out, flush=True)
            try:
                if not await chat.handle_line(line):
                    break
            except Exception as error:  # noqa: BLE001 - the chat goes on, as polling would
                print(f"     [the bot failed on this message: {type(error).__name__}]", file=out)
    finally:
        await app.dispatcher.emit_shutdown(bot=app.bot, **workflow)
        await app.close()
