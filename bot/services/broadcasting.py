"""Composing announcements, corrections and retractions; the one sender
(`bot/services/outbox.py`) sends them."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.db.broadcasts import BroadcastRecord, BroadcastRepository, RunRecord
from bot.db.subscriptions import Recipient, SubscriptionRepository
from bot.services.outbox import Action
from bot.services.staff import StaffRole
from bot.services.subscriptions import Topic

logger = logging.getLogger(__name__)

# Telegram lets a bot edit or delete its own messages for 48 hours.
CHANGE_WINDOW = timedelta(hours=48)
# Telegram's limits: a message holds 4096 characters, a photo's or document's caption 1024.
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


@dataclass(frozen=True, slots=True)
class Audience:
    topic: Topic
    region_code: str | None = None
    language: str | None = None  # None: both languages


class ChangeRefusal(StrEnum):
    """Why a correction or a retraction was not queued."""

    TOO_LATE = "too_late"  # 48 hours passed, still sending, retracted, or not this region's
    ALREADY_QUEUED = "already_queued"  # the same confirmation pressed twice
    CAPTION_TOO_LONG = "caption_too_long"  # a photo's or document's caption holds 1024


def new_draft_key() -> str:
    """The key of one draft: a run is created once per key, however often «Send» is pressed."""
    return uuid.uuid4().hex


def text_limit(media_kind: str | None) -> int:
    """How long an announcement's text may be: with a photo or document it is a caption."""
    return CAPTION_LIMIT if media_kind else MESSAGE_LIMIT


@dataclass(frozen=True, slots=True)
class Draft:
    author_id: int
    text_kk: str
    text_ru: str
    audience: Audience
    media_kind: str | None = None
    media_file_id: str | None = None
    # Taken when the preview is shown; the same key queues one run at most.
    key: str = field(default_factory=new_draft_key)


@dataclass(frozen=True, slots=True)
class QueuedRun:
    run_id: int
    recipients: int


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True, eq=False)
class BroadcastService:
    """The staff side: count an audience, queue a broadcast, an edit or a retraction.

    A dataclass: it only holds its dependencies."""

    repository: BroadcastRepository
    subscriptions: SubscriptionRepository
    default_language: str
    wake_sender: Callable[[], None]
    now: Callable[[], datetime] = _utcnow

    async def audience_size(self, audience: Audience) -> dict[str, int]:
        """Recipients per language (`kk`, `ru`)."""
        sizes = {"kk": 0, "ru": 0}
        for recipient in await self._recipients(audience):
            sizes[recipient.language] = sizes.get(recipient.language, 0) + 1
        return sizes

    async def enqueue(self, draft: Draft, report_chat_id: int) -> QueuedRun | None:
        """Write the broadcast and its whole outbox, then let the sender start; None when this
        draft was queued already."""
        recipients = await self._recipients(draft.audience)
        run_id = await self.repository.create(
            author_id=draft.author_id,
            report_chat_id=report_chat_id,
            text_kk=draft.text_kk,
            text_ru=draft.text_ru,
            media_kind=draft.media_kind,
            media_file_id=draft.media_file_id,
            topic=draft.audience.topic,
            region_code=draft.audience.region_code,
            language=draft.audience.language,
            recipients=recipients,
            now=self.now(),
            claim=draft.key,
        )
        if run_id is None:
            return None
        self.wake_sender()
        return QueuedRun(run_id=run_id, recipients=len(recipients))

    async def changeable(
        self, broadcast_id: int, region_code: str | None = None
    ) -> BroadcastRecord | None:
        """The broadcast when it may still be edited or retracted (sent within 48 hours, by
        staff of its region when `region_code` is given)."""
        broadcast = await self.repository.get_broadcast(broadcast_id)
        if broadcast is None or self.now() - broadcast.created_at > CHANGE_WINDOW:
            return None
        if region_code is not None and broadcast.region_code != region_code:
            return None
        runs = await self.repository.runs_of(broadcast_id)
        if any(run.status in ("queued", "running", "paused") for run in runs):
            # Rows still waiting would go out with whichever text they were loaded with.
            return None
        if any(run.action == Action.DELETE and run.status != "cancelled" for run in runs):
            return None  # nothing is left to correct or retract
        return broadcast

    async def may_control(self, role: StaffRole, run_id: int) -> bool:
        """Whether `role` may pause, resume or stop the run (its author, or staff of its
        region); False for an unknown run."""
        run = await self.repository.get_run(run_id)
        broadcast = await self.repository.get_broadcast(run.broadcast_id) if run else None
        if run is None or broadcast is None:
            return False
        return role.may_control(run.requested_by, broadcast.region_code)

    async def enqueue_change(
        self,
        broadcast_id: int,
        action: Action,
        *,
        requested_by: int,
        report_chat_id: int,
        claim: str | None = None,
        text_kk: str | None = None,
        text_ru: str | None = None,
        region_code: str | None = None,
    ) -> QueuedRun | ChangeRefusal:
        """Queue an edit or a retraction of what went out, or say why not. `claim` names the
        confirmation (a retraction is claimed by its broadcast): pressed twice, it queues once."""
        if action == Action.DELETE:
            claim = f"delete:{broadcast_id}"
        broadcast = await self.changeable(broadcast_id, region_code)
        if broadcast is None:
            return ChangeRefusal.TOO_LATE
        limit = text_limit(broadcast.media_kind)
        if max(len(text_kk or ""), len(text_ru or "")) > limit:
            return ChangeRefusal.CAPTION_TOO_LONG
        created = await self.repository.create_followup(
            broadcast_id=broadcast_id,
            action=action,
            requested_by=requested_by,
            report_chat_id=report_chat_id,
            text_kk=text_kk,
            text_ru=text_ru,
            sent_after=self.now() - CHANGE_WINDOW,
            now=self.now(),
            claim=claim or new_draft_key(),
        )
        if created is None:
            return ChangeRefusal.ALREADY_QUEUED
        run_id, count = created
        self.wake_sender()
        return QueuedRun(run_id=run_id, recipients=count)

    async def recent(
        self, limit: int = 10, region_code: str | None = None
    ) -> list[tuple[BroadcastRecord, list[RunRecord]]]:
        """The latest broadcasts with their runs: who sent what to whom, when."""
        return [
            (broadcast, await self.repository.runs_of(broadcast.id))
            for broadcast in await self.repository.recent(limit, region_code)
        ]

    async def _recipients(self, audience: Audience) -> list[Recipient]:
        return await self.subscriptions.recipients(
            audience.topic, audience.region_code, audience.language, self.default_language
        )
