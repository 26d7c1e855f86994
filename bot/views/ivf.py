"""What the IVF feature shows: texts and keyboards, rendered in the current locale.

Every statement here comes from `../shared/domain/FACTS.md`; the row is named next to it.
"""

from __future__ import annotations

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_, current_locale, format_as_of, format_number
from bot.services.eligibility import (
    MAX_AGE,
    MAX_AGE_ASKED,
    MIN_AGE,
    MIN_AGE_ASKED,
    EligibilityVerdict,
    Finding,
    Misread,
    Outcome,
    Reply,
)
from bot.services.ivf_quotas import NationalQuotas, QueueFigure, QuotaFigure, RegionQuotas
from bot.services.regions import Region
from bot.views.common import BACK, IvfAction, Screen, main_menu, region_picker
from bot.views.core import quote_user_text

CHECK_STEPS = 5


class CheckAnswer(CallbackData, prefix="ivfans"):
    step: str  # the question it answers ("insured"...), so a stale button is recognised
    reply: Reply


class CheckNav(CallbackData, prefix="ivfnav"):
    action: str  # "back", "continue", "leave"


class RegionPage(CallbackData, prefix="ivfpage"):
    page: int


class RegionPick(CallbackData, prefix="ivfreg"):
    code: str


# --- The IVF menu and its reference pages -------------------------------------------------


def ivf_menu(national: NationalQuotas) -> Screen:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✅ Can we get a free quota?"), callback_data=IvfAction(action="check"))
    builder.button(text=_("📝 How to get into the queue"), callback_data=IvfAction(action="apply"))
    builder.button(text=_("📊 Quotas in my region"), callback_data=IvfAction(action="quotas"))
    builder.button(text=_("🏥 Clinics"), callback_data=IvfAction(action="clinics"))
    builder.adjust(1)
    # A1.2, A1.4: 7 000 cycles a year since 2021, paid through ОСМС.
    text = _(
        "<b>Free IVF under «Аңсаған сәби»</b>\n"
        "Since {since} the state has paid for {count} IVF cycles a year through ОСМС. "
        "What would you like to know?"
    ).format(since=national.since, count=format_number(national.quotas_per_year))
    return Screen(text, builder.as_markup())


