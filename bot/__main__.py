"""`python -m bot`: webhook with WEBHOOK_URL set, polling with BOT_TOKEN set, else the console
chat. Arguments only; no logic."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.config import SUPPORTED_LOCALES, Settings
from bot.console.demo import demo_settings
from bot.console.user import CONSOLE_USER_ID
from bot.monitoring.logs import configure_logging
from bot.telegram.polling import run_polling

# Exit status when start-up refuses the data: systemd's RestartPreventExitStatus stops the
# restart loop there (deploy/densaulyq-bot.service), as a restart cannot fix a file.
DATA_REFUSED = 3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    command = args.command or _default_command(settings)
    if command == "backup":
        from bot.cli import backup as backup_command

        return asyncio.run(backup_command(settings, args.path, sys.stdout))
    if command == "check-data":
        from bot.cli import check_data_files

        return check_data_files(settings, sys.stdout)
    if command in ("poll", "webhook", "console"):
        from bot.cli import check_data_files

        # Start-up refuses data with a mistake: the same report as `check-data`, no traceback.
        if check_data_files(settings, sys.stderr):
            print("Not starting: fix the data files above.", file=sys.stderr)
            return DATA_REFUSED
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
    if command == "webhook":
        if settings.bot_token is None or settings.webhook_url is None:
            print("Webhook mode needs BOT_TOKEN and WEBHOOK_URL.", file=sys.stderr)
            return 2
        from bot.telegram.webhook import run_webhook

        asyncio.run(run_webhook(settings))
        return 0
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("poll", help="long-poll Telegram (needs BOT_TOKEN)")
    sub.add_parser("webhook", help="serve Telegram's webhook (needs BOT_TOKEN and WEBHOOK_URL)")
    backup = sub.add_parser("backup", help="copy the live database to PATH and check the copy")
    backup.add_argument("path", type=Path)
    sub.add_parser("check-data", help="check every file in data/; non-zero exit on a problem")
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
    return parser


def _default_command(settings: Settings) -> str:
    if settings.bot_token is None:
        return "console"
    return "webhook" if settings.webhook_url else "poll"


if __name__ == "__main__":
    sys.exit(main())
