"""Value objects that hold personal data (an IIN, a phone number) show only their type."""

from __future__ import annotations


class Masked:
    """Base of a personal-data value object (a dataclass with `repr=False`): its repr and str are
    `Iin(***)`, `Phone(***)`, so the value never lands in a log line or a traceback."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(***)"

    __str__ = __repr__
