"""What the bot says when a message needs a doctor or an ambulance rather than the bot."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.i18n import N_
from bot.views.common import Screen

EMERGENCY_TEXT = N_(
    "🚑 If someone's life or health is in danger, call <b>103</b> (ambulance) or "
    "<b>112</b> (emergency services) now. Calls are free from any phone.\n\n"
    "I am a bot and cannot help in an emergency."
)
MEDICAL_ADVICE_TEXT = N_(
    "I cannot give medical advice: a diagnosis, treatment, medicines and their doses "
    "are decided only by a doctor. Please ask the doctor at your polyclinic (where "
    "you are attached). If it is urgent, call 103."
)


def emergency_text(*, also_medical_advice: bool) -> str:
    """103/112 first; a question about medicines in the same message gets the doctor too."""
    if also_medical_advice:
        return _(EMERGENCY_TEXT) + "\n\n" + _(MEDICAL_ADVICE_TEXT)
    return _(EMERGENCY_TEXT)


def emergency(*, also_medical_advice: bool) -> Screen:
    # No keyboard: a dialog's buttons above stay usable for when the person comes back.
    return Screen(emergency_text(also_medical_advice=also_medical_advice))
