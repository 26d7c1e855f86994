"""The one place where things are wired: production, the console chat and the tests all call it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import BotCommand, BotCommandScopeDefault, Message
from aiogram.utils.i18n import I18n, gettext

from bot.config import SUPPORTED_LOCALES, Settings
from bot.db import Database
from bot.db.broadcasts import BroadcastRepository
from bot.db.fsm_storage import SQLiteStorage
from bot.db.group_chats import GroupChatRepository
from bot.db.ivf_queue import IvfQueueRepository
from bot.db.monitoring import MonitoringRepository, database_answers
from bot.db.outbox import OutboxRepository
from bot.db.questions import QuestionLogRepository
from bot.db.retention import RetentionRepository
from bot.db.staff import StaffRepository
from bot.db.stats import StatsRepository
from bot.db.subscriptions import SubscriptionRepository
from bot.db.tickets import TicketRepository
from bot.db.users import UserRepository
from bot.i18n import N_, UserLocaleMiddleware, create_i18n
from bot.jobs.daily_cleanup import DailyCleanup, RetentionPeriods
from bot.jobs.mobile_reminders import create_mobile_clinics
from bot.jobs.startup import BestEffortStartup
from bot.jobs.tickets import create_ticket_reminders
from bot.monitoring.health import HealthCheck
from bot.monitoring.metrics import Metrics, UpdateMetrics
from bot.services.broadcasting import BroadcastService
from bot.services.facilities import FacilityDirectory
from bot.services.ivf_queue import QueueLookup
from bot.services.ivf_queue_import import QueueImporter
from bot.services.ivf_quotas import IvfQuotaTable
from bot.services.knowledge_base import KnowledgeBase
from bot.services.my_region import RegionSummaries
from bot.services.outbox import OutboxSender
from bot.services.pii_hash import PiiHasher
from bot.services.regions import RegionDirectory
from bot.services.staff import StaffAdministration, StaffRoles, StaffStatistics
from bot.services.subscriptions import SubscriptionService
from bot.services.tickets import TicketService
from bot.services.understanding import Understanding
from bot.telegram.delivery import (
    OutboxRenderer,
    create_delivery,
    send_limits,
    start_sender,
    stop_sender,
)
from bot.telegram.filters import is_emergency_message
from bot.telegram.middlewares import InFlightTracker, MessageRateLimit, UpdateMiddleware
from bot.telegram.retry import RetryMiddleware
from bot.telegram.routing import guard_routers
from bot.telegram.ticket_messenger import TicketLetters, TicketMessenger
from handlers import get_routers

logger = logging.getLogger(__name__)

# Commands shown in Telegram's menu, in each language (setMyCommands with language_code).
BOT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start and choose the language")),
    ("menu", N_("Main menu")),
    ("ivf", N_("Free IVF: eligibility check, quotas, how to apply")),
    ("queue", N_("My place in the IVF waiting list")),
    ("ask", N_("Ask a specialist of the regional health department")),
    ("tickets", N_("My questions to specialists")),
    ("help", N_("What the bot can do and where to get help")),
    ("language", N_("Change the language")),
    ("cancel", N_("Cancel the current step")),
    ("subscriptions", N_("Announcements I receive")),
    ("stop", N_("Stop all announcements")),
    ("forget", N_("Delete my data")),
)
TOO_MANY_MESSAGES = N_(
    "You are sending messages faster than I can answer them. Please wait a minute: until "
    "then I will not answer new messages."
)
# A placeholder token for sessions that never reach Telegram (console, tests).
OFFLINE_TOKEN = "42:offline-console-token-not-used-for-network"


@dataclass
class App:
    settings: Settings
    db: Database
    bot: Bot
    dispatcher: Dispatcher
    i18n: I18n
    in_flight: InFlightTracker

    async def close(self) -> None:
        await self.db.close()
        await self.bot.session.close()


def create_bot(
    settings: Settings,
    session: BaseSession | None = None,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> Bot:
    if session is None:
        api = (
            TelegramAPIServer.from_base(
                settings.telegram_api_url, is_local=settings.telegram_api_is_local
            )
            if settings.telegram_api_url
            else None
        )
        session = AiohttpSession(api=api) if api else AiohttpSession()
    session.middleware(
        RetryMiddleware(
            max_retries=settings.api_max_retries,
            max_wait=settings.api_max_retry_wait,
            sleep=sleep,
        )
    )
    token = settings.bot_token.get_secret_value() if settings.bot_token else OFFLINE_TOKEN
    return Bot(
        token=token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML)
    )


def create_dispatcher(
    settings: Settings,
    db: Database,
    i18n: I18n,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> Dispatcher:
    users = UserRepository(db)
    regions = RegionDirectory.load(settings.data_path / "regions.yaml")
    ivf_quotas = IvfQuotaTable.load(settings.data_path / "ivf_quotas.yaml")
    facilities = FacilityDirectory.load(settings.data_path / "facilities.yaml", regions)
    knowledge_base = KnowledgeBase.load(settings.data_path / "knowledge")
    ivf_queue = IvfQueueRepository(db)
    pii_hasher = PiiHasher(settings.pii_secret)
    in_flight = InFlightTracker()
    mobile_clinics, mobile_reminders = create_mobile_clinics(settings, db, i18n)
    subscription_repository = SubscriptionRepository(db)
    broadcast_repository = BroadcastRepository(db)
    limits = send_limits(settings)
    # The one sender of everything unasked: broadcasts, queue notices, reminders.
    outbox = OutboxSender(
        broadcast_repository,
        OutboxRepository(db),
        limits,
        default_language=settings.default_locale,
        clock=clock,
        sleep=sleep,
    )
    outbox_renderer = OutboxRenderer(i18n, regions, mobile_clinics)
    mobile_reminders.use_sender(outbox, outbox_renderer, settings)
    question_log = QuestionLogRepository(db)
    staff_members = StaffRepository(db)
    staff_roles = StaffRoles(settings.staff_ids, staff_members)
    subscriptions = SubscriptionService(subscription_repository)
    message_rate_limit = MessageRateLimit(
        note=lambda: gettext(TOO_MANY_MESSAGES),
        is_exempt=lambda message, _data: _is_exempt(message, settings, staff_members),
        limit=settings.messages_per_minute,
    )
    tickets = TicketService(
        TicketRepository(db),
        staff_roles,
        staff_members,
        pii_hasher,
        admin_ids=settings.staff_ids,
        staff_chat_id=settings.staff_chat_id,
        staff_chat_topics=settings.staff_chat_topics,
    )
    # «Ask a person» sends through the one outbox too, rendered when sent.
    outbox_renderer.tickets = TicketLetters(i18n, tickets, regions, knowledge_base)
    ticket_messenger = TicketMessenger(
        outbox, tickets, lambda bot: create_delivery(bot, outbox_renderer, settings)
    )
    ticket_reminders = create_ticket_reminders(settings, tickets, ticket_messenger)
    dialog_states = SQLiteStorage(db)
    daily_cleanup = DailyCleanup(
        question_log,
        ivf_queue,
        RetentionRepository(db),
        dialog_states,
        RetentionPeriods.from_settings(settings),
    )
    metrics = Metrics()
    outbox.on_outcome = metrics.record_send  # sends by outcome in /metrics
    monitoring = MonitoringRepository(db)
    dispatcher = Dispatcher(
        storage=dialog_states,
        # Dependencies reach handlers by parameter name.
        settings=settings,
        users=users,
        group_chats=GroupChatRepository(db),
        regions=regions,
        ivf_quotas=ivf_quotas,
        facilities=facilities,
        region_summaries=RegionSummaries(
            regions, facilities, ivf_quotas, mobile_stops=mobile_clinics
        ),
        knowledge_base=knowledge_base,
        understanding=Understanding(
            knowledge_base, regions, ivf_quotas, facilities, mobile_clinics.settlements
        ),
        question_log=question_log,
        pii_hasher=pii_hasher,
        in_flight=in_flight,
        i18n=i18n,
        ivf_queue=ivf_queue,
        queue_lookup=QueueLookup(ivf_queue, pii_hasher),
        queue_importer=QueueImporter(ivf_queue, pii_hasher),
        mobile_clinics=mobile_clinics,
        mobile_reminders=mobile_reminders,
        staff_members=staff_members,
        staff_roles=staff_roles,
        staff_administration=StaffAdministration(settings.staff_ids, staff_members, regions),
        staff_statistics=StaffStatistics(
            staff_roles,
            StatsRepository(db),
            subscriptions,
            regions,
            settings.default_locale,
            tickets,
        ),
        tickets=tickets,
        messenger=ticket_messenger,
        ticket_reminders=ticket_reminders,
        message_rate_limit=message_rate_limit,
        subscriptions=subscriptions,
        broadcasts=BroadcastService(
            broadcast_repository,
            subscription_repository,
            settings.default_locale,
            outbox.wake,
        ),
        metrics=metrics,
        health=HealthCheck(
            database_answers=lambda: database_answers(db, settings.database_path),
            outbox_depth=monitoring.outbox_depth,
            sender_alive=lambda: _sender_alive(outbox),
            metrics=metrics,
        ),
        outbox_rows_by_state=monitoring.outbox_rows_by_state,
        outbox=outbox,
        outbox_renderer=outbox_renderer,
    )
    user_locale = UserLocaleMiddleware(i18n=i18n, users=users)
    dispatcher.update.outer_middleware(
        UpdateMiddleware(in_flight, UpdateMetrics(metrics), user_locale, message_rate_limit)
    )
    # aiogram handles an error outside the update middleware: the apology needs the language.
    dispatcher.errors.outer_middleware(user_locale)
    dispatcher.include_routers(*get_routers())
    guard_routers(dispatcher)  # reads the filters as registered: before they are inlined
    run_sync_filters_inline(dispatcher)
    # The command menu: retried, never fatal.
    best_effort = BestEffortStartup(register_commands)
    dispatcher.startup.register(best_effort.on_startup)
    dispatcher.shutdown.register(best_effort.on_shutdown)
    dispatcher.startup.register(mobile_reminders.on_startup)
    dispatcher.shutdown.register(wait_for_handlers)
    dispatcher.shutdown.register(mobile_reminders.on_shutdown)
    dispatcher.startup.register(start_sender)
    dispatcher.shutdown.register(stop_sender)
    dispatcher.startup.register(daily_cleanup.on_startup)
    dispatcher.shutdown.register(daily_cleanup.on_shutdown)
    dispatcher.startup.register(ticket_reminders.on_startup)
    dispatcher.shutdown.register(ticket_reminders.on_shutdown)
    return dispatcher


async def _is_exempt(message: Message, settings: Settings, staff_members: StaffRepository) -> bool:
    """Not held to the message limit: an emergency (103 first, even in a flood), and staff (a
    day's uploads come in bursts)."""
    if is_emergency_message(message):
        return True
    user = message.from_user
    if user is None:
        return False
    return user.id in settings.staff_ids or await staff_members.get(user.id) is not None


def _sender_alive(outbox: OutboxSender) -> bool:
    return outbox.running


def run_sync_filters_inline(router: Router) -> None:
    """Evaluate synchronous filters (aiogram's `F` magic filters) in the event loop.

    aiogram hands every synchronous callable to `asyncio.to_thread`. Magic filters are attribute
    checks of a few microseconds; a worker-thread hop per check costs far more and was most of
    the bot's time per update (bench/dispatch_overhead.py).
    """
    for observer in router.observers.values():
        handlers = [*observer.handlers, getattr(observer, "_handler", None)]
        for handler in handlers:
            for filter_object in getattr(handler, "filters", None) or []:
                if filter_object.awaitable:
                    continue
                filter_object.callback = _inline(filter_object.callback)
                filter_object.awaitable = True
    for sub_router in router.sub_routers:
        run_sync_filters_inline(sub_router)


def _inline(check: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    async def run_inline(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    return run_inline


async def build_app(
    settings: Settings,
    session: BaseSession | None = None,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> App:
    """Open the database (creating and migrating it), compile catalogs, wire bot and dispatcher."""
    db = await Database.open(settings.database_path)
    i18n = create_i18n(settings.locales_path, settings.default_locale)
    dispatcher = create_dispatcher(settings, db, i18n, clock=clock, sleep=sleep)
    bot = create_bot(settings, session, sleep=sleep)
    return App(
        settings=settings,
        db=db,
        bot=bot,
        dispatcher=dispatcher,
        i18n=i18n,
        in_flight=dispatcher["in_flight"],
    )


async def register_commands(bot: Bot, i18n: I18n, settings: Settings) -> None:
    for locale in (None, *SUPPORTED_LOCALES):
        commands = [
            BotCommand(
                command=name,
                description=i18n.gettext(msgid, locale=locale or settings.default_locale),
            )
            for name, msgid in BOT_COMMANDS
        ]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=locale)


async def wait_for_handlers(in_flight: InFlightTracker) -> None:
    if not await in_flight.wait_idle(timeout=20):
        logger.warning("Stopped with %s updates still being handled", in_flight.active)
