"""Citizens choose the announcements they want; /stop ends them all."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRecord
from bot.services.regions import RegionDirectory
from bot.services.subscriptions import SubscriptionService, Topic
from bot.states import MyRegionForm
from bot.telegram.filters import ButtonText
from bot.views.broadcast import (
    CITIZEN_TOPIC_NAMES,
    SubscriptionOffer,
    SubscriptionToggle,
    announcements_offer,
    subscriptions_keyboard,
)
from bot.views.common import MenuButton, main_menu
from bot.views.my_region import ask_region


async def show_subscriptions(message: Message, subscriptions: SubscriptionService) -> None:
    if message.from_user is None:
        return
    topics = await subscriptions.topics(message.from_user.id)
    await message.answer(
        _(
            "Announcements from health departments: new IVF quotas, the route of the mobile "
            "clinic in your region, new hospitals. Press a topic to turn it on or off; "
            "/stop turns everything off."
        ),
        reply_markup=subscriptions_keyboard(topics),
    )


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
        await callback.answer(_("This button is out of date."))
        return
    topic = Topic(callback_data.topic)
    subscribed = await subscriptions.toggle(callback.from_user.id, topic)
    name = _(CITIZEN_TOPIC_NAMES[topic])
    if subscribed:
        await callback.answer(_("Subscribed: {topic}").format(topic=name))
    else:
        await callback.answer(_("Unsubscribed: {topic}").format(topic=name))
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
    reason = _("Announcements about mobile clinics are sent by region.")
    await state.set_state(MyRegionForm.entering_region)
    screen = ask_region(regions.all(), reason=reason)
    await callback.message.answer(screen.text, reply_markup=screen.markup)


async def cmd_stop(message: Message, subscriptions: SubscriptionService) -> None:
    if message.from_user is None:
        return
    if await subscriptions.stop(message.from_user.id):
        text = _(
            "Done: you will receive no more announcements. "
            "To subscribe again, open «🔔 Subscriptions» in the menu."
        )
    else:
        text = _("You are not subscribed to any announcements.")
    await message.answer(text, reply_markup=main_menu())


async def offer_announcements(message: Message, subscriptions: SubscriptionService) -> None:
    """Ask a new user, once ever, whether they want announcements.

    Call it right after a feature has answered a citizen (e.g. the knowledge base's answer):
    `await offer_announcements(message, subscriptions)`; it does nothing after the first time.
    """
    if message.from_user is None or not await subscriptions.should_offer(message.from_user.id):
        return
    text, keyboard = announcements_offer()
    await message.answer(text, reply_markup=keyboard)


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
        text = _(
            "Done: you are subscribed to all three topics. Change this in «🔔 Subscriptions» "
            "or send /stop."
        )
    else:
        text = _("All right. You can subscribe any time in «🔔 Subscriptions».")
    if callback.message is not None:
        await callback.message.answer(text, reply_markup=main_menu())
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
