"""Staff in the tests: the administrator's id and the steps that bring staff members in."""

from collections.abc import Callable
from datetime import UTC, datetime

from bot.app import App
from bot.console.user import LocalUser
from tests.support.users import choose_language

# The administrator: the one Telegram id the test settings put in STAFF_IDS.
STAFF_ID = 777


async def start_staff(make_user: Callable[..., LocalUser], locale: str = "ru") -> LocalUser:
    """The administrator (STAFF_IDS) after choosing their language."""
    return await choose_language(make_user(user_id=STAFF_ID, language_code="ru"), locale)


async def staff_member(
    app: App, make_user: Callable[..., LocalUser], user_id: int, region: str
) -> LocalUser:
    """A staff member added by the administrator, limited to `region`, who chose Russian."""
    await app.dispatcher["staff_members"].add(user_id, region, STAFF_ID, datetime.now(UTC))
    return await choose_language(make_user(user_id=user_id), "ru")
