"""The personal IVF queue look-up: only a matching IIN AND phone show a record (FACTS.md A4.4)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.db.ivf_queue import ATTEMPT_MEMORY as DAY
from bot.db.ivf_queue import Attempt, IvfQueueRepository, QueueEntry, QueueLink
from bot.services.iin import Iin
from bot.services.phone import Phone
from bot.services.pii_hash import PiiHasher
from bot.services.text_folding import fold

LOOKUPS_PER_HOUR = 5
HOUR = 3600
FIRST_PAUSE = 60  # seconds after one failed look-up; doubles with each further failure


class QueueStatus(StrEnum):
    WAITING = "waiting"
    REFERRED = "referred"
    DONE = "done"
    REMOVED = "removed"


# Word beginnings staff write in the status column, folded (text_folding) for any script.
_STATUS_WORDS: tuple[tuple[QueueStatus, tuple[str, ...]], ...] = (
    (
        QueueStatus.REMOVED,
        ("removed", "remove", "исключ", "снят", "удал", "выбыл", "шыгарыл", "алынып", "жойыл"),
    ),
    (
        QueueStatus.DONE,
        ("done", "completed", "выполн", "заверш", "проведен", "аяктал", "орындал", "жасалд"),
    ),
    (QueueStatus.REFERRED, ("referred", "refer", "направл", "жолдама", "жибер")),
    (QueueStatus.WAITING, ("waiting", "wait", "ожид", "очеред", "кут", "кезек")),
)
_FOLDED_STATUS_WORDS = tuple(
    (status, tuple(fold(word) for word in words)) for status, words in _STATUS_WORDS
)


def _status_of_word(word: str) -> QueueStatus | None:
    for status, stems in _FOLDED_STATUS_WORDS:
        if word.startswith(stems):
            return status
    return None


def parse_status(text: str) -> QueueStatus | None:
    """«Ожидает», «кезекте», «направлена в клинику», «done»… → the status, or None."""
    words = fold(text).split()
    found = [status for status in map(_status_of_word, words) if status is not None]
    if not found:
        return None
    # A removal word wins wherever it stands: «кезектен шығарылды», «снят с очереди».
    if QueueStatus.REMOVED in found:
        return QueueStatus.REMOVED
    # Otherwise the first word leads when it is a status word: «ожидает направления».
    return _status_of_word(words[0]) or found[0]


class QueueReadiness(StrEnum):
    READY = "ready"
    NO_SECRET = "no_secret"  # PII_SECRET is not set: nothing can be hashed
    NO_LISTS = "no_lists"  # no region's list has been loaded yet


class LookupOutcome(StrEnum):
    FOUND = "found"
    # One outcome for "no such IIN" and "IIN found, phone differs": the answer must not tell
    # whether an IIN is on a list.
    NOT_FOUND = "not_found"
    LIMITED = "limited"
    UNAVAILABLE = "unavailable"


class LimitReason(StrEnum):
    HOURLY = "hourly"
    AFTER_FAILURES = "after_failures"


@dataclass(frozen=True, slots=True)
class LookupLimit:
    reason: LimitReason
    wait_seconds: int


@dataclass(frozen=True, slots=True)
class LookupResult:
    outcome: LookupOutcome
    records: tuple[FoundRecord, ...] = ()
    limit: LookupLimit | None = None


@dataclass(frozen=True, slots=True)
class FoundRecord:
    entry: QueueEntry
    previous: QueueLink | None = None

    @property
    def status(self) -> QueueStatus:
        return QueueStatus(self.entry.status)

    @property
    def previous_status(self) -> QueueStatus | None:
        return QueueStatus(self.previous.last_status) if self.previous else None


@dataclass
class QueueLookup:
    """Look-ups with a limit per hour and a pause that grows after each failure."""

    repository: IvfQueueRepository
    hasher: PiiHasher
    clock: Callable[[], float] = field(default=time.time)

    @property
    def available(self) -> bool:
        return self.hasher.available

    async def readiness(self) -> QueueReadiness:
        """Whether a look-up can find anything at all, before asking for a phone and an IIN."""
        if not self.available:
            return QueueReadiness.NO_SECRET
        if await self.repository.count_entries() == 0:
            return QueueReadiness.NO_LISTS
        return QueueReadiness.READY

    def phone_hash(self, phone: Phone) -> bytes:
        return self.hasher.phone(phone)

    async def check_limit(self, user_id: int) -> LookupLimit | None:
        """Whether a look-up would be refused now (to say so before asking for the IIN)."""
        now = self.clock()
        return limit_of(await self.repository.attempts_since(user_id, now - DAY), now)

    async def look_up(self, user_id: int, iin: Iin, phone_hash: bytes) -> LookupResult:
        """The user's records if IIN and phone match; every other case is the same NOT_FOUND."""
        if not self.available:
            return LookupResult(LookupOutcome.UNAVAILABLE)
        now = self.clock()
        attempt_id, limit = await self.repository.reserve_attempt(
            user_id, now, lambda attempts: limit_of(attempts, now)
        )
        if attempt_id is None:
            return LookupResult(LookupOutcome.LIMITED, limit=limit)
        iin_hash = self.hasher.iin(iin)
        entries = await self.repository.find(iin_hash, phone_hash)
        await self.repository.finish_attempt(attempt_id, found=bool(entries))
        if not entries:
            return LookupResult(LookupOutcome.NOT_FOUND)
        links = await self.repository.links(user_id)
        records = tuple(
            FoundRecord(entry=entry, previous=links.get(entry.region_code)) for entry in entries
        )
        await self.repository.save_links(user_id, iin_hash, phone_hash, entries)
        return LookupResult(LookupOutcome.FOUND, records=records)

    async def set_notify(self, user_id: int, notify: bool) -> bool:
        """False when the user has no record to follow (no successful look-up yet)."""
        return await self.repository.set_notify(user_id, notify) > 0


def limit_of(attempts: list[Attempt], now: float) -> LookupLimit | None:
    """The limit that refuses a look-up now, given the user's attempts of the last day."""
    in_hour = [attempt.at for attempt in attempts if attempt.at > now - HOUR]
    if len(in_hour) >= LOOKUPS_PER_HOUR:
        return LookupLimit(LimitReason.HOURLY, _ceil(in_hour[0] + HOUR - now))
    # A look-up still running counts towards the hourly limit but is no failure (yet).
    finished = [attempt for attempt in attempts if attempt.found is not None]
    failures = 0
    for attempt in reversed(finished):
        if attempt.found:
            break
        failures += 1
    if failures:
        pause = min(FIRST_PAUSE * 2 ** (failures - 1), HOUR)
        last = finished[-1].at
        if now < last + pause:
            return LookupLimit(LimitReason.AFTER_FAILURES, _ceil(last + pause - now))
    return None


def _ceil(seconds: float) -> int:
    return max(1, int(-(-seconds // 1)))
