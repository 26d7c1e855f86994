"""Texts and inline keyboards for «New facilities» and «My region», in the current locale."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_, current_locale, format_date, format_number, format_short_day
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
from bot.services.my_region import RegionSummary
from bot.services.regions import Region
from bot.views.common import MenuButton
from bot.views.ivf import quota_figure_line

# The «2/3» label between the arrows: pressing it changes nothing.
PAGE_LABEL_DATA = "page:noop"
FACILITIES_PER_PAGE = 6
FIRST_PAGE_OF_MANY = 8
REGIONS_PER_PAGE = 8

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


class RegionPick(CallbackData, prefix="myrp"):
    code: str


class RegionPickPage(CallbackData, prefix="myrg"):
    page: int


class RegionAction(CallbackData, prefix="myra"):
    action: str  # "change" or "remove"


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
def _pager(builder: InlineKeyboardBuilder, page: int, pages: int, **fields: str) -> None:
    if pages <= 1:
        return
    row = []
    if page > 0:
        row.append(_button("◀️", _paged(fields, page - 1)))
    row.append(_button(f"{page + 1}/{pages}", PAGE_LABEL_DATA))
    if page < pages - 1:
        row.append(_button("▶️", _paged(fields, page + 1)))
    builder.row(*row)


def _paged(fields: dict[str, str], page: int) -> str:
    kind = fields["cb"]
    if kind == "list":
        return FacilityList(kind=fields["kind"], key=fields["key"], page=page).pack()
    if kind == "regions":
        return FacilityMenu(view="regions", page=page).pack()
    return RegionPickPage(page=page).pack()


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _pages(count: int, per_page: int) -> int:
    return max(1, -(-count // per_page))


def home_text() -> str:
    return _(
        "New perinatal centres, university clinics, modernised district hospitals, proton "
        "therapy and PET/CT: what is planned, built and open, with dates and sources. "
        "How would you like to look?"
    )


def _one_row(*buttons: tuple[str, CallbackData]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.row(*(_button(text, data.pack()) for text, data in buttons))
    return builder.as_markup()


def home_keyboard() -> InlineKeyboardMarkup:
    return _one_row(
        (_("By type"), FacilityMenu(view="types")), (_("By region"), FacilityMenu(view="regions"))
    )


def types_keyboard(directory: FacilityDirectory) -> InlineKeyboardMarkup:
    locale = current_locale()
    builder = InlineKeyboardBuilder()
    for info in directory.types():
        count = len(directory.by_type(info.type))
        builder.button(
            text=f"{info.name.get(locale)} ({count})",
            callback_data=FacilityList(kind="t", key=info.type.value),
        )
    builder.button(text=_("⬅️ Back"), callback_data=FacilityMenu(view="home"))
    builder.adjust(1)
    return builder.as_markup()


def regions_keyboard(
    directory: FacilityDirectory, regions: list[Region], page: int
) -> InlineKeyboardMarkup:
    locale = current_locale()
    entries = [
        (region.name(locale), region.code, len(directory.by_region(region.code)))
        for region in regions
    ] + [(_("The whole country"), NATIONAL, len(directory.national()))]
    pages = _pages(len(entries), REGIONS_PER_PAGE)
    page = min(max(page, 0), pages - 1)
    builder = InlineKeyboardBuilder()
    for name, code, count in entries[page * REGIONS_PER_PAGE : (page + 1) * REGIONS_PER_PAGE]:
        builder.row(_button(f"{name} ({count})", FacilityList(kind="r", key=code).pack()))
    _pager(builder, page, pages, cb="regions")
    builder.row(_button(_("⬅️ Back"), FacilityMenu(view="home").pack()))
    return builder.as_markup()


def list_keyboard(
    facilities: Sequence[Facility], kind: str, key: str, page: int, back: str | None
) -> InlineKeyboardMarkup:
    """One button per facility on this page, paging arrows, and «Back» to `back` view."""
    locale = current_locale()
    pages = _pages(len(facilities), FACILITIES_PER_PAGE)
    page = min(max(page, 0), pages - 1)
    builder = InlineKeyboardBuilder()
    start = page * FACILITIES_PER_PAGE
    for facility in facilities[start : start + FACILITIES_PER_PAGE]:
        mark = STATUS_MARKS[facility.latest.status]
        builder.row(
            _button(
                f"{mark} {facility.name.get(locale)}",
                FacilityCard(id=facility.id, kind=kind, key=key, page=page).pack(),
            )
        )
    _pager(builder, page, pages, cb="list", kind=kind, key=key)
    if back is not None:
        builder.row(_button(_("⬅️ Back"), FacilityMenu(view=back).pack()))
    return builder.as_markup()


def card_keyboard(card: FacilityCard) -> InlineKeyboardMarkup:
    return _one_row((_("⬅️ Back"), FacilityList(kind=card.kind, key=card.key, page=card.page)))


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


# My region ---------------------------------------------------------------------------------
def region_pick_keyboard(regions: list[Region], page: int) -> InlineKeyboardMarkup:
    locale = current_locale()
    pages = _pages(len(regions), REGIONS_PER_PAGE)
    page = min(max(page, 0), pages - 1)
    builder = InlineKeyboardBuilder()
    for region in regions[page * REGIONS_PER_PAGE : (page + 1) * REGIONS_PER_PAGE]:
        builder.row(_button(region.name(locale), RegionPick(code=region.code).pack()))
    _pager(builder, page, pages, cb="pick")
    return builder.as_markup()


def my_region_keyboard() -> InlineKeyboardMarkup:
    return _one_row(
        (_("✏️ Change region"), RegionAction(action="change")),
        (_("🗑 Remove region"), RegionAction(action="remove")),
    )


def _quota_section(summary: RegionSummary) -> list[str]:
    lines = [_("<b>IVF quotas («Аңсаған сәби»)</b>")]
    if summary.quotas.quotas:
        lines += [quota_figure_line(figure) for figure in summary.quotas.quotas]
    else:
        lines.append(_("My sources have no quota figures for this region."))
    national = summary.national_quotas
    lines.append(
        _("Nationally: {quotas} quotas a year since {since} (source: {source}).").format(
            quotas=format_number(national.quotas_per_year),
            since=national.since,
            source=html.quote(national.source(current_locale())),
        )
    )
    return lines


def _facility_section(summary: RegionSummary) -> list[str]:
    locale = current_locale()
    lines = [_("<b>New facilities</b>")]
    if summary.facilities:
        lines += [facility_line(f, locale) for f in summary.facilities]
    else:
        lines.append(_("My sources name no new or modernised facility in this region yet."))
    lines += [facility_line(f, locale) for f in summary.national_programmes]
    return lines


def _mobile_section(summary: RegionSummary) -> list[str]:
    # Filled by the mobile-complex schedule feature through RegionSummaries(mobile_stops=...).
    lines = [_("<b>Mobile complexes and medical trains</b>")]
    if not summary.mobile_stops:
        lines.append(
            _(
                "I have no schedule for your region yet: stops are set by the regional health "
                "department and the district hospitals."
            )
        )
    else:
        locale = current_locale()
        lines += [
            f"• {format_short_day(stop.starts, summary.today)} — {html.quote(stop.place(locale))}"
            for stop in summary.mobile_stops
        ]
    return lines


def render_region_summary(summary: RegionSummary) -> str:
    locale = current_locale()
    name = html.quote(summary.region.name(locale))
    if summary.is_city:
        ask = _("Where to ask: the public health department of {region}, or your polyclinic.")
    else:
        ask = _("Where to ask: the health department of {region}, or your polyclinic.")
    sections = [
        _("📍 <b>Your region: {region}</b>").format(region=name),
        "\n".join(_quota_section(summary)),
        "\n".join(_facility_section(summary)),
        "\n".join(_mobile_section(summary)),
        ask.format(region=name),
    ]
    return "\n\n".join(sections)
