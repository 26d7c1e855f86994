"""Mobile clinics in the current locale: finding a settlement, its visits, reminders, and the
texts of reminders and of staff schedule imports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_, current_locale, format_date, format_day
from bot.services.mobile_clinics import (
    MobileClinics,
    OutgoingMessage,
    PlaceVisits,
    SettlementSchedule,
    Visit,
)
from bot.services.mobile_schedule import MedicalService, Problem, RowError, Vehicle, VisitDate
from bot.services.regions import RegionDirectory
from bot.services.settlements import Settlement
from bot.views.common import Screen, paged_keyboard, region_picker
from bot.views.core import quote_user_text

# A report must fit in one message (4096 characters); the rest leaves room for the wording.
REPORT_BUDGET = 3800
MAX_LISTED_ROWS = 30
MAX_VALUE_LENGTH = 60
PLACES_PER_PAGE = 8
NO_DISTRICT = "-"
ASK_PLACE = N_("Type the name of your village or town, or choose the region:")
MY_REMINDERS = N_("📋 My reminders")

VEHICLE_NAMES: dict[Vehicle, str] = {
    Vehicle.COMPLEX: N_("Mobile medical complex"),
    Vehicle.TRAIN: N_("Medical train"),
}
SERVICE_NAMES: dict[MedicalService, str] = {
    MedicalService.CONSULTATIONS: N_("specialist consultations"),
    MedicalService.SCREENING: N_("screenings"),
    MedicalService.ULTRASOUND: N_("ultrasound"),
    MedicalService.ECG: N_("ECG"),
    MedicalService.XRAY: N_("fluorography / X-ray"),
    MedicalService.GASTROSCOPY: N_("gastroscopy"),
    MedicalService.LAB: N_("laboratory tests"),
    MedicalService.VACCINATION: N_("vaccination"),
    MedicalService.REFERRAL: N_("referral for hospitalisation"),
    MedicalService.MINOR_SURGERY: N_("minor surgery"),
    MedicalService.LEGAL: N_("lawyers' advice"),
}
PROBLEM_TEXTS: dict[Problem, str] = {
    Problem.NOT_TEXT: N_("the file is not a text CSV (save it as CSV UTF-8)"),
    Problem.UNREADABLE: N_(
        "the file cannot be read as CSV from this row on (an unclosed quote or a very long "
        "cell?): save it again as CSV UTF-8"
    ),
    Problem.REGION_NOT_YOURS: N_(
        "the visit is in {value}, and you may load the schedule of your own region only"
    ),
    Problem.NO_ROWS: N_("the file has no schedule rows"),
    Problem.MISSING_COLUMNS: N_("columns missing from the first line: {value}"),
    Problem.FIELD_COUNT: N_("the number of fields differs from the first line ({value})"),
    Problem.UNKNOWN_REGION: N_("unknown region «{value}»"),
    Problem.UNKNOWN_SETTLEMENT: N_(
        "settlement «{value}» is not in our list for this region. To have it added, write to "
        "the bot's administrator with the region, the district and the settlement's name"
    ),
    Problem.UNKNOWN_VEHICLE: N_("vehicle «{value}»: write ЖМК, ПМК or поезд"),
    Problem.MISSING_OPERATOR: N_("who runs the visit (operator) is empty"),
    Problem.BAD_DATE: N_("date «{value}» is not a date like 12.08.2025 or 2025-08-12"),
    Problem.MISSING_YEAR: N_("date «{value}» has no year"),
    Problem.END_BEFORE_START: N_("the end date «{value}» is before the start"),
    Problem.TOO_LONG: N_("the visit lasts more than a month (until «{value}»)"),
    Problem.BAD_HOURS: N_("hours «{value}» are not like 10:00-17:00"),
    Problem.UNKNOWN_SERVICE: N_("unknown service «{value}»"),
    Problem.MISSING_SOURCE: N_("the source is empty"),
    Problem.DUPLICATE: N_("the same visit is already in row {value}"),
}
GENERAL_OFFER = N_(
    "🚐 <b>Mobile clinics</b>\n"
    "Mobile medical complexes (ЖМК / ПМК, «a polyclinic on wheels») serve rural residents: "
    "specialist consultations, diagnostics including screenings, laboratory tests, vaccination "
    "and referral for hospitalisation (2021). Each complex belongs to a district hospital or "
    "polyclinic, which sets its route with the regional health department.\n"
    "The medical train «Саламатты Қазақстан» runs from 1 April for about 8 months a year: "
    "consultations, ultrasound, ECG, fluorography, gastroscopy, lab tests, minor surgery, "
    "lawyers (2024–2025)."
)


IN_GENERAL = N_(
    "ℹ️ In general, mobile complexes offer specialist consultations, diagnostics including "
    "screenings, laboratory tests, vaccination and referral for hospitalisation (2021)."
)


def visit_days(visit: Visit, today: date | None = None) -> str:
    """«12 тамыз, сейсенбі», a range, or what the source leaves out (year, day)."""
    starts, ends = visit.starts, visit.ends
    if starts.exact is not None and ends.exact is not None:
        if starts.exact == ends.exact:
            return format_day(starts.exact, today)
        return f"{format_day(starts.exact, today)} – {format_day(ends.exact, today)}"
    if starts.year is None:
        span = _partial_day(starts)
        if ends != starts:
            span += " – " + _partial_day(ends)
        return span + " " + _("(the source does not give the year)")
    return (
        format_date(date(starts.year, starts.month, 1), "LLLL y")
        + " "
        + _("(the source does not give the day)")
    )


def _partial_day(value: VisitDate) -> str:
    # Any leap year: only the day and month are shown.
    return format_date(date(2024, value.month, value.day or 1), "d MMMM")


def _history_days(visit: Visit) -> str:
    exact = visit.starts.exact
    if exact is not None:
        return format_date(exact, "d MMMM y")
    return visit_days(visit)


def visit_hours(visit: Visit) -> str | None:
    if visit.opens_at and visit.closes_at:
        return f"{visit.opens_at}–{visit.closes_at}"
    if visit.closes_at:
        return _("until {time}").format(time=visit.closes_at)
    return None


def settlement_title(settlement: Settlement, regions: RegionDirectory) -> str:
    locale = current_locale()
    parts = [settlement.name(locale)]
    if settlement.district is not None:
        parts.append(settlement.district.name(locale))
    region = regions.get(settlement.region_code)
    if region is not None:
        parts.append(region.name(locale))
    return ", ".join(parts)


def render_visit(visit: Visit, with_place: bool = False, today: date | None = None) -> str:
    locale = current_locale()
    head = f"📅 <b>{visit_days(visit, today)}</b>"
    hours = visit_hours(visit)
    if hours:
        head += f", {hours}"
    if with_place:
        head += f" — {html.quote(visit.settlement.name(locale))}"
    services = ", ".join(_(SERVICE_NAMES[service]) for service in visit.services)
    return (
        f"{head}\n{_(VEHICLE_NAMES[visit.vehicle])}: {html.quote(visit.operator)}\n"
        + _("Services: {services}").format(services=services)
        + "\n"
        + _("Source: {source}").format(source=html.quote(visit.source))
    )


def who_to_ask(settlement: Settlement, regions: RegionDirectory) -> str:
    locale = current_locale()
    region = regions.get(settlement.region_code)
    region_name = region.name(locale) if region else ""
    if region is not None and region.kind == "city":
        return _(
            "Ask your polyclinic or the public health department of the city ({region})."
        ).format(region=region_name)
    if settlement.district is not None:
        return _(
            "Ask the hospital of {district} (it runs the mobile complex) or the health "
            "department of {region}."
        ).format(district=settlement.district.name(locale), region=region_name)
    return _(
        "Ask your district hospital (it runs the mobile complex) or the health department "
        "of {region}."
    ).format(region=region_name)


def render_schedule(schedule: SettlementSchedule, regions: RegionDirectory) -> str:
    settlement = schedule.settlement
    parts = [f"🚐 <b>{html.quote(settlement_title(settlement, regions))}</b>"]
    if schedule.upcoming:
        parts.append(_("Planned visits:"))
        parts += [render_visit(visit, today=schedule.today) for visit in schedule.upcoming]
    else:
        parts.append(
            _(
                "No visits to {place} are planned in my schedule. I never guess dates. {ask}"
            ).format(
                place=html.quote(settlement.name(current_locale())),
                ask=who_to_ask(settlement, regions),
            )
        )
    if schedule.nearby:
        parts.append(_("Nearby, in the same district:"))
        parts += [
            render_visit(visit, with_place=True, today=schedule.today) for visit in schedule.nearby
        ]
    if schedule.history:
        lines = [
            f"• {_history_days(v)} — {_(VEHICLE_NAMES[v.vehicle])}, {html.quote(v.operator)}"
            for v in schedule.history
        ]
        parts.append(_("Earlier visits (history):") + "\n" + "\n".join(lines))
    parts.append(_(IN_GENERAL))
    return "\n\n".join(parts)


def render_outgoing(message: OutgoingMessage, today: date | None = None) -> str:
    place = html.quote(message.visit.settlement.name(current_locale()))
    if message.kind == "reminder":
        head = _("🔔 Tomorrow the {vehicle} comes to {place}.").format(
            vehicle=_(VEHICLE_NAMES[message.visit.vehicle]).lower(), place=place
        )
        return head + "\n\n" + render_visit(message.visit, today=today)
    if message.kind == "rescheduled" and message.old_starts is not None:
        old = message.old_starts.exact
        head = _("⚠️ The visit to {place} planned for {old_day} has moved.").format(
            place=place, old_day=format_day(old, today) if old else message.old_starts.iso()
        )
        return head + "\n\n" + render_visit(message.visit, today=today)
    return _(
        "❌ The visit to {place} planned for {day} is cancelled. I will tell you when a new date "
        "is in the schedule."
    ).format(place=place, day=visit_days(message.visit, today))


def render_import_errors(errors: list[RowError], regions: RegionDirectory | None = None) -> str:
    """One message, whatever the file: a row's problems on one line, long values shortened,
    and rows past Telegram's 4096 characters counted instead of listed."""
    by_row: dict[int, list[str]] = {}
    for error in errors:
        value = error.value
        if error.problem is Problem.REGION_NOT_YOURS and regions is not None:
            region = regions.get(value)
            value = region.name(current_locale()) if region else value
        reason = _(PROBLEM_TEXTS[error.problem]).format(value=_shortened(value))
        by_row.setdefault(error.line, []).append(reason)
    lines = [_("Nothing was imported; the schedule is unchanged. Fix these rows:")]
    used = len(lines[0])
    for number, (line, reasons) in enumerate(by_row.items()):
        text = "; ".join(reasons)
        entry = _("Row {line}: {reason}").format(line=line, reason=text) if line else text
        if number == MAX_LISTED_ROWS or used + len(entry) + 1 > REPORT_BUDGET:
            rest = len(by_row) - number
            lines.append(
                ngettext(
                    "…and {count} more row with problems.",
                    "…and {count} more rows with problems.",
                    rest,
                ).format(count=rest)
            )
            break
        lines.append(entry)
        used += len(entry) + 1
    return "\n".join(lines)


