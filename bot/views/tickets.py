"""What citizens and staff see of «Ask a person»: texts, keyboards and their callback data."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.db.tickets import Author, Ticket, TicketMessage, TicketStatus
from bot.i18n import N_, current_locale, format_datetime, format_number
from bot.services.knowledge_base import KnowledgeBase
from bot.services.regions import RegionDirectory
from bot.services.tickets import TicketStats, WaitingTicket
from bot.services.understanding import Decision, DecisionKind
from bot.views.common import LANGUAGE_NAMES
from bot.views.core import quote_user_text

ASK_A_PERSON = N_("🙋 Ask a person")
# Added to the commands /help lists.
HELP_COMMANDS = N_(
    "/ask — ask a specialist of the regional health department\n"
    "/tickets — my questions to specialists"
)
EXCERPT = 60
# Room for the texts of a ticket in one message (Telegram: 4,096 characters), and what each
# message adds around its text.
MESSAGES_BUDGET = 3400
MESSAGE_OVERHEAD = 40
# A staff answer longer than this is cut before it is quoted, so the header still fits.
ANSWER_LIMIT = 3800
HOUR = 3600
DAY = 86_400


class AskPerson(CallbackData, prefix="tka"):
    """«🙋 Ask a person»; `entry` is the knowledge-base answer it was under, if any."""

    entry: str = ""


class AnswerVote(CallbackData, prefix="tkv"):
    entry: str
    helpful: bool


class SendRecentQuestion(CallbackData, prefix="tkq"):
    send: bool  # False: the citizen types another question


class CitizenTicketAction(CallbackData, prefix="tkc"):
    ticket_id: int
    action: str  # "add" or "close"


class TicketRating(CallbackData, prefix="tkr"):
    ticket_id: int
    helped: bool


class StaffTicketAction(CallbackData, prefix="tks"):
    ticket_id: int
    action: str  # "close" or "show"


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


# Under the bot's answers ---------------------------------------------------------------------
def ticket_buttons(
    markup: InlineKeyboardMarkup | None, entry_id: str | None = None, *, votes: bool = False
) -> InlineKeyboardMarkup:
    """`markup` with «👍 / 👎» (for a knowledge-base answer, when `votes`) and, last,
    «🙋 Ask a person» added below."""
    rows = [list(row) for row in markup.inline_keyboard] if markup else []
    if votes and entry_id:
        rows.append(
            [
                _button("👍", AnswerVote(entry=entry_id, helpful=True)),
                _button("👎", AnswerVote(entry=entry_id, helpful=False)),
            ]
        )
    rows.append([_button(_(ASK_A_PERSON), AskPerson(entry=entry_id or ""))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


# Replies after which a person cannot help more than the reply itself: an emergency (call 103),
# a question in a language staff may not read, an empty message.
_NO_PERSON = frozenset(
    {DecisionKind.EMERGENCY, DecisionKind.UNSUPPORTED_LANGUAGE, DecisionKind.NO_WORDS}
)


def under_answer(markup: InlineKeyboardMarkup, decision: Decision) -> InlineKeyboardMarkup:
    """The free-text answer's keyboard with the ticket buttons its kind of answer gets:
    «👍 / 👎» under a knowledge-base fact, «🙋 Ask a person» under everything but small talk."""
    entry = decision.entry
    if decision.kind in _NO_PERSON or (entry is not None and entry.kind != "fact"):
        return markup
    # A feature's reply is not the entry's text: nothing there to vote on.
    shown = entry if decision.feature is None else None
    return ticket_buttons(markup, shown.id if shown else None, votes=shown is not None)


def ask_person_keyboard(entry_id: str | None = None) -> InlineKeyboardMarkup:
    return ticket_buttons(None, entry_id)


def vote_saved() -> str:
    return _("Thank you! Your rating is saved; you can change it at any time.")


def unhelpful_offer() -> str:
    return _(
        "Sorry this answer did not help. A specialist of your region's health department can "
        "answer you here, in this chat."
    )


# Citizens ------------------------------------------------------------------------------------
def intro() -> str:
    return _(
        "🙋 A specialist of your region's health department will answer you here, in this "
        "chat, usually within two working days.\n\n"
        "Please do not send your IIN, phone number or medical documents: I hide such numbers "
        "anyway. In an emergency call <b>103</b>."
    )


def ask_region() -> str:
    return _("Which region do you live in? Its health department will answer you.")


def confirm_recent_question(question: str) -> tuple[str, InlineKeyboardMarkup]:
    text = _("Send this question to a specialist?\n\n«{question}»").format(
        question=html.quote(question)
    )
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(_("📨 Send"), SendRecentQuestion(send=True))],
            [_button(_("✏️ Write another question"), SendRecentQuestion(send=False))],
        ]
    )
    return text, keyboard


def type_question() -> str:
    return _("Type your question in one message. /cancel — stop.")


def type_addition(number: int) -> str:
    return _(
        "Your question №{number} is still open. Type what you want to add, in one message. "
        "/cancel — stop."
    ).format(number=number)


def text_only() -> str:
    return _("Please type your question as text: I pass on text only.")


def _citizen_ticket_keyboard(ticket_id: int) -> list[list[InlineKeyboardButton]]:
    return [
        [
            _button(_("➕ Add a message"), CitizenTicketAction(ticket_id=ticket_id, action="add")),
            _button(
                _("✖️ Close the question"),
                CitizenTicketAction(ticket_id=ticket_id, action="close"),
            ),
        ]
    ]


def _region_name(regions: RegionDirectory, code: str | None) -> str:
    region = regions.get(code) if code else None
    return region.name(current_locale()) if region else _("not given")


def submitted(
    ticket: Ticket, is_new: bool, regions: RegionDirectory
) -> tuple[str, InlineKeyboardMarkup]:
    if is_new:
        text = _(
            "Your question №{number} has been sent to the health department ({region}). The "
            "answer will come here, usually within two working days."
        ).format(number=ticket.id, region=_region_name(regions, ticket.region_code))
    else:
        text = _("Added to your question №{number}.").format(number=ticket.id)
    return text, InlineKeyboardMarkup(inline_keyboard=_citizen_ticket_keyboard(ticket.id))


def staff_answer_for_citizen(
    ticket: Ticket, answer: str, regions: RegionDirectory
) -> tuple[str, InlineKeyboardMarkup]:
    text = _(
        "💬 <b>Answer of the health department ({region})</b> to your question №{number}:"
    ).format(region=_region_name(regions, ticket.region_code), number=ticket.id)
    rows = [
        [
            _button(_("👍 Helped"), TicketRating(ticket_id=ticket.id, helped=True)),
            _button(_("👎 Did not help"), TicketRating(ticket_id=ticket.id, helped=False)),
        ],
        *_citizen_ticket_keyboard(ticket.id),
    ]
    body = f"{text}\n\n{html.quote(answer[:ANSWER_LIMIT])}" if answer else text
    return body, InlineKeyboardMarkup(inline_keyboard=rows)


def closed_by_citizen(number: int) -> str:
    return _("Question №{number} is closed. Thank you!").format(number=number)


def closed_by_staff_for_citizen(number: int) -> str:
    return _(
        "The health department has closed your question №{number}. If you need more help, "
        "send /ask."
    ).format(number=number)


def rating_saved() -> str:
    return _("Thank you for your rating!")


_STATUS = {
    TicketStatus.OPEN: N_("waiting for an answer"),
    TicketStatus.ANSWERED: N_("answered"),
    TicketStatus.CLOSED: N_("closed"),
}


def citizen_tickets(tickets: list[Ticket]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not tickets:
        return (
            _(
                "You have not asked a specialist anything yet. Press «{button}» under an answer "
                "or send /ask."
            ).format(button=_(ASK_A_PERSON)),
            None,
        )
    lines = [_("<b>Your questions to specialists</b>")]
    for ticket in tickets:
        opened = format_datetime(datetime.fromtimestamp(ticket.opened_at, UTC))
        lines.append(f"№{ticket.id} — {_(_STATUS[ticket.status])}, {opened}")
    rows = [
        [
            _button(
                _("✖️ Close №{number}").format(number=ticket.id),
                CitizenTicketAction(ticket_id=ticket.id, action="close"),
            )
        ]
        for ticket in tickets
        if not ticket.is_closed
    ]
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


# Staff ---------------------------------------------------------------------------------------
REPLY_HINT = N_(
    "↩️ Reply to this message to answer: the citizen gets your reply from the health "
    "department, not from you by name."
)


def waited(seconds: float) -> str:
    """«2 days 3 hours», «5 hours», «40 minutes»."""
    seconds = max(0, int(seconds))
    days, hours = seconds // DAY, seconds % DAY // HOUR
    if days:
        parts = [ngettext("{count} day", "{count} days", days).format(count=format_number(days))]
        if hours:
            parts.append(
                ngettext("{count} hour", "{count} hours", hours).format(count=format_number(hours))
            )
        return " ".join(parts)
    if hours:
        return ngettext("{count} hour", "{count} hours", hours).format(count=format_number(hours))
    minutes = seconds // 60
    return ngettext("{count} minute", "{count} minutes", minutes).format(
        count=format_number(minutes)
    )


def _staff_close_keyboard(ticket_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(
                    _("✅ Close the ticket"),
                    StaffTicketAction(ticket_id=ticket_id, action="close"),
                )
            ]
        ]
    )


def ticket_for_staff(
    ticket: Ticket,
    messages: list[TicketMessage],
    regions: RegionDirectory,
    knowledge_base: KnowledgeBase,
    *,
    reminder: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    """The whole ticket as staff see it: no name, username or phone of the citizen."""
    lines = []
    if reminder:
        lines += [
            _("⏰ This question has waited for an answer for more than two working days."),
            "",
        ]
    lines += [
        _("🙋 <b>Question №{number}</b>").format(number=ticket.id),
        _("Language: {language}").format(language=LANGUAGE_NAMES.get(ticket.language, "—")),
        _("Region: {region}").format(region=_region_name(regions, ticket.region_code)),
    ]
    entry = knowledge_base.get(ticket.entry_id) if ticket.entry_id else None
    if entry is not None:
        lines.append(
            _("The bot had answered: «{title}»").format(
                title=html.quote(entry.title_in(current_locale()))
            )
        )
    shown = _fitting(messages)
    if len(shown) < len(messages):
        lines += ["", _("(earlier messages left out)")]
    for message in shown:
        who = _("Citizen") if message.author is Author.CITIZEN else _("Health department")
        lines += ["", f"<b>{who}:</b> {html.quote(message.text)}"]
    lines += ["", _(REPLY_HINT)]
    return "\n".join(lines), _staff_close_keyboard(ticket.id)


def _fitting(messages: list[TicketMessage]) -> list[TicketMessage]:
    """The latest messages that fit in one Telegram message with the header (a long exchange
    would be cut in the middle of its HTML, which Telegram refuses)."""
    shown: list[TicketMessage] = []
    budget = MESSAGES_BUDGET
    for message in reversed(messages):
        budget -= len(html.quote(message.text)) + MESSAGE_OVERHEAD
        if budget < 0 and shown:
            break
        shown.append(message)
    return shown[::-1]


def topic_name(ticket: Ticket, regions: RegionDirectory) -> str:
    """The name of the ticket's topic in a staff forum (Telegram allows 128 characters)."""
    return f"№{ticket.id} · {_region_name(regions, ticket.region_code)}"[:128]