def _back_to_menu_keyboard(*extra: tuple[str, IvfAction]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for label, data in extra:
        builder.button(text=label, callback_data=data)
    builder.button(text=_(BACK), callback_data=IvfAction(action="menu"))
    builder.adjust(1)
    return builder.as_markup()


def how_to_apply() -> Screen:
    # A3.1 route, A3.4/A3.7 documents via the department, A3.5 commission decides,
    # A3.6 patient chooses the clinic, A3.10 once a year and re-queue, F3 attachment on eGov.
    text = _(
        "<b>How to get into the queue for free IVF</b>\n\n"
        "1. Go to your polyclinic, the one you are attached to. Not attached yet? You can "
        "attach on eGov.kz or at the polyclinic you choose.\n"
        "2. The doctor puts you on dispensary registration for infertility and arranges a full "
        "examination.\n"
        "3. After it you get a referral to a reproductologist (for example, at the regional "
        "perinatal centre).\n"
        "4. The documents go to the health department of your region or city, which passes "
        "them to its commission.\n"
        "5. The commission decides on the quota and the referral to IVF.\n"
        "6. You choose the clinic yourself among those working in ОСМС.\n\n"
        "Free IVF in ОСМС is given once a year; if an attempt fails, you may queue again.\n\n"
        "The list of documents and how long the commission takes are not in my sources: "
        "your polyclinic will tell you."
    )
    check = (_("✅ Can we get a free quota?"), IvfAction(action="check"))
    return Screen(text, _back_to_menu_keyboard(check))


def clinics() -> Screen:
    # A6.1 (19 = 3 + 16, 8 Nov 2022), A6.2 earlier counts, A3.6 choice, A6.3 names unverified.
    text = _(
        "<b>Clinics</b>\n"
        "Free IVF under the quota is done by clinics that work in ОСМС: 19 clinics, 3 state "
        "and 16 private (Ministry of Health, 8 November 2022).\n"
        "Earlier counts: June 2022 — 18 of the country's 29 IVF centres worked in ОСМС "
        "(3 state, 15 private); 2021 — 27 organisations doing assisted reproduction; "
        "September 2020 — 26 IVF centres, 21 of them private.\n\n"
        "You choose the clinic yourself among those working in ОСМС.\n\n"
        "The list of their names is not in my sources, and I will not guess it. Ask your "
        "polyclinic, the health department of your region or city, or the Social Health "
        "Insurance Fund's contact centre 1414."
    )
    return Screen(text, _back_to_menu_keyboard())


# --- Quotas --------------------------------------------------------------------------------


def _health_department(region: Region) -> str:
    # Glossary: regions have an «управление здравоохранения», Almaty and Astana a
    # public-health department; named without declining the region's name.
    if region.kind == "city":
        return _("the public-health department of the city ({place})").format(
            place=region.name(current_locale())
        )
    return _("the health department of the region ({place})").format(
        place=region.name(current_locale())
    )


def quota_figure(year: int, quotas: int) -> str:
    """ONE wording of a year's quota figure, for every screen that shows one: «2020: 76 квот»."""
    return ngettext("{year}: {count} quota", "{year}: {count} quotas", quotas).format(
        year=year, count=format_number(quotas)
    )


def quota_figure_line(figure: QuotaFigure) -> str:
    """«• 2020: 76 квот (source)»: a list item of a region's quota figures."""
    return f"• {quota_figure(figure.year, figure.quotas)} ({html.quote(figure.source)})"


def queue_figure_line(figure: QueueFigure) -> str:
    """«• Күту парағы, қараша 2025: 455 отбасы (source)»: the date in words, never «2025-11»."""
    return _("• Waiting list, {as_of}: {queue} ({source})").format(
        as_of=format_as_of(figure.as_of),
        queue=_queue_count(figure.count, figure.unit),
        source=html.quote(figure.source),
    )


def _queue_count(count: int, unit: str) -> str:
    if unit == "families":
        text = ngettext("{count} family in the queue", "{count} families in the queue", count)
    else:
        text = ngettext("{count} woman in the queue", "{count} women in the queue", count)
    return text.format(count=format_number(count))


def no_figures(region: Region) -> str:
    # A5 "Other regions": never estimate; point to the department.
    return _(
        "My sources have no quota figures for {region}. Ask {department}, your polyclinic "
        "or the Fund's contact centre 1414."
    ).format(region=region.name(current_locale()), department=_health_department(region))


def region_quotas(region: Region, figures: RegionQuotas, national: NationalQuotas) -> Screen:
    lines = [_("<b>IVF quotas: {region}</b>").format(region=region.name(current_locale()))]
    if figures.quotas:
        lines += [quota_figure_line(figure) for figure in figures.quotas]
        lines += [queue_figure_line(figure) for figure in figures.queue]
    else:
        lines.append(no_figures(region))
    # A1.2 national total with its source; A1.3 how it is distributed.
    lines.append(
        "\n"
        + _(
            "Nationally: {count} quotas a year since {since} ({source}). They are shared among "
            "the regions by the number of women and men of fertile age; the Social Health "
            "Insurance Fund then places them among the clinics."
        ).format(
            count=format_number(national.quotas_per_year),
            since=national.since,
            source=national.source(current_locale()),
        )
    )
    other = (_("🔄 Another region"), IvfAction(action="quota_region"))
    return Screen("\n".join(lines), _back_to_menu_keyboard(other))


def latest_quota_line(region: Region, figures: RegionQuotas) -> str:
    latest = figures.latest
    if latest is None:
        return no_figures(region)
    return _("IVF quotas, {region}: {figure} ({source}).").format(
        region=region.name(current_locale()),
        figure=quota_figure(latest.year, latest.quotas),
        source=html.quote(latest.source),
    )


# --- Region picker -------------------------------------------------------------------------


def region_keyboard(regions: list[Region], page: int, back: CallbackData) -> InlineKeyboardMarkup:
    return region_picker(
        regions,
        page,
        pick=lambda region: RegionPick(code=region.code),
        turn=lambda number: RegionPage(page=number),
        back=back,
    )


def ask_quota_region(regions: list[Region]) -> Screen:
    return Screen(
        _("Which region's quotas shall I show? Choose it below or type its name."),
        region_keyboard(regions, 0, IvfAction(action="menu")),
    )


def region_not_found(text: str) -> str:
    return _(
        "I did not find a region in «{text}». Choose it with the buttons or type its name, "
        "for example «Караганда» or «Almaty»."
    ).format(text=quote_user_text(text))


# --- The eligibility check -----------------------------------------------------------------


def _step_header(step: int) -> str:
    return _("<b>IVF check, step {step} of {total}</b>").format(step=step, total=CHECK_STEPS)


def _back_only() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_(BACK), callback_data=CheckNav(action="back"))
    return builder.as_markup()


