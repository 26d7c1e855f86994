"""Emergencies first: a message that needs 103/112 is answered so before any dialog step or
feature reads it («у ребёнка 40 и судороги» typed at the IVF check's age step is not an age).

The dialog stays where it was, so the person can go on after calling; the free-text path
(handlers/questions.py) makes the same decision for messages outside a dialog, and this router
answers them first all the same.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message

from bot.monitoring.metrics import note_decision
from bot.services.safety import SafetyFlags
from bot.services.understanding import DecisionKind
from bot.telegram.filters import ButtonText, Emergency
from bot.views import safety as views
from bot.views.common import MENU_LABELS, show


async def answer_emergency(message: Message, safety: SafetyFlags) -> None:
    note_decision(DecisionKind.EMERGENCY)
    await show(message, views.emergency(also_medical_advice=safety.medical_advice))


def create_router() -> Router:
    router = Router(name="safety")
    # Private chats only: a staff group's chatter is not a citizen's call for help. Commands and
    # menu buttons are no emergency: these filters let the route guard skip them unread.
    typed = (
        F.chat.type == "private",
        F.text | F.caption,
        ~F.text.startswith("/"),
        ~ButtonText(*MENU_LABELS),
        Emergency(),
    )
    router.message.register(answer_emergency, *typed)
    router.edited_message.register(answer_emergency, *typed)
    return router
