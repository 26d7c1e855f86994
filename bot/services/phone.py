"""Phone numbers in any form Kazakh people write them, reduced to one E.164 form."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from bot.services.masked import Masked

# Kazakhstan shares +7 with Russia; a number without a country code is read as Kazakh
# (8 701…, 701…, 7 701…), as staff and citizens write them.
_DEFAULT_REGION = "KZ"
_SEPARATORS = str.maketrans("", "", " ()-.\u00a0\t")
# The forms staff and Telegram write nearly always: +7 / 7 / 8 and ten digits, or ten digits.
# They are read here directly (the library takes ~20 µs a number, a third of a 100,000-row
# import); the result is the same E.164 the library gives (tests/services/test_phone.py).
_COMMON_FORM = re.compile(r"(?:\+7|7|8)?([0-9]{10})")
# Kazakh mobile numbers: +7 70x, 747, 75x, 76x, 77x… (landlines have 71x/72x area codes).
# A whole block rather than today's operator prefixes: new ones open within these blocks.
_KAZAKH_MOBILE = re.compile(r"\+77[04-9][0-9]{8}")


@dataclass(frozen=True, slots=True, repr=False)
class Phone(Masked):
    """A normalised phone number (E.164, e.g. +77011234567); its repr is masked."""

    e164: str


class InvalidPhone(ValueError):
    def __init__(self) -> None:
        super().__init__("not a phone number")


def normalize_phone(text: str) -> Phone:
    """+7 701 123 45 67, 8 (701) 123-45-67, 87011234567, 77011234567 → the same Phone."""
    common = _COMMON_FORM.fullmatch(text.strip().translate(_SEPARATORS))
    if common is not None:
        return Phone("+7" + common.group(1))
    try:
        number = phonenumbers.parse(text, _DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone from error
    # "Possible" (the right length) rather than "valid": operators open new prefixes before the
    # library's metadata knows them, and a refused real number would block a whole import.
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhone
    return Phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalize_kazakh_mobile(text: str) -> Phone:
    """A Kazakh mobile number in any form, as a citizen's Telegram account has it; anything
    else (a landline, a foreign or a truncated number such as «8702444») is InvalidPhone."""
    phone = normalize_phone(text)
    if _KAZAKH_MOBILE.fullmatch(phone.e164) is None:
        raise InvalidPhone
    return phone