def _shortened(value: str) -> str:
    if len(value) > MAX_VALUE_LENGTH:
        value = value[: MAX_VALUE_LENGTH - 1] + "…"
    return html.quote(value)


# Finding a settlement ----------------------------------------------------------------------
class MobileNav(CallbackData, prefix="mc"):
    action: str  # regions | region | district | place | remind | unremind | mine | drop
    code: str = ""
    page: int = 0


def _paged(
    items: Sequence[tuple[str, MobileNav]], page: int, turn: MobileNav, back: MobileNav | None
) -> InlineKeyboardMarkup:
    return paged_keyboard(
        items,
        page,
        lambda number: turn.model_copy(update={"page": number}),
        per_page=PLACES_PER_PAGE,
        columns=2,
        back=back,
    )


def regions_keyboard(mobile_clinics: MobileClinics, page: int = 0) -> InlineKeyboardMarkup:
    known = mobile_clinics.settlements.region_codes()
    return region_picker(
        [region for region in mobile_clinics.regions.all() if region.code in known],
        page,
        pick=lambda region: MobileNav(action="region", code=region.code),
        turn=lambda number: MobileNav(action="regions", page=number),
    )


def _places_keyboard(
    places: Sequence[Settlement], page: int, turn: MobileNav, back: MobileNav | None
) -> InlineKeyboardMarkup:
    locale = current_locale()
    items = [(item.name(locale), MobileNav(action="place", code=item.code)) for item in places]
    return _paged(items, page, turn, back)


