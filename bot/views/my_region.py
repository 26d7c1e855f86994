"""«📍 My region»: the one-screen summary of a region, and how the region is chosen."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.i18n import current_locale, format_number, format_short_day
from bot.services.my_region import RegionSummary, SavedRegion
from bot.services.regions import Region
from bot.views.common import Screen, one_row, region_picker
from bot.views.core import quote_user_text
from bot.views.facilities import facility_line, render_renamed
from bot.views.ivf import quota_figure_line


class RegionPick(CallbackData, prefix="myrp"):
    code: str


class RegionPickPage(CallbackData, prefix="myrg"):
    page: int


class RegionAction(CallbackData, prefix="myra"):
    action: str  # "change" or "remove"


def region_pick_keyboard(regions: Sequence[Region], page: int) -> InlineKeyboardMarkup:
    return region_picker(
        regions,
        page,
        pick=lambda region: RegionPick(code=region.code),
        turn=lambda number: RegionPickPage(page=number),
    )


def my_region_keyboard() -> InlineKeyboardMarkup:
    return one_row(
        (_("✏️ Change region"), RegionAction(action="change")),
        (_("🗑 Remove region"), RegionAction(action="remove")),
    )


def ask_region(regions: Sequence[Region], reason: str | None = None) -> Screen:
    """Ask for the user's region; `reason`, when given, says first why it is needed."""
    question = _(
        "Which region do you live in? Choose it below or type its name or its centre, "
        "for example «Қарағанды» or «Shymkent». /cancel — stop."
    )
    return Screen(
        f"{reason}\n\n{question}" if reason else question, region_pick_keyboard(regions, 0)
    )


def my_region(summary: RegionSummary | None, regions: Sequence[Region]) -> Screen:
    """The summary of the region kept, or the question which one it is."""
    if summary is None:
        return ask_region(regions)
    return Screen(render_region_summary(summary), my_region_keyboard())


def _saved() -> str:
    return _("Saved. You can change or remove your region at any time.")


def region_typed(saved: SavedRegion | None, text: str) -> Screen:
    if saved is None:
        return Screen(
            _(
                "I did not recognise a region in «{text}», so I saved nothing. Press "
                "«📍 My region» and choose your region with the buttons."
            ).format(text=quote_user_text(text))
        )
    renamed = saved.match.renamed
    parts = [render_renamed(renamed)] if renamed else []
    summary = render_region_summary(saved.summary) if saved.summary else ""
    return Screen("\n\n".join([*parts, _saved(), summary]), my_region_keyboard())


def region_picked(summary: RegionSummary) -> Screen:
    return Screen(f"{_saved()}\n\n{render_region_summary(summary)}", my_region_keyboard())


def region_removed() -> Screen:
    return Screen(
        _("Done: I no longer keep your region. Press «📍 My region» to choose it again.")
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
