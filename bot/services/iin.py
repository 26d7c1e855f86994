"""The IIN (ЖСН): 12 digits whose last one is a control digit (FACTS.md E1, E2, E5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.services.masked import Masked

IIN_LENGTH = 12
_WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# People copy an IIN from documents and apps with spaces or dashes between digit groups.
_SEPARATORS = str.maketrans("", "", " \t\u00a0-.")


class IinProblem(StrEnum):
    LENGTH = "length"
    NOT_DIGITS = "not_digits"
    CONTROL_DIGIT = "control_digit"


@dataclass(frozen=True, slots=True, repr=False)
class Iin(Masked):
    """A checked IIN. Its repr is masked so it never lands in a log or a traceback."""

    digits: str


class InvalidIin(ValueError):
    """The text is not a well-formed IIN; `problem` says why (the value itself is not kept)."""

    def __init__(self, problem: IinProblem) -> None:
        super().__init__(f"invalid IIN: {problem.value}")
        self.problem = problem


def control_digit(first_eleven: str) -> int | None:
    """The control digit for 11 digits (FACTS.md E5), or None when no IIN can have them."""
    digits = [int(char) for char in first_eleven]
    check = sum(d * w for d, w in zip(digits, _WEIGHTS_FIRST, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, _WEIGHTS_SECOND, strict=True)) % 11
        if check == 10:
            # Both passes give 10: such a number is never issued (E5; G4's "0" is rejected).
            return None
    return check


def parse_iin(text: str) -> Iin:
    """Check 12 digits and the control digit; birth-date digits are NOT checked (FACTS.md E4)."""
    compact = text.strip().translate(_SEPARATORS)
    # ASCII digits only: str.isdigit() alone also accepts other scripts' digits.
    if compact and not (compact.isascii() and compact.isdigit()):
        raise InvalidIin(IinProblem.NOT_DIGITS)
    if len(compact) != IIN_LENGTH:
        raise InvalidIin(IinProblem.LENGTH)
    if control_digit(compact[:11]) != int(compact[11]):
        raise InvalidIin(IinProblem.CONTROL_DIGIT)
    return Iin(compact)