def schedule_keyboard(settlement: Settlement, subscribed: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if subscribed:
        builder.button(
            text=_("🔕 Stop reminders"),
            callback_data=MobileNav(action="unremind", code=settlement.code),
        )
    else:
        builder.button(
            text=_("🔔 Remind me"), callback_data=MobileNav(action="remind", code=settlement.code)
        )
    builder.button(text=_(MY_REMINDERS), callback_data=MobileNav(action="mine"))
    builder.button(text=_("🔎 Another place"), callback_data=MobileNav(action="regions"))
    builder.adjust(1, 2)
    return builder.as_markup()


def reminders_keyboard(places: Sequence[Settlement]) -> InlineKeyboardMarkup:
    locale = current_locale()
    builder = InlineKeyboardBuilder()
    for place in places:
        builder.button(
            text=_("✖ {place}").format(place=place.name(locale)),
            callback_data=MobileNav(action="drop", code=place.code),
        )
    builder.adjust(1)
    return builder.as_markup()


def mobile_clinics_home(mobile_clinics: MobileClinics) -> Screen:
    return Screen(_(GENERAL_OFFER) + "\n\n" + _(ASK_PLACE), regions_keyboard(mobile_clinics))


def choose_region(mobile_clinics: MobileClinics, page: int) -> Screen:
    return Screen(_(ASK_PLACE), regions_keyboard(mobile_clinics, page))


def region_step(mobile_clinics: MobileClinics, region_code: str, page: int = 0) -> Screen:
    """The region's districts, or its settlements when none has a district recorded."""
    locale = current_locale()
    districts = mobile_clinics.settlements.districts(region_code)
    others = mobile_clinics.settlements.in_district(region_code, None)
    turn = MobileNav(action="region", code=region_code)
    back = MobileNav(action="regions")
    if not districts:
        return Screen(_("Choose the settlement:"), _places_keyboard(others, page, turn, back))
    items = [
        (district.name(locale), MobileNav(action="district", code=district.code))
        for district in districts
    ]
    if others:
        no_district = MobileNav(action="district", code=f"{region_code}/{NO_DISTRICT}")
        items.append((_("Other settlements"), no_district))
    return Screen(_("Choose the district:"), _paged(items, page, turn, back))


def district_step(places: Sequence[Settlement], region_code: str, opened: MobileNav) -> Screen:
    back = MobileNav(action="region", code=region_code)
    return Screen(_("Choose the settlement:"), _places_keyboard(places, opened.page, opened, back))


def schedule(schedule: SettlementSchedule, mobile_clinics: MobileClinics) -> Screen:
    return Screen(
        render_schedule(schedule, mobile_clinics.regions),
        schedule_keyboard(schedule.settlement, schedule.subscribed),
    )


def place_visits(
    found: PlaceVisits,
    text: str,
    *,
    in_dialog: bool,
    mobile_clinics: MobileClinics,
) -> Screen:
    """What a place named in a message leads to (`MobileClinics.visits_named_in`)."""
    if found.schedule is not None:
        return schedule(found.schedule, mobile_clinics)
    if found.choices:
        turn = MobileNav(action="regions")
        return Screen(_("Which one do you mean?"), _places_keyboard(found.choices, 0, turn, turn))
    if in_dialog:
        return Screen(
            _("I could not find «{place}» in my list of settlements.").format(
                place=quote_user_text(text)
            )
            + "\n\n"
            + _(ASK_PLACE),
            regions_keyboard(mobile_clinics),
        )
    if found.region_code is not None:
        step = region_step(mobile_clinics, found.region_code)
        return Screen(_(GENERAL_OFFER) + "\n\n" + step.text, step.markup)
    return mobile_clinics_home(mobile_clinics)


def ask_to_type_place() -> Screen:
    return Screen(_(ASK_PLACE))


def reminder_set(settlement: Settlement) -> Screen:
    return Screen(
        _(
            "🔔 Done. The day before each visit to {place}, at 10:00, I will send you a "
            "reminder. If a visit is moved or cancelled, I will tell you."
        ).format(place=settlement.name(current_locale())),
        schedule_keyboard(settlement, subscribed=True),
    )


def reminder_stopped(settlement: Settlement) -> Screen:
    return Screen(
        _("🔕 I will no longer send reminders about {place}.").format(
            place=settlement.name(current_locale())
        ),
        schedule_keyboard(settlement, subscribed=False),
    )


def my_reminders(places: Sequence[Settlement], *, after_drop: bool = False) -> Screen:
    if places:
        return Screen(
            _("You get reminders about visits to these places. Press one to stop its reminders:"),
            reminders_keyboard(places),
        )
    if after_drop:
        return Screen(_("You have no reminders any more."), reminders_keyboard(places))
    return Screen(_("You have no reminders. Find your village and press «🔔 Remind me»."))
