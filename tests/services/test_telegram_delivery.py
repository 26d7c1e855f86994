"""How Telegram's answers, over real HTTP, become the sender's outcomes."""

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import SendMessage

from bot.config import Settings
from bot.services.outbox import Action, Letter, Outcome
from bot.telegram.delivery import TelegramDelivery, send_limits
from tests.support.clock import VirtualClock
from tests.support.telegram import FakeBotApi, RulesSession, TelegramRules

LETTER = Letter(action=Action.SEND, chat_id=501, language="kk", text="Сәлем")


@pytest.fixture
def rules() -> TelegramRules:
    return TelegramRules(clock=VirtualClock().now)


@pytest.fixture
async def bot(rules: TelegramRules) -> AsyncIterator[Bot]:
    async with FakeBotApi(rules) as api:
        http_bot = Bot("42:test", session=AiohttpSession(api=TelegramAPIServer.from_base(api.url)))
        yield http_bot
        await http_bot.session.close()


async def test_delivered_message_returns_its_id(bot: Bot, rules: TelegramRules) -> None:
    result = await TelegramDelivery(bot).deliver(LETTER)
    assert result.outcome is Outcome.DELIVERED and result.message_id is not None
    assert rules.received[501] == [("sendMessage", "Сәлем")]


async def test_blocked_chat_is_final(bot: Bot, rules: TelegramRules) -> None:
    rules.blocked.add(501)
    assert (await TelegramDelivery(bot).deliver(LETTER)).outcome is Outcome.BLOCKED


async def test_too_many_requests_carries_retry_after(bot: Bot, rules: TelegramRules) -> None:
    delivery = TelegramDelivery(bot)
    await delivery.deliver(LETTER)
    result = await delivery.deliver(LETTER)  # same chat within a second
    assert (result.outcome, result.retry_after) == (Outcome.RETRY_AFTER, 1.0)


@pytest.mark.parametrize(
    ("kind", "uncertain"), [("server_error", False), ("html", True), ("lost", True)]
)
async def test_server_errors_and_html_pages_are_retried(
    bot: Bot, rules: TelegramRules, kind: str, uncertain: bool
) -> None:
    rules.failure_rate, rules.failure_kinds = 1.0, (kind,)
    result = await TelegramDelivery(bot).deliver(LETTER)
    assert (result.outcome, result.uncertain) == (Outcome.TRANSIENT, uncertain)


async def test_paid_broadcast_is_off_unless_the_owner_enables_it(
    rules: TelegramRules, settings: Settings
) -> None:
    session = RulesSession(rules)
    local_bot = Bot("42:test", session=session)
    await TelegramDelivery(local_bot).deliver(LETTER)
    await TelegramDelivery(local_bot, allow_paid_broadcast=True).deliver(
        Letter(action=Action.SEND, chat_id=502, language="ru", text="Привет")
    )
    sent = [call for call in session.calls if isinstance(call, SendMessage)]
    assert [call.allow_paid_broadcast for call in sent] == [None, True]
    assert send_limits(settings).rate_per_second == 30
    paid = settings.model_copy(update={"broadcast_allow_paid": True})
    assert send_limits(paid).rate_per_second == 1000
