"""The one virtual clock of the tests: time passes only when the code sleeps or a test moves it.

Hand `clock.now` to whatever reads `time.monotonic`/`time.time`, `clock.local` to whatever
reads an aware local datetime, and `clock.sleep` to whatever would `asyncio.sleep`: seconds of
sending or hours between reminders then pass in a blink, and `clock.waits` keeps every wait
that was asked for.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, tzinfo

# 2027-01-15 08:00 UTC: far from any date in the test data, so nothing is "today" by accident.
START = 1_800_000_000.0


class VirtualClock:
    def __init__(self, start: float = START, zone: tzinfo = UTC) -> None:
        self.seconds = start
        self.zone = zone
        self.waits: list[float] = []

    def now(self) -> float:
        return self.seconds

    def local(self) -> datetime:
        return datetime.fromtimestamp(self.seconds, self.zone)

    def set(self, local: str) -> None:
        """Move to a wall-clock time in the clock's zone, e.g. "2030-06-14T10:00"."""
        self.seconds = datetime.fromisoformat(local).replace(tzinfo=self.zone).timestamp()

    def advance(self, seconds: float) -> None:
        self.seconds += seconds

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.seconds += max(0.0, seconds)
        # Yield like a real sleep, so other tasks run between the waits.
        await asyncio.sleep(0)