def _choice_keyboard(step: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Yes"), callback_data=CheckAnswer(step=step, reply=Reply.YES))
    builder.button(text=_("No"), callback_data=CheckAnswer(step=step, reply=Reply.NO))
    builder.button(text=_("Don't know"), callback_data=CheckAnswer(step=step, reply=Reply.UNKNOWN))
    builder.button(text=_(BACK), callback_data=CheckNav(action="back"))
    builder.adjust(3, 1)
    return builder.as_markup()


def misread_hint(misread: Misread, text: str) -> str:
    """What to send instead, when a typed message does not answer the step asked."""
    if misread is Misread.NOT_AN_AGE:
        return _("Please send the age as a number, for example 34.")
    if misread is Misread.AGE_OUT_OF_RANGE:
        return _("Please send an age from {min} to {max} as a number, for example 34.").format(
            min=MIN_AGE_ASKED, max=MAX_AGE_ASKED
        )
    if misread is Misread.NO_REGION:
        return region_not_found(text)
    return _("Please answer with a button below: Yes, No or Don't know.")


def text_only() -> str:
    return _("I can read only text here.")


def ask_age() -> Screen:
    text = _(
        "I will ask 5 short questions and tell you whether you are likely to get a free IVF "
        "quota. Your answers are kept only until the check ends. /cancel stops the check."
    )
    question = _("How old is the woman? Send the age as a number, for example 34.")
    return Screen(f"{text}\n\n{_step_header(1)}\n{question}", _back_only())


def ask_insured(step: str) -> Screen:
    question = _("Are you insured in ОСМС (compulsory social health insurance)?")
    return Screen(f"{_step_header(2)}\n{question}", _choice_keyboard(step))


def how_to_check_insurance() -> str:
    # F2 where to check; A2.3 three months after the last contribution.
    return _(
        "How to check your ОСМС status: msqory.kz, the Telegram bot SaqtandyryBot, the apps "
        "eGov Mobile, Qoldau 24/7 and Damumed, or your bank's app (Kaspi, Halyk and others). "
        "Insured status lasts 3 months after the last contribution. I have noted «don't know»; "
        "let us go on."
    )


def ask_diagnosis(step: str) -> Screen:
    # A2.8: infertility after 12 months; A2.5: a diagnosis is needed.
    question = _(
        "Has a doctor diagnosed infertility (no pregnancy after 12 months of regular attempts "
        "without protection), or said that you need IVF?"
    )
    return Screen(f"{_step_header(3)}\n{question}", _choice_keyboard(step))


def ask_contraindications(step: str) -> Screen:
    # A2.4: contraindications and dependence bar ART; disability by itself does not.
    question = _(
        "Has a doctor said that you have an illness that rules out pregnancy and childbirth, "
        "or a drug or alcohol dependence? Disability by itself is not a reason for refusal."
    )
    return Screen(f"{_step_header(4)}\n{question}", _choice_keyboard(step))


def ask_region(regions: list[Region], page: int = 0) -> Screen:
    question = _("Where do you live? Choose your region or city below, or type its name.")
    return Screen(
        f"{_step_header(5)}\n{question}", region_keyboard(regions, page, CheckNav(action="back"))
    )


def leave_prompt() -> Screen:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("▶️ Continue the check"), callback_data=CheckNav(action="continue"))
    builder.button(text=_("🚪 Leave the check"), callback_data=CheckNav(action="leave"))
    builder.adjust(1)
    return Screen(
        _(
            "We are in the middle of the IVF check. Do you want to leave it and ask your "
            "question, or continue where we stopped?"
        ),
        builder.as_markup(),
    )


def check_left() -> Screen:
    return Screen(
        _(
            "The check is closed and your answers are deleted. Send your question again and I "
            "will try to answer it."
        ),
        main_menu(),
    )


