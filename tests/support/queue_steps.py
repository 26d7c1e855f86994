"""Steps and expected texts shared by the IVF queue handler tests."""

from itertools import islice

from bot.console.user import BotReply, LocalUser
from tests.support.catalog import tr
from tests.support.factories import queue_csv, synthetic_iins

IINS = list(islice(synthetic_iins(), 4))
# As the department wrote them, and as Telegram sends the user's own contact.
FILE_PHONES = ["8 (701) 123-45-67", "+7 702 111 22 33", "87051234567", "7 747 000 11 22"]
CONTACT_PHONES = ["77011234567", "+77021112233", "77051234567", "77470001122"]

MENU = "🔢 My place in the IVF queue"
SHARE = "📱 Share my phone number"
ASK_PHONE = (
    "Your place in the IVF waiting list is personal, so first I need to make sure it is you. "
    "Please press «{button}» below: Telegram sends me the number of this account, and it must "
    "be the number the health department has for you.\n\nI keep neither your number nor your "
    "IIN in readable form, only a protected code."
)
ASK_IIN = (
    "Thank you. Now send your IIN, 12 digits. I will delete your message with it from this "
    "chat as soon as I have read it."
)
OTHERS_CONTACT = (
    "This is someone else's contact card. I show a place in the queue only to its owner: "
    "please press «{button}» to share your own number."
)
TYPED_PHONE = (
    "Please do not type the number: press the «{button}» button below. That way Telegram "
    "confirms that the number is yours."
)
NOT_FOUND = (
    "I found no record for this phone number and IIN. The IVF waiting list is kept by "
    "{department}: please contact them or your polyclinic to check your place, and make sure "
    "they have your current phone number."
)
ANY_DEPARTMENT = "the health department of your region or city"
HOURLY = (
    "You can look up your place 5 times an hour, and this hour's look-ups are used up. "
    "Please try again in {count} minute. The limit protects everyone's personal data."
)
AFTER_FAILURE = (
    "The last look-up found nothing, so please wait {count} minute before the next one: the "
    "pause grows after each unsuccessful try, so that nobody can guess other people's data. "
    "Meanwhile, check which phone number the health department has."
)
NOTIFY_ON = "🔔 Tell me when it changes"
CHANGED = "<b>Your IVF queue record has changed</b>"
LOADED = "The list is loaded: {count} row. It replaced the previous list of: {regions}."
FAILED = (
    "Nothing was changed: {bad} row has errors ({good} rows are fine). "
    "Please correct it and send the whole file again."
)
KYZYLORDA = {"kk": "Қызылорда облысы", "ru": "Кызылординская область"}


def rows(positions: tuple[int, ...] = (1, 2, 3)) -> list[list[str]]:
    return [
        [IINS[i], FILE_PHONES[i], "Кызылорда", str(position), "ожидает", "01.11.2026"]
        for i, position in enumerate(positions)
    ]


async def upload(staff: LocalUser, positions: tuple[int, ...] = (1, 2, 3)) -> list[BotReply]:
    return await staff.send_document("queue.csv", queue_csv(rows(positions), bom=True))


async def open_look_up(
    user: LocalUser, locale: str, staff: LocalUser, positions: tuple[int, ...] = (1, 2, 3)
) -> list[BotReply]:
    """The list is loaded and the user opens the look-up: the bot asks for the phone."""
    await upload(staff, positions)
    return await user.click(tr(MENU, locale))


async def reach_iin_step(user: LocalUser, locale: str, staff: LocalUser) -> None:
    """The list is loaded and the user has shared their phone: the bot asks for the IIN."""
    await open_look_up(user, locale, staff)
    await user.share_contact(CONTACT_PHONES[0])


async def look_up(user: LocalUser, locale: str, phone: str, iin: str) -> list[BotReply]:
    await user.click(tr(MENU, locale))
    await user.share_contact(phone)
    return await user.send(iin)
