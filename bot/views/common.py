"""What every feature shares on screen: the main menu, THE pager, THE region picker, one Back
label, and `show()`, which puts a screen in front of the user. Labels are msgids translated in
the user's locale when a keyboard is built."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n.context import get_i18n
from aiogram.utils.keyboard import InlineKeyboardBuilder, ReplyKeyboardBuilder

from bot.i18n import N_, current_locale
from bot.services.regions import Region

# The one «Back» of every screen.
BACK = N_("⬅️ Back")
STALE_BUTTON = N_("This button is out of date.")
# The «2/3» label between the pager's arrows: pressing it changes nothing (handlers/fallback.py).
PAGE_LABEL_DATA = "page:noop"
REGIONS_PER_PAGE = 8
# Language names are written in their own language on purpose: a person who cannot read the
# other language must still find theirs.
LANGUAGE_NAMES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский"}


class IvfAction(CallbackData, prefix="ivf"):
    """IVF menu entries; `IvfAction(action="check")` starts the eligibility check from anywhere.
    Here, not in views/ivf.py, because answers of other features offer them too."""

    action: str


class MenuButton:
    """Main-menu labels. A feature adds its entry here when it works, never before."""

    IVF_QUEUE = N_("🔢 My place in the IVF queue")
    IVF = N_("👶 IVF «Аңсаған сәби»")
    TOPICS = N_("📚 Topics")
    HELP = N_("ℹ️ Help")
    LANGUAGE = N_("🌐 Language")
    FACILITIES = N_("🏥 New facilities")
    MY_REGION = N_("📍 My region")
    MOBILE_CLINICS = N_("🚐 Mobile clinics")
    SUBSCRIPTIONS = N_("🔔 Subscriptions")


# Rows of the main menu, top to bottom.
MAIN_MENU_ROWS: list[list[str]] = [
    [MenuButton.TOPICS],
    [MenuButton.IVF, MenuButton.IVF_QUEUE],
    [MenuButton.MOBILE_CLINICS, MenuButton.FACILITIES],
    [MenuButton.MY_REGION, MenuButton.SUBSCRIPTIONS],
    [MenuButton.HELP, MenuButton.LANGUAGE],  # always last
]
# Every main-menu label: a dialog step lets these pass to their own routers.
MENU_LABELS: tuple[str, ...] = tuple(label for row in MAIN_MENU_ROWS for label in row)

_main_menus: dict[str, ReplyKeyboardMarkup] = {}


def main_menu() -> ReplyKeyboardMarkup:
    # Built once per language: the menu is the same for everyone and sent with most replies.
    locale = get_i18n().current_locale
    if locale not in _main_menus:
        builder = ReplyKeyboardBuilder()
        for row in MAIN_MENU_ROWS:
            builder.row(*(KeyboardButton(text=_(msgid)) for msgid in row))
        _main_menus[locale] = builder.as_markup(resize_keyboard=True, is_persistent=True)
    return _main_menus[locale]


# Screens -----------------------------------------------------------------------------------
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


@dataclass(frozen=True, slots=True)
class Screen:
    """A text and the keyboard under it: what a view returns and `show()` puts in the chat."""

    text: str
    markup: Markup | None = None


async def show(
    target: Message | CallbackQuery,
    screen: Screen,
    *,
    toast: str | None = None,
    in_place: bool = False,
) -> None:
    """Answer a message with `screen`; on a button press stop its spinner (with `toast`), then
    replace the pressed message (`in_place`: browsing must not flood the chat) or send anew."""
    if isinstance(target, Message):
        await target.answer(screen.text, reply_markup=screen.markup)
        return
    # Telegram accepts one answer per callback query: the toast, or an empty one.
    await target.answer(toast)
    message = target.message
    if (
        in_place
        and isinstance(message, Message)
        and not isinstance(screen.markup, ReplyKeyboardMarkup)
    ):
        try:
            await message.edit_text(screen.text, reply_markup=screen.markup)
        except TelegramBadRequest as error:
            # A double tap asks for the screen already shown; Telegram refuses a no-op edit.
            if "message is not modified" not in error.message:
                raise
        return
    if message is not None:
        await message.answer(screen.text, reply_markup=screen.markup)


def stale_button() -> str:
    return _(STALE_BUTTON)


async def show_pressed(
    callback: CallbackQuery, screen: Screen | None, *, in_place: bool = False
) -> None:
    """A button's screen, or «out of date» when what the button points to (None) or the
    message it was under is gone."""
    if screen is None or callback.message is None:
        await callback.answer(stale_button())
        return
    await show(callback, screen, in_place=in_place)


def shows(
    make_screen: Callable[[], Screen],
) -> Callable[[Message | CallbackQuery], Awaitable[None]]:
    """The handler of a message or button whose only answer is the fixed screen `make_screen()`
    (built at each call: it is in the user's language)."""

    async def show_fixed_screen(target: Message | CallbackQuery) -> None:
        await show(target, make_screen())

    return show_fixed_screen


# The pager and the region picker -----------------------------------------------------------
def page_count(count: int, per_page: int) -> int:
    return max(1, -(-count // per_page))


def clamp_page(page: int, count: int, per_page: int) -> int:
    return min(max(page, 0), page_count(count, per_page) - 1)


def pager_row(
    page: int, pages: int, turn: Callable[[int], CallbackData]
) -> list[InlineKeyboardButton]:
    """THE pager: «◀️ 2/3 ▶️»; nothing when everything fits on one page."""
    if pages <= 1:
        return []
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(text="◀️", callback_data=turn(page - 1).pack()))
    row.append(InlineKeyboardButton(text=f"{page + 1}/{pages}", callback_data=PAGE_LABEL_DATA))
    if page < pages - 1:
        row.append(InlineKeyboardButton(text="▶️", callback_data=turn(page + 1).pack()))
    return row


def back_button(back: CallbackData, label: str | None = None) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=label or _(BACK), callback_data=back.pack())


def paged_keyboard(
    items: Sequence[tuple[str, CallbackData]],
    page: int,
    turn: Callable[[int], CallbackData],
    *,
    per_page: int,
    columns: int = 1,
    back: CallbackData | None = None,
    footer: Sequence[tuple[str, CallbackData]] = (),
) -> InlineKeyboardMarkup:
    """One page of buttons, `columns` a row, then the pager, «Back» when there is one, and
    the `footer` buttons one a row."""
    page = clamp_page(page, len(items), per_page)
    chunk = items[page * per_page : (page + 1) * per_page]
    builder = InlineKeyboardBuilder()
    for start in range(0, len(chunk), columns):
        builder.row(
            *(
                InlineKeyboardButton(text=label, callback_data=data.pack())
                for label, data in chunk[start : start + columns]
            )
        )
    navigation = pager_row(page, page_count(len(items), per_page), turn)
    if navigation:
        builder.row(*navigation)
    if back is not None:
        builder.row(back_button(back))
    for label, data in footer:
        builder.row(InlineKeyboardButton(text=label, callback_data=data.pack()))
    return builder.as_markup()


def cities_first(regions: Sequence[Region]) -> list[Region]:
    # The three cities first: most people live there and look for them first.
    return sorted(regions, key=lambda region: region.kind != "city")


def region_picker(
    regions: Sequence[Region],
    page: int,
    pick: Callable[[Region], CallbackData],
    turn: Callable[[int], CallbackData],
    *,
    back: CallbackData | None = None,
    label: Callable[[Region], str] | None = None,
    extra: Sequence[tuple[str, CallbackData]] = (),
) -> InlineKeyboardMarkup:
    """THE region picker: cities first, two a row, eight a page, the pager, «Back».
    `extra` buttons (e.g. «The whole country») follow the regions."""
    locale = current_locale()
    items = [
        (label(region) if label else region.name(locale), pick(region))
        for region in cities_first(regions)
    ]
    items += list(extra)
    return paged_keyboard(items, page, turn, per_page=REGIONS_PER_PAGE, columns=2, back=back)


def one_row(*buttons: tuple[str, CallbackData]) -> InlineKeyboardMarkup:
    """Buttons side by side, in the order given."""
    builder = InlineKeyboardBuilder()
    builder.row(
        *(InlineKeyboardButton(text=text, callback_data=data.pack()) for text, data in buttons)
    )
    return builder.as_markup()


def yes_no_keyboard(
    yes_text: str, no_text: str, answer: Callable[[bool], CallbackData]
) -> InlineKeyboardMarkup:
    """Two buttons side by side, the confirming one first; `answer(True)` and `answer(False)` are
    their callback data."""
    return one_row((yes_text, answer(True)), (no_text, answer(False)))
