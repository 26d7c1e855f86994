"""Bot API refusals that are part of normal use, not failures worth an apology.

A double tap on a navigation button asks for the screen already shown («message is not
modified»); a button of a message the user deleted points nowhere («message to edit not
found»); a press answered late («query is too old and response timeout expired or query ID is
invalid») still had its action done.
"""

from __future__ import annotations

from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, TelegramMethod

_NOTHING_TO_EDIT = ("message is not modified", "message to edit not found")
_PRESS_EXPIRED = ("query is too old", "query id is invalid")


def is_nothing_to_edit(error: BaseException) -> bool:
    """A refused edit the user does not need to hear about."""
    return isinstance(error, TelegramBadRequest) and any(
        phrase in error.message.lower() for phrase in _NOTHING_TO_EDIT
    )


def is_press_expired(error: BaseException) -> bool:
    return isinstance(error, TelegramBadRequest) and any(
        phrase in error.message.lower() for phrase in _PRESS_EXPIRED
    )


def is_late_press_answer(method: TelegramMethod[Any], error: BaseException) -> bool:
    """Answering a button press only stops its spinner: when Telegram says the press is too old
    to answer, the handler goes on (its action may be done already: «Yes, delete»)."""
    return isinstance(method, AnswerCallbackQuery) and is_press_expired(error)
