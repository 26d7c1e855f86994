"""FSM states of the guided dialogs. The state and its data live in SQLite (bot/db/fsm_storage)."""

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


class TicketForm(StatesGroup):
    """«Ask a person»: the region (when unknown), then the question or a message to add."""

    choosing_region = State()
    confirming = State()  # send the question just asked, or type another
    writing = State()
