"""Thin routers, one module per feature. `get_routers()` composes them; catch-alls come last.

Each module's `create_router()` registers its handlers explicitly, so every dispatcher (the bot,
the console, each test) gets fresh routers and nothing is registered by import side effects.
"""

from aiogram import Router

from bot.telegram.filters import IsStaff
from handlers import (
    broadcast,
    errors,
    facilities,
    fallback,
    group_chats,
    help,
    ivf,
    ivf_queue,
    language,
    mobile_clinics,
    my_region,
    privacy,
    questions,
    safety,
    staff,
    start,
    subscriptions,
    tickets,
    uploads,
)


def get_routers() -> list[Router]:
    return [
        errors.create_router(),
        # Before every dialog and feature: 103/112 first, whatever step the person is at.
        safety.create_router(),
        # Before group chats: staff answer tickets by replying in the staff group too.
        tickets.create_router(),
        group_chats.create_router(),
        # Staff first: a staff dialog waiting for an announcement's text must see it before
        # any citizen feature reads it as a question.
        staff_router(),
        # Citizen features go here, before the general commands they may refine (deep links).
        subscriptions.create_router(),
        # Dialogs first: a step waiting for an answer must see it before any free-text reader.
        ivf.create_router(),  # also takes the deep link /start ivf, so it precedes start
        mobile_clinics.create_router(),
        ivf_queue.create_router(),
        my_region.create_router(),
        facilities.create_router(),  # its facility-question filter must precede general free text
        start.create_router(),
        language.create_router(),
        help.create_router(),
        privacy.create_router(),
        questions.create_router(),  # free text not taken above: answered from the knowledge base
        fallback.create_router(),  # last: it catches whatever no feature took
    ]


def staff_router() -> Router:
    """Everything only staff may do, behind one staff filter: a citizen's update is checked
    once here and never walks the staff handlers' filters."""
    router = Router(name="staff_tools")
    router.message.filter(IsStaff())
    router.callback_query.filter(IsStaff())
    router.include_routers(
        staff.create_router(),
        # The broadcast dialog before the imports: an announcement's photo or document must
        # not reach them.
        broadcast.create_router(),
        uploads.create_router(),
    )
    return router
