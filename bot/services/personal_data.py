"""Spot and remove personal data (IINs, phones) in free text before it is kept or shown."""

from __future__ import annotations

import re

# 12 digits, possibly grouped with spaces or dashes, is an IIN or another ID number.
_IIN_LIKE = re.compile(r"(?<!\d)(?:\d[\s-]?){11}\d(?!\d)")
# Kazakh phone numbers: +7 701 123 45 67, 87011234567, 7 (701) 123-45-67, and the like.
_PHONE_LIKE = re.compile(
    r"(?<!\d)(?:\+?[78])?[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
IIN_PLACEHOLDER = "[IIN]"
PHONE_PLACEHOLDER = "[PHONE]"


def redact_personal_data(text: str) -> str:
    """Replace IIN-like numbers, phone numbers and e-mail addresses with placeholders."""
    text = _EMAIL.sub("[EMAIL]", text)
    text = _IIN_LIKE.sub(IIN_PLACEHOLDER, text)
    return _PHONE_LIKE.sub(PHONE_PLACEHOLDER, text)


def contains_personal_data(text: str) -> bool:
    return redact_personal_data(text) != text
