"""Thin routers, one module per feature. `get_routers()` composes them; catch-alls come last.

Each module's `create_router()` registers its handlers explicitly, so every dispatcher (the bot,
the console, each test) gets fresh routers and nothing is registered by import side effects.
"""

from aiogram import Router

from handlers import (
    broadcast,
    errors,
    fallback,
    group_chats,
    help,
    language,
    privacy,
    staff,
    start,
    subscriptions,
)


def get_routers() -> list[Router]:
    return [
        errors.create_router(),
        group_chats.create_router(),
        # Feature routers go here, before the general commands they may refine (deep links).
        staff.create_router(),
        broadcast.create_router(),
        subscriptions.create_router(),
        start.create_router(),
        language.create_router(),
        help.create_router(),
        privacy.create_router(),
        fallback.create_router(),  # last: it catches whatever no feature took
    ]
