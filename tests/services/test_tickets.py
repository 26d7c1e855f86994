"""The rules of «Ask a person» that need no Telegram: working days and what is kept."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.tickets import TEXT_LIMIT, clean_text, working_deadline

ALMATY = ZoneInfo("Asia/Almaty")


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of December 2026 in Kazakhstan (the 7th is a Monday)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("opened", "deadline"),
    [
        (at(7), at(9)),  # Monday → Wednesday
        (at(3), at(7)),  # Thursday → Monday: the weekend does not count
        (at(4), at(8)),  # Friday → Tuesday
        (at(5, 15), at(9, 0)),  # Saturday: counting starts on Monday morning
        (at(6, 23, 59), at(9, 0)),  # Sunday night: the same
    ],
)
def test_two_working_days_skip_the_weekend(opened: datetime, deadline: datetime) -> None:
    assert working_deadline(opened) == deadline


def test_the_deadline_is_counted_in_kazakhstan_time() -> None:
    # Friday 23:30 in Almaty is still Friday 18:30 UTC: the same deadline either way.
    utc_moment = at(4, 23, 30).astimezone(ZoneInfo("UTC"))
    assert working_deadline(utc_moment) == at(8, 23, 30)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("ИИН 900115400109, помогите", "ИИН [IIN], помогите"),
        ("звоните +7 701 123 45 67", "звоните [PHONE]"),
        ("  вопрос  ", "вопрос"),
        ("", ""),
    ],
)
def test_texts_are_kept_with_personal_data_masked(typed: str, kept: str) -> None:
    assert clean_text(typed) == kept


def test_an_overlong_text_is_cut_to_fit_a_telegram_message() -> None:
    kept = clean_text("а" * 10_000)
    assert len(kept) == TEXT_LIMIT and kept.endswith("…")
