"""Citizens choose the announcements they want; /stop ends them all."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.db.users import UserRecord
from bot.services.regions import RegionDirectory
from bot.services.subscriptions import SubscriptionService, Topic
from bot.states import MyRegionForm
from bot.telegram.filters import ButtonText
from bot.views.common import MenuButton, main_menu
from bot.views.my_region import ask_region
from bot.views.subscriptions import (
    SubscriptionOffer,
    SubscriptionToggle,
    offer_answered_text,
    out_of_date_text,
    region_needed_text,
    stopped_text,
    subscriptions_keyboard,
    subscriptions_text,
    toggled_text,
)


async def show_subscriptions(message: Message, subscriptions: SubscriptionService) -> None:
    if message.from_user is None:
        return
    topics = await subscriptions.topics(message.from_user.id)
    await message.answer(subscriptions_text(), reply_markup=subscriptions_keyboard(topics))


async def on_topic_toggled(
    callback: CallbackQuery,
    callback_data: SubscriptionToggle,
    *,
    subscriptions: SubscriptionService,
    state: FSMContext,
    user_record: UserRecord,
    regions: RegionDirectory,
) -> None:
    if callback_data.topic not in {topic.value for topic in Topic}:
        await callback.answer(out_of_date_text())
        return
    topic = Topic(callback_data.topic)
    subscribed = await subscriptions.toggle(callback.from_user.id, topic)
    await callback.answer(toggled_text(topic, subscribed))
    if callback.message is not None:
        topics = await subscriptions.topics(callback.from_user.id)
        await callback.bot.edit_message_reply_markup(  # type: ignore[union-attr]
            chat_id=callback.message.chat.id,
            message_id=callback.message.message_id,
            reply_markup=subscriptions_keyboard(topics),
        )
        if subscribed and topic is Topic.MOBILE_CLINICS:
            await _ask_region_if_missing(callback, state, user_record, regions)


async def _ask_region_if_missing(
    callback: CallbackQuery, state: FSMContext, user_record: UserRecord, regions: RegionDirectory
) -> None:
    # Mobile-clinic announcements go to the subscribers of one region: without a region saved,
    # this subscription would never bring anything.
    if user_record.region_code is not None or callback.message is None:
        return
    await state.set_state(MyRegionForm.entering_region)
    screen = ask_region(regions.all(), reason=region_needed_text())
    await callback.message.answer(screen.text, reply_markup=screen.markup)


async def cmd_stop(message: Message, subscriptions: SubscriptionService) -> None:
    if message.from_user is None:
        return
    stopped = await subscriptions.stop(message.from_user.id) > 0
    await message.answer(stopped_text(stopped), reply_markup=main_menu())


async def on_offer_answered(
    callback: CallbackQuery,
    callback_data: SubscriptionOffer,
    *,
    subscriptions: SubscriptionService,
    state: FSMContext,
    user_record: UserRecord,
    regions: RegionDirectory,
) -> None:
    await callback.answer()
    if callback_data.accept:
        await subscriptions.subscribe_all(callback.from_user.id)
    if callback.message is not None:
        await callback.message.answer(
            offer_answered_text(callback_data.accept), reply_markup=main_menu()
        )
    if callback_data.accept:
        await _ask_region_if_missing(callback, state, user_record, regions)


def create_router() -> Router:
    router = Router(name="subscriptions")
    router.message.register(show_subscriptions, Command("subscriptions"))
    router.message.register(show_subscriptions, ButtonText(MenuButton.SUBSCRIPTIONS))
    router.message.register(cmd_stop, Command("stop"))
    router.callback_query.register(on_topic_toggled, SubscriptionToggle.filter())
    router.callback_query.register(on_offer_answered, SubscriptionOffer.filter())
    return router