def citizen_added_for_staff(ticket: Ticket, text: str) -> tuple[str, InlineKeyboardMarkup]:
    body = _("➕ <b>Question №{number}</b>: the citizen adds:").format(number=ticket.id)
    return (
        f"{body}\n\n{html.quote(text)}\n\n{_(REPLY_HINT)}",
        _staff_close_keyboard(ticket.id),
    )


def answer_relayed(number: int) -> str:
    return _("✅ Sent to the citizen (question №{number}).").format(number=number)


def not_sent(number: int) -> str:
    return _(
        "Telegram did not deliver the answer to question №{number}. Please send it again later."
    ).format(number=number)


def citizen_blocked(number: int) -> str:
    return _(
        "⚠️ The citizen has blocked the bot, so the answer cannot reach them: question "
        "№{number} is closed."
    ).format(number=number)


def ticket_already_closed(number: int) -> str:
    return _("Question №{number} is closed: nothing was sent.").format(number=number)


def other_region() -> str:
    return _("This question belongs to another region: you cannot read, answer or close it.")


def not_a_ticket_message() -> str:
    return _(
        "Reply to the question message I sent you myself: replies to forwarded copies are "
        "not passed on."
    )


def unsupported_answer() -> str:
    return _("I can pass on text, a photo or a document.")