_HEADLINES = {
    Outcome.LIKELY_ELIGIBLE: N_(
        "<b>Likely eligible.</b> Nothing in your answers rules out a free IVF quota."
    ),
    Outcome.LIKELY_NOT_ELIGIBLE: N_("<b>Likely not eligible for now.</b> Why:"),
    Outcome.CANNOT_TELL: N_(
        "<b>I cannot tell yet.</b> Nothing in your answers rules you out, but first check:"
    ),
}
_FINDINGS = {
    # A2.5, F8
    Finding.AGE_OUT_OF_RANGE: N_(
        "• Age: the quota is for women aged {min} to {max} (as the Social Health Insurance "
        "Fund publishes it); you gave {age}."
    ),
    # A2.1, A2.2, A2.3
    Finding.NOT_INSURED: N_(
        "• Insurance: IVF under the quota is paid through ОСМС, so insured status is needed. "
        "You have it when contributions are paid for you or the state pays for your category; "
        "it lasts 3 months after the last contribution."
    ),
    # A2.5, A2.8, A3.1
    Finding.NOT_DIAGNOSED: N_(
        "• Diagnosis: the quota is for couples with a diagnosis of infertility. A doctor makes "
        "it, usually when there is no pregnancy after 12 months of regular attempts without "
        "protection. Start at your polyclinic."
    ),
    # A2.4
    Finding.CONTRAINDICATED: N_(
        "• Health: an illness that rules out pregnancy and childbirth, or a drug or alcohol "
        "dependence, is a reason for refusal. Ask your doctor whether this applies to you."
    ),
    # F2
    Finding.INSURANCE_UNKNOWN: N_(
        "• Your ОСМС status: msqory.kz, the Telegram bot SaqtandyryBot, eGov Mobile or your "
        "bank's app."
    ),
    Finding.DIAGNOSIS_UNKNOWN: N_(
        "• Ask a doctor at your polyclinic whether infertility has been diagnosed or IVF is "
        "needed."
    ),
    Finding.CONTRAINDICATIONS_UNKNOWN: N_(
        "• Ask your doctor whether any illness of yours rules out pregnancy and childbirth."
    ),
}
# A2.7: the doctor still checks medical criteria such as the ovarian reserve.
MEDICAL_CRITERIA = N_(
    "A doctor will still check medical criteria, such as the ovarian reserve, before the referral."
)
# A3.1, A3.5, A3.6, A3.10
NEXT_STEPS_TITLE = N_("<b>Next steps</b>")
ROUTE_TITLE_IF_NOT_ELIGIBLE = N_(
    "<b>The route to a quota, if your situation changes or a doctor sees it differently</b>"
)
ALSO_CHECK = N_("Also check:")
ROUTE = N_(
    "1. Your polyclinic, the one you are attached to.\n"
    "2. Dispensary registration for infertility and an examination.\n"
    "3. A referral to a reproductologist.\n"
    "4. The commission at the health department of your region or city decides on the quota.\n"
    "5. You choose the clinic yourself.\n"
    "Free IVF in ОСМС is given once a year; after an unsuccessful attempt you may queue again."
)
# A3.5: the commission decides; the bot never does.
NOT_A_DECISION = N_(
    "⚠️ This is not a decision. Only the commission at the health department and your doctor "
    "decide; I only compare your answers with the published rules."
)


def _finding(finding: Finding, age: int) -> str:
    return _(_FINDINGS[finding]).format(min=MIN_AGE, max=MAX_AGE, age=age)


def verdict(result: EligibilityVerdict, quota_line: str) -> Screen:
    lines = [_(_HEADLINES[result.outcome])]
    lines += [_finding(reason.finding, result.age) for reason in result.blockers]
    if result.blockers and result.open_questions:
        lines.append(_(ALSO_CHECK))
    lines += [_finding(reason.finding, result.age) for reason in result.open_questions]
    if result.outcome is Outcome.LIKELY_ELIGIBLE:
        lines.append(_(MEDICAL_CRITERIA))
    title = (
        ROUTE_TITLE_IF_NOT_ELIGIBLE
        if result.outcome is Outcome.LIKELY_NOT_ELIGIBLE
        else NEXT_STEPS_TITLE
    )
    text = "\n".join(lines) + (
        f"\n\n{_(title)}\n{_(ROUTE)}\n\n{quota_line}\n\n{_(NOT_A_DECISION)}"
    )
    builder = InlineKeyboardBuilder()
    builder.button(text=_("📝 How to get into the queue"), callback_data=IvfAction(action="apply"))
    builder.button(text=_("🔁 Check again"), callback_data=IvfAction(action="check"))
    builder.adjust(1)
    return Screen(text, builder.as_markup())
