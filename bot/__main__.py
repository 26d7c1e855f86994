"""`python -m bot`: polling with BOT_TOKEN set, else the console chat. Arguments only; no logic."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.config import SUPPORTED_LOCALES, Settings
from bot.console.demo import demo_settings
from bot.console.user import CONSOLE_USER_ID
from bot.telegram.polling import run_polling


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("poll", help="long-poll Telegram (needs BOT_TOKEN)")
    console = sub.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument(
        "--language-code",
        default="ru",
        help="the language Telegram would report for you (default: ru)",
    )
    queue = sub.add_parser("import-queue", help="load a region's IVF waiting list from a CSV")
    queue.add_argument("file", type=Path, help="the CSV file (UTF-8 or cp1251, ; or ,)")
    queue.add_argument("--region", help="region code or name, when the file has no region column")
    queue.add_argument("--language", choices=SUPPORTED_LOCALES, help="language of the report")
    console.add_argument(
        "--demo",
        action="store_true",
        help="load example mobile-clinic visits and an example IVF waiting list (data/examples) "
        "into a separate demo database",
    )
    console.add_argument(
        "--staff",
        action="store_true",
        help=f"make the console user (Telegram id {CONSOLE_USER_ID}) an administrator "
        "for this run",
    )
    schedule = sub.add_parser("import-schedule", help="replace mobile-clinic schedules from a CSV")
    schedule.add_argument("file", type=Path)
    args = parser.parse_args(argv)

    settings = Settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # aiosqlite logs every SQL parameter at DEBUG: dialog answers must never reach the log.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    command = args.command or ("poll" if settings.bot_token else "console")
    if command == "import-queue":
        from bot.cli import import_queue

        code, report = asyncio.run(import_queue(settings, args.file, args.region, args.language))
        print(report, file=sys.stdout if code == 0 else sys.stderr)
        return code
    if command == "import-schedule":
        from bot.cli import import_schedule_file

        return asyncio.run(import_schedule_file(settings, args.file, sys.stdout))
    demo = command == "console" and (getattr(args, "demo", False) or settings.mobile_demo_schedule)
    if demo:
        settings = demo_settings(settings)
    if command == "console" and getattr(args, "staff", False):
        settings = settings.model_copy(
            update={"staff_ids": settings.staff_ids | {CONSOLE_USER_ID}}
        )
    if command == "poll":
        if settings.bot_token is None:
            print("BOT_TOKEN is not set: run `python -m bot console` instead.", file=sys.stderr)
            return 2
        if settings.mobile_demo_schedule:
            print("MOBILE_DEMO_SCHEDULE is for the console demo only.", file=sys.stderr)
            return 2
        asyncio.run(run_polling(settings))
        return 0
    # The console is a conversation: keep the bot's log quiet unless something is wrong.
    logging.getLogger().setLevel(logging.WARNING)
    from bot.console.chat import run_console

    language_code = getattr(args, "language_code", "ru")
    asyncio.run(run_console(settings, language_code=language_code, demo=demo))
    return 0


if __name__ == "__main__":
    sys.exit(main())
