"""Texts and inline keyboards for «New facilities», in the current locale."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_, current_locale, format_date, format_number
from bot.services.facilities import (
    NATIONAL,
    Facility,
    FacilityDirectory,
    FacilitySearchResult,
    FacilityType,
    RenamedPlace,
    Status,
    StatusStatement,
)
from bot.services.regions import Region
from bot.views.common import (
    BACK,
    MenuButton,
    Screen,
    back_button,
    clamp_page,
    one_row,
    paged_keyboard,
    region_picker,
)

FACILITIES_PER_PAGE = 6
FIRST_PAGE_OF_MANY = 8

STATUS_LABELS: dict[Status, str] = {
    Status.PLANNED: N_("planned"),
    Status.DESIGN: N_("being designed"),
    Status.UNDER_CONSTRUCTION: N_("under construction"),
    Status.OPEN: N_("open"),
    Status.UNCLEAR: N_("not in the latest list"),
}
STATUS_MARKS: dict[Status, str] = {
    Status.PLANNED: "📝",
    Status.DESIGN: "📐",
    Status.UNDER_CONSTRUCTION: "🏗",
    Status.OPEN: "✅",
    Status.UNCLEAR: "❔",
}


class FacilityMenu(CallbackData, prefix="facm"):
    view: str  # "home", "types" or "regions"
    page: int = 0


class FacilityList(CallbackData, prefix="facl"):
    kind: str  # "t": a facility type, "r": a region code
    key: str
    page: int = 0


class FacilityCard(CallbackData, prefix="facc"):
    id: str
    kind: str  # where «Back» returns: the list it was opened from
    key: str
    page: int = 0


# Dates and statuses ------------------------------------------------------------------------
def render_as_of(statement: StatusStatement) -> str:
    if statement.as_of is None:
        return _("date not given")
    parts = [int(part) for part in statement.as_of.split("-")]
    if len(parts) == 3:
        text = format_date(date(*parts))
    elif len(parts) == 2:
        text = format_date(date(parts[0], parts[1], 1), "LLLL y")
    else:
        text = str(parts[0])
    return _("about {date}").format(date=text) if statement.approx else text


def render_statement(statement: StatusStatement, locale: str) -> str:
    label = _(STATUS_LABELS[statement.status])
    note = f": {html.quote(statement.note.get(locale))}" if statement.note else ""
    return _("{date} — {status}{note} (source: {source})").format(
        date=render_as_of(statement),
        status=label,
        note=note,
        source=html.quote(statement.source.get(locale)),
    )


def region_label(facility: Facility, directory: FacilityDirectory, locale: str) -> str:
    if facility.is_national:
        return _("the whole country")
    region = directory.region(facility.region_code)
    return region.name(locale) if region else facility.region_code


def facility_line(facility: Facility, locale: str) -> str:
    latest = facility.latest
    mark, name = STATUS_MARKS[latest.status], html.quote(facility.name.get(locale))
    return f"{mark} {name} — {_(STATUS_LABELS[latest.status])} ({render_as_of(latest)})"


def _where(facility: Facility, directory: FacilityDirectory, locale: str) -> str:
    city = html.quote(facility.city.get(locale))
    if facility.is_national:
        return f"📍 {city}"
    return f"📍 {city} · {html.quote(region_label(facility, directory, locale))}"


def render_card(facility: Facility, directory: FacilityDirectory) -> str:
    locale = current_locale()
    latest = facility.latest
    lines = [
        f"🏥 <b>{html.quote(facility.name.get(locale))}</b>",
        html.quote(directory.type_info(facility.type).name.get(locale)),
        _where(facility, directory, locale),
        "",
        html.quote(facility.offers.get(locale)),
    ]
    if facility.figures:
        lines.append(html.quote(facility.figures.get(locale)))
    lines += [
        "",
        _("<b>Status ({date}): {status}</b>").format(
            date=render_as_of(latest), status=_(STATUS_LABELS[latest.status])
        ),
        _("Source: {source}").format(source=html.quote(latest.source.get(locale))),
    ]
    if len(facility.statuses) > 1:
        lines += ["", _("<b>What the sources said, by date:</b>")]
        lines += [f"• {render_statement(s, locale)}" for s in facility.statuses]
    if facility.disagreement:
        lines += [
            "",
            _("⚠️ Sources disagree: {text}").format(
                text=html.quote(facility.disagreement.get(locale))
            ),
        ]
    if facility.unverified:
        lines += [
            "",
            _("❔ Not confirmed: {text}").format(text=html.quote(facility.unverified.get(locale))),
        ]
    return "\n".join(lines)


def render_renamed(renamed: Sequence[RenamedPlace]) -> str:
    locale = current_locale()
    return "\n".join(f"ℹ️ {html.quote(r.note.get(locale))}" for r in renamed)


# Browsing keyboards ------------------------------------------------------------------------
def home_text() -> str:
    return _(
        "New perinatal centres, university clinics, modernised district hospitals, proton "
        "therapy and PET/CT: what is planned, built and open, with dates and sources. "
        "How would you like to look?"
    )


def home_keyboard() -> InlineKeyboardMarkup:
    return one_row(
        (_("By type"), FacilityMenu(view="types")), (_("By region"), FacilityMenu(view="regions"))
    )


def home() -> Screen:
    return Screen(home_text(), home_keyboard())


def types_keyboard(directory: FacilityDirectory) -> InlineKeyboardMarkup:
    locale = current_locale()
    builder = InlineKeyboardBuilder()
    for info in directory.types():
        count = len(directory.by_type(info.type))
        builder.button(
            text=f"{info.name.get(locale)} ({count})",
            callback_data=FacilityList(kind="t", key=info.type.value),
        )
    builder.adjust(1)
    builder.row(back_button(FacilityMenu(view="home")))
    return builder.as_markup()


def types(directory: FacilityDirectory) -> Screen:
    return Screen(_("Choose a type:"), types_keyboard(directory))


def regions_keyboard(
    directory: FacilityDirectory, regions: Sequence[Region], page: int
) -> InlineKeyboardMarkup:
    def with_count(region: Region) -> str:
        return f"{region.name(current_locale())} ({len(directory.by_region(region.code))})"

    national = f"{_('The whole country')} ({len(directory.national())})"
    return region_picker(
        regions,
        page,
        pick=lambda region: FacilityList(kind="r", key=region.code),
        turn=lambda number: FacilityMenu(view="regions", page=number),
        back=FacilityMenu(view="home"),
        label=with_count,
        extra=[(national, FacilityList(kind="r", key=NATIONAL))],
    )


def regions(directory: FacilityDirectory, regions: Sequence[Region], page: int) -> Screen:
    return Screen(_("Choose a region:"), regions_keyboard(directory, regions, page))


def list_keyboard(
    facilities: Sequence[Facility], kind: str, key: str, page: int, back: str | None
) -> InlineKeyboardMarkup:
    """One button per facility on this page, the pager, and «Back» to `back` view."""
    locale = current_locale()
    page = clamp_page(page, len(facilities), FACILITIES_PER_PAGE)
    items = [
        (
            f"{STATUS_MARKS[facility.latest.status]} {facility.name.get(locale)}",
            FacilityCard(id=facility.id, kind=kind, key=key, page=page),
        )
        for facility in facilities
    ]
    return paged_keyboard(
        items,
        page,
        lambda number: FacilityList(kind=kind, key=key, page=number),
        per_page=FACILITIES_PER_PAGE,
        back=FacilityMenu(view=back) if back is not None else None,
    )


def card_keyboard(card: FacilityCard) -> InlineKeyboardMarkup:
    return one_row((_(BACK), FacilityList(kind=card.kind, key=card.key, page=card.page)))


def card(facility: Facility, directory: FacilityDirectory, opened_from: FacilityCard) -> Screen:
    return Screen(render_card(facility, directory), card_keyboard(opened_from))


def facility_list(directory: FacilityDirectory, kind: str, key: str, page: int) -> Screen | None:
    """The facilities of a type (`kind` "t") or of a region (`kind` "r"); None for a type or
    region no longer in the data (a button from before it changed)."""
    if kind == "t" and key in FacilityType.__members__.values():
        facility_type = FacilityType(key)
        items = directory.by_type(facility_type)
        return Screen(
            type_list_text(directory, facility_type),
            list_keyboard(items, kind, key, page, "types"),
        )
    if kind != "r" or (key != NATIONAL and directory.region(key) is None):
        return None
    return Screen(
        region_list_text(directory, key),
        list_keyboard(directory.by_region(key), kind, key, page, "regions"),
    )


def type_list_text(directory: FacilityDirectory, facility_type: FacilityType) -> str:
    locale = current_locale()
    info = directory.type_info(facility_type)
    return "<b>{name}</b>\n{summary}\n\n{choose}".format(
        name=html.quote(info.name.get(locale)),
        summary=html.quote(info.summary.get(locale)),
        choose=_("Choose a facility:"),
    )


def region_list_text(directory: FacilityDirectory, code: str) -> str:
    locale = current_locale()
    facilities = directory.by_region(code)
    if code == NATIONAL:
        name = _("The whole country")
        region = None
    else:
        region = directory.region(code)
        name = region.name(locale) if region else code
    if not facilities and region is not None and region.kind == "city":
        return _(
            "<b>{region}</b>\nMy sources name no new or modernised facility in this city yet. "
            "Ask the city's public health department or your polyclinic."
        ).format(region=html.quote(name))
    if not facilities:
        return _(
            "<b>{region}</b>\nMy sources name no new or modernised facility in this region yet. "
            "Which of the 32 district hospitals being modernised are here, ask the regional "
            "health department."
        ).format(region=html.quote(name))
    count = ngettext(
        "{count} facility in my sources:", "{count} facilities in my sources:", len(facilities)
    ).format(count=format_number(len(facilities)))
    return f"<b>{html.quote(name)}</b>\n{count}"


# Typed questions ---------------------------------------------------------------------------
def search_answer(
    result: FacilitySearchResult, directory: FacilityDirectory
) -> tuple[str, InlineKeyboardMarkup | None]:
    locale = current_locale()
    notes = [render_renamed(result.renamed)] if result.renamed else []
    if result.region is not None and all(f.is_national for f in result.facilities):
        # Some of the 32 district hospitals may be in the region: do not say «none» for them.
        if result.types and not result.facilities:
            type_names = ", ".join(directory.type_info(t).name.get(locale) for t in result.types)
            notes.append(
                _("My sources name nothing of this kind ({types}) in {region}.").format(
                    types=html.quote(type_names), region=html.quote(result.region.name(locale))
                )
            )
        elif not result.types:
            notes.append(region_list_text(directory, result.region.code))
    if not result.facilities:
        if not result.types:
            return "\n\n".join(notes) or home_text(), home_keyboard()
        first_type = result.types[0]
        notes.append(type_list_text(directory, first_type))
        facilities = directory.by_type(first_type)
        return "\n\n".join(notes), list_keyboard(facilities, "t", first_type.value, 0, None)
    first_type = result.types[0] if result.types else result.facilities[0].type
    if len(result.facilities) == 1:
        facility = result.facilities[0]
        card = FacilityCard(id=facility.id, kind="t", key=facility.type.value)
        return "\n\n".join([*notes, render_card(facility, directory)]), card_keyboard(card)
    if result.region is None and len(result.types) == 1:
        notes.append(type_list_text(directory, first_type))
        shown = result.facilities
    else:
        # «жаңа ауруханалар» matches every type: 32 lines are unreadable on a phone, and the
        # buttons below page through one type only. A short first page, and where the rest are.
        notes.append(_("Here is what I found:"))
        shown = result.facilities[:FIRST_PAGE_OF_MANY]
    notes.append("\n".join(facility_line(f, locale) for f in shown))
    rest = len(result.facilities) - len(shown)
    if rest > 0:
        notes.append(
            ngettext(
                "…and {count} more. Ask about one kind (perinatal centre, university clinic, "
                "PET/CT…) or open «{button}» to browse by type or region.",
                "…and {count} more. Ask about one kind (perinatal centre, university clinic, "
                "PET/CT…) or open «{button}» to browse by type or region.",
                rest,
            ).format(count=format_number(rest), button=_(MenuButton.FACILITIES))
        )
    keyboard = list_keyboard(result.facilities, "t", first_type.value, 0, None)
    return "\n\n".join(notes), keyboard
