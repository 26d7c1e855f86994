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


class BroadcastForm(StatesGroup):
    """Composing an announcement (`/broadcast`): texts, attachment, audience, confirmation."""

    text_kk = State()
    text_ru = State()
    text_all = State()
    media = State()
    topic = State()
    region = State()
    language = State()
    confirm = State()


class CorrectionForm(StatesGroup):
    """Correcting the text of a sent broadcast (`/broadcasts` → Correct)."""

    text_kk = State()
    text_ru = State()
    text_all = State()
    confirm = State()