def closed_for_staff(number: int) -> str:
    return _("✅ Question №{number} is closed; the citizen has been told.").format(number=number)


def closed_by_citizen_for_staff(number: int) -> str:
    return _("The citizen has closed question №{number}.").format(number=number)


def staff_tickets(
    waiting: list[WaitingTicket], now: float, regions: RegionDirectory
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not waiting:
        return _("No open questions."), None
    lines = [_("<b>Open questions</b>, oldest first:")]
    for item in waiting:
        ticket = item.ticket
        lines.append(
            _("№{number} · {region} · waiting {waited} · «{excerpt}»").format(
                number=ticket.id,
                region=_region_name(regions, ticket.region_code),
                waited=waited(now - ticket.opened_at),
                excerpt=quote_user_text(item.question, EXCERPT),
            )
        )
    buttons = [
        _button(f"№{item.ticket.id}", StaffTicketAction(ticket_id=item.ticket.id, action="show"))
        for item in waiting
    ]
    rows = [buttons[start : start + 4] for start in range(0, len(buttons), 4)]
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def stats_lines(
    stats: TicketStats, regions: RegionDirectory, knowledge_base: KnowledgeBase
) -> list[str]:
    """The tickets' part of /stats."""
    lines = ["", _("<b>Questions to specialists, last {days} days</b>").format(days=stats.days)]
    if not stats.regions:
        lines.append(_("None."))
    for row in stats.regions:
        median = (
            waited(row.median_answer_seconds) if row.median_answer_seconds is not None else "—"
        )
        lines.append(
            _(
                "• {region}: opened {opened}, answered {answered}, median time to answer {median}"
            ).format(
                region=_region_name(regions, row.region_code),
                opened=format_number(row.opened),
                answered=format_number(row.answered),
                median=median,
            )
        )
    lines += ["", _("<b>Answers rated «👎», most first</b>")]
    if not stats.unhelpful:
        lines.append(_("None."))
    locale = current_locale()
    for number, votes in enumerate(stats.unhelpful, 1):
        entry = knowledge_base.get(votes.entry_id)
        title = entry.title_in(locale) if entry else votes.entry_id
        total = votes.helpful + votes.unhelpful
        lines.append(
            _("{number}. {title} — 👎 {down} of {total} ({share}%)").format(
                number=number,
                title=html.quote(title),
                down=format_number(votes.unhelpful),
                total=format_number(total),
                share=format_number(round(100 * votes.unhelpful / total)),
            )
        )
    return lines
