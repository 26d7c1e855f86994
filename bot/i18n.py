"""gettext catalogs, the locale of each update, and Babel formatting in that locale."""

from __future__ import annotations

import contextlib
import logging
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import ErrorEvent, Message, TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from aiogram.utils.i18n.context import get_i18n
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.config import SUPPORTED_LOCALES
from bot.db.users import UserRepository
from bot.services.language import detect_language
from bot.services.mobile_schedule import KZ_TZ
from bot.telegram.middlewares import NextHandler

logger = logging.getLogger(__name__)
DOMAIN = "messages"
# Dates citizens see are Kazakhstan's (one zone, UTC+5, since March 2024).
KAZAKHSTAN = ZoneInfo("Asia/Almaty")
DAYS_WITHOUT_YEAR = 365


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a msgid for extraction; it is translated where it is shown."""
    return msgid


def compile_catalogs(locales_path: Path) -> list[Path]:
    """Compile every `.po` into its `.mo` when the `.mo` is missing or older (build output)."""
    compiled = []
    for po_path in sorted(locales_path.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        tmp_path = mo_path.with_suffix(".mo.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        tmp_path.replace(mo_path)
        compiled.append(mo_path)
    return compiled


def create_i18n(locales_path: Path, default_locale: str) -> I18n:
    compile_catalogs(locales_path)
    return I18n(path=locales_path, default_locale=default_locale, domain=DOMAIN)


def current_locale() -> str:
    return get_i18n().current_locale


def format_number(value: float) -> str:
    """7000 → «7 000» in both locales (Babel's grouping for kk and ru)."""
    return format_decimal(value, locale=current_locale())


def format_date(value: date, pattern: str = "d MMMM y") -> str:
    return babel_format_date(value, pattern, locale=current_locale())


def today_in_kazakhstan() -> date:
    return datetime.now(KAZAKHSTAN).date()


def _far(value: date, today: date | None) -> bool:
    # Within a year either way the year goes without saying; further away it must be shown.
    return abs((value - (today or today_in_kazakhstan())).days) > DAYS_WITHOUT_YEAR


def format_day(value: date, today: date | None = None) -> str:
    """«12 тамыз, сейсенбі» / «12 августа, вторник»; «15 июня 2030, суббота» when far away."""
    pattern = "d MMMM y, EEEE" if _far(value, today) else "d MMMM, EEEE"
    return babel_format_date(value, pattern, locale=current_locale())


def format_short_day(value: date, today: date | None = None) -> str:
    """«12 тамыз» / «12 августа»; «15 июня 2030» when more than a year away."""
    pattern = "d MMMM y" if _far(value, today) else "d MMMM"
    return babel_format_date(value, pattern, locale=current_locale())


def format_month(value: date) -> str:
    """«қараша 2025» / «ноябрь 2025» (the month's own name, not the genitive of a date)."""
    text = babel_format_date(value, "LLLL y", locale=current_locale())
    # CLDR capitalises the Kazakh stand-alone month («Қараша»); it stands mid-sentence here.
    return text[:1].lower() + text[1:]


def format_as_of(text: str) -> str:
    """A source's "as of" as written in the data: «2025-11» → «қараша 2025», «2021» → «2021»."""
    parts = text.strip().split("-")
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return text
    if len(numbers) == 2:  # noqa: PLR2004 - year and month
        return format_month(date(numbers[0], numbers[1], 1))
    if len(numbers) == 3:  # noqa: PLR2004 - a whole date
        return format_date(date(numbers[0], numbers[1], numbers[2]))
    return text


def format_datetime(value: datetime, pattern: str = "d MMMM y, HH:mm") -> str:
    """A moment as people in Kazakhstan read a clock (Asia/Almaty), whatever the server's zone."""
    return babel_format_datetime(value, pattern, tzinfo=KZ_TZ, locale=current_locale())


def _unwrap(event: TelegramObject) -> TelegramObject:
    # The errors observer gets an ErrorEvent; the person is in the update it wraps.
    return event.update.event if isinstance(event, ErrorEvent) else event


def _event_user(event: TelegramObject) -> User | None:
    event = _unwrap(event)
    user = getattr(event, "from_user", None)
    return user if isinstance(user, User) else None


_BUTTON_LABEL_MAX = 48
_STARTS_LIKE_WORDS = re.compile(r"[0-9a-zа-яёәғқңөұүһіáǵıńóúý«\"'(]", re.IGNORECASE)


def _event_text(event: TelegramObject) -> str | None:
    """The text whose language tells the reply language: not commands, not button labels."""
    event = _unwrap(event)
    if isinstance(event, Message):
        text = event.text or event.caption
        if text and not text.startswith("/") and not _looks_like_button(text):
            return text
    return None


# FSM state groups of staff dialogs: what staff type there is an announcement (or its
# correction) in either language, not a sign of the language they want to be answered in.
STAFF_DIALOG_STATE_GROUPS = ("Broadcast", "Correction")


def in_staff_dialog(raw_state: object) -> bool:
    """True inside a staff dialog state such as «BroadcastForm:text_kk»."""
    if not isinstance(raw_state, str):
        return False
    group = raw_state.split(":", 1)[0]
    return any(name in group for name in STAFF_DIALOG_STATE_GROUPS)


def _looks_like_button(text: str) -> bool:
    # Our reply-keyboard labels start with an emoji. A label is no evidence of the language:
    # «👶 IVF «Аңсаған сәби»» has Kazakh letters in its Russian form too.
    # «ℹ️» is a letter to str.isalnum(), so ask whether the label starts like written words.
    return len(text) <= _BUTTON_LABEL_MAX and not _STARTS_LIKE_WORDS.match(text)


class UserLocaleMiddleware(I18nMiddleware):
    """Picks the reply language and makes the user record available as `user_record`.

    Order: the language of the text itself when it is unmistakable (a Kazakh question gets a
    Kazakh answer even when Telegram says `ru`, which most Kazakh speakers have, and
    «ребенок не дышит» gets the Russian emergency text from someone who chose Kazakh), then
    the stored choice, then the language the user last wrote in, then Telegram's
    `language_code`, then the default.

    Every unmistakable message is remembered as the last language written in, whether or not
    the user chose one: it answers their undecided messages («ЭКО», «40») if they never choose,
    or after /forget. Text typed inside a staff dialog (an announcement in Kazakh, then in
    Russian) is content, not the staff member's language: there the chosen language holds and
    nothing is remembered.
    """

    def __init__(self, i18n: I18n, users: UserRepository) -> None:
        super().__init__(i18n=i18n)
        self.users = users

    async def __call__(
        self, handler: NextHandler, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        locale = await self.prepare(event, data)
        with self.i18n.context(), self.i18n.use_locale(locale):
            return await handler(event, data)

    async def prepare(self, event: TelegramObject, data: dict[str, Any]) -> str:
        """Put the user record and the catalogs in `data`; the reply language. (aiogram's
        I18nMiddleware.__call__ without its layer: bot.telegram.middlewares.UpdateMiddleware
        runs this as one of its jobs.)"""
        user = _event_user(event)
        if user is not None and not user.is_bot:
            if isinstance(event, ErrorEvent):
                # Handling an error must not fail again on the same cause (e.g. the database).
                with contextlib.suppress(Exception):
                    data["user_record"] = await self.users.get(user.id)
            else:
                data["user_record"] = await self.users.touch(user.id)
        locale = await self.get_locale(event, data) or self.i18n.default_locale
        if self.i18n_key:
            data[self.i18n_key] = self.i18n
        data[self.middleware_key] = self
        return locale

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        record = data.get("user_record")
        text = None if in_staff_dialog(data.get("raw_state")) else _event_text(event)
        detected = detect_language(text) if text else None
        if detected is not None:
            if record is not None and record.inferred_language != detected:
                await self.users.set_inferred_language(record.id, detected)
            return str(detected)
        if record is not None and record.language in SUPPORTED_LOCALES:
            return str(record.language)
        if record is not None and record.inferred_language in SUPPORTED_LOCALES:
            return str(record.inferred_language)
        user = _event_user(event)
        if user is not None and user.language_code:
            code = user.language_code.split("-")[0].lower()
            if code in SUPPORTED_LOCALES:
                return code
        return self.i18n.default_locale
