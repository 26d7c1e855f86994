"""How long the bot itself takes for a whole IVF eligibility check, through the real dispatcher.

Baseline in the same run: the same number of /help messages (the cheapest round trip there is).
Prints medians over several runs; the person's own reading and typing time is not included.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.app import build_app
from bot.config import Settings
from bot.console.session import LocalSession
from bot.console.user import LocalUser

RUNS = 30
STEPS = ["/start ivf", "34", "да", "да", "нет", "Qyzylorda"]


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=None,
            database_path=Path(tmp) / "bench.sqlite3",
            default_locale="kk",
            pii_secret="bench-secret",  # type: ignore[arg-type]
        )
        app = await build_app(settings, session=LocalSession())
        check_times, baseline_times = [], []
        try:
            for run in range(RUNS):
                user = LocalUser(app.dispatcher, app.bot, user_id=10_000 + run)
                await user.send("/start")
                await user.click("Русский")
                started = time.perf_counter()
                for text in STEPS:
                    replies = await user.send(text)
                check_times.append(time.perf_counter() - started)
                # The last answer must be the verdict, or the figure means nothing.
                assert "Скорее всего, подходите" in replies[0].text, replies[0].text
                started = time.perf_counter()
                for _ in STEPS:
                    await user.send("/help")
                baseline_times.append(time.perf_counter() - started)
        finally:
            await app.close()
    check_ms = statistics.median(check_times) * 1000
    base_ms = statistics.median(baseline_times) * 1000
    print(f"full IVF check, {len(STEPS)} messages: median {check_ms:.1f} ms")
    print(f"baseline, {len(STEPS)} x /help:        median {base_ms:.1f} ms")
    per_check, per_base = check_ms / len(STEPS), base_ms / len(STEPS)
    print(f"per message: check {per_check:.2f} ms, baseline {per_base:.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
