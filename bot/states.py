"""Every FSM state of the bot's dialogs, in one place.

The state and its data live in SQLite (bot/db/fsm_storage), so a dialog survives a restart.
"""

from aiogram.fsm.state import State, StatesGroup


class EligibilityForm(StatesGroup):
    """The IVF quota check, one question per state, in this order."""

    entering_age = State()
    choosing_insured = State()
    choosing_diagnosis = State()
    choosing_contraindications = State()
    choosing_region = State()


class QuotaRegionForm(StatesGroup):
    """Choosing the region whose IVF quota figures to show."""

    choosing_region = State()


class QueueLookupForm(StatesGroup):
    """«My place in the IVF queue»: own phone by the contact button, then the IIN."""

    sharing_phone = State()
    entering_iin = State()


class MobileClinicForm(StatesGroup):
    """Typing the name of a village whose mobile-clinic visits to show."""

    entering_settlement = State()


class MyRegionForm(StatesGroup):
    """Typing (or picking) the region «📍 My region» keeps."""

    entering_region = State()


class BroadcastForm(StatesGroup):
    """A staff announcement: texts, attachment, audience, then the confirmation."""

    text_kk = State()
    text_ru = State()
    text_all = State()
    media = State()
    topic = State()
    region = State()
    language = State()
    confirm = State()


class CorrectionForm(StatesGroup):
    """Correcting the text of a broadcast already sent."""

    text_kk = State()
    text_ru = State()
    text_all = State()
    confirm = State()


class TicketForm(StatesGroup):
    """«Ask a person»: the region (when unknown), then the question or a message to add."""

    choosing_region = State()
    confirming = State()  # send the question just asked, or type another
    writing = State()


# Dialogs that wait for a typed answer (a phone or IIN, a village, a region, a question to
# staff): a main-menu button or another feature's command ends them (bot/telegram/middlewares.py),
# or the next thing typed would be read as their answer. The IVF check asks instead whether to
# go on (handlers/ivf.py); staff dialogs take any text as the announcement.
TYPED_ANSWER_STATES: frozenset[str] = frozenset(
    name
    for group in (QuotaRegionForm, QueueLookupForm, MobileClinicForm, MyRegionForm, TicketForm)
    for name in group.__all_states_names__
)
