"""Spot and remove personal data (IINs, phones) in free text before it is kept or shown.

People type an IIN or a phone in every shape: «9001 1540 3014», «9001.1540.3014»,
«+7 (701) 555-00-02», «+7.701.555.00.02», with commas, slashes, NBSP or zero-width characters
pasted in between. So any 10 or more digits joined only by short stretches of non-letters are
masked. One pass over the text, no backtracking regex: a 4,096-character message costs well
under a millisecond (bench/redaction.py).
"""

from __future__ import annotations

import re

IIN_PLACEHOLDER = "[IIN]"
PHONE_PLACEHOLDER = "[PHONE]"
NUMBER_PLACEHOLDER = "[NUMBER]"
EMAIL_PLACEHOLDER = "[EMAIL]"

# Fewest digits masked: a Kazakh phone without its prefix has 10 (701 555 00 02); an IIN 12.
MIN_DIGITS = 10
IIN_DIGITS = 12
# Between two digit groups of one number: «.», «, », « (», «) », « - ». Longer stretches of
# visible non-letters («1414 — или — 103») end the number.
MAX_GAP = 3
# The lookbehind makes the e-mail pattern start only at the beginning of a word: otherwise
# every position inside a long word would be scanned to its end (quadratic on 4,096 letters).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact_personal_data(text: str) -> str:
    """Replace IIN-like numbers, phone numbers and e-mail addresses with placeholders."""
    if "@" in text:
        text = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    return _mask_numbers(text)


def contains_personal_data(text: str) -> bool:
    return redact_personal_data(text) != text


# Format characters (Unicode Cf: zero-width spaces and joiners, the BOM, soft hyphens, bidi
# marks) are invisible and do not count towards a gap.
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
# Digit groups joined by at most MAX_GAP visible non-letters. Visible separators and invisible
# characters are disjoint classes, so the pattern cannot backtrack more than linearly.
_RUN = re.compile(
    rf"\d+(?:(?:[{_INVISIBLE}]*(?:[^\w{_INVISIBLE}]|_)){{0,{MAX_GAP}}}[{_INVISIBLE}]*\d+)*"
)
_DIGITS = re.compile(r"\d+")
_NOT_DIGITS = re.compile(r"\D+")
# A run longer than three numbers is not looked into: it is masked whole, so the split search
# below stays small whatever the message (a list of phones, digits with a dot after each).
MAX_SPLIT_DIGITS = 3 * IIN_DIGITS
# Scores of the split search: one masked digit outweighs any number of groups left in clear,
# which outweighs any number of real-looking numbers.
_WEIGHT = 1 << 20
_CLEAR_WEIGHT = 1 << 10


def _mask_numbers(text: str) -> str:
    pieces: list[str] = []
    done = 0
    for run in _RUN.finditer(text):
        start, end = run.span()
        if end - start < MIN_DIGITS:
            continue  # too short to hold 10 digits: most runs, such as a year
        run_text = run.group()
        digits = end - start - len("".join(_NOT_DIGITS.findall(run_text)))
        if digits < MIN_DIGITS:
            continue
        spans = (
            _numbers_in(text, start, run_text) if IIN_DIGITS < digits <= MAX_SPLIT_DIGITS else None
        )
        # One number (nearly always); or a run too long to look into, or one that cannot be
        # cut into numbers («1234 5678 90123»): masked whole.
        for number_start, number_end, count in spans or [(start, end, digits)]:
            # «+7 701 …»: the plus goes with the number.
            plus = number_start > 0 and text[number_start - 1] == "+"
            pieces += [text[done : number_start - plus], _placeholder(count)]
            done = number_end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _numbers_in(text: str, offset: int, run: str) -> list[tuple[int, int, int]]:
    """(start, end, digits) of each number to mask in a run of 13 to 36 digits."""
    groups = [(offset + g.start(), offset + g.end()) for g in _DIGITS.finditer(run)]
    counts = [end - start for start, end in groups]
    starts_78 = [text[start] in "78" for start, _ in groups]
    return [
        (groups[first][0], groups[last][1], digits)
        for first, last, digits in _chunks(counts, starts_78)
    ]


def _placeholder(digits: int) -> str:
    if digits == IIN_DIGITS:
        return IIN_PLACEHOLDER
    if digits < IIN_DIGITS:
        return PHONE_PLACEHOLDER
    return NUMBER_PLACEHOLDER


def _chunks(counts: list[int], starts_78: list[bool]) -> list[tuple[int, int, int]]:
    """Split a run of digit groups into numbers to mask: (first group, last group, digits).

    A run may hold several numbers («900115403014, 8 701 555 00 02») and short numbers beside
    them («… 87015550002, 2025 год»). Each group either stays in clear (fewer than 10 digits)
    or belongs to a masked chunk of 10-12 digits (or is one longer group). The split that
    masks the most digits wins, so nothing of a number is left in clear; then the one leaving
    fewest groups in clear (a number cut apart leaves several); then the one with most
    numbers that look real: 12 digits (an IIN) or 11 starting with 7 or 8 (a phone).
    Dynamic programming with one back-pointer per group, over at most 36 digits.
    """
    n = len(counts)
    # score[i] for groups i..n-1: digits masked, then groups left in clear, then real-looking.
    score = [0] * (n + 1)
    step = [-1] * n  # the last group of the chunk starting at i; -1: group i stays in clear
    for i in range(n - 1, -1, -1):
        best = score[i + 1] - _CLEAR_WEIGHT if counts[i] < MIN_DIGITS else -1 << 62
        choice = -1
        total = 0
        for j in range(i, min(n, i + IIN_DIGITS)):
            total += counts[j]
            if total > IIN_DIGITS and j > i:
                break
            if total < MIN_DIGITS:
                continue
            real = total == IIN_DIGITS or (total == IIN_DIGITS - 1 and starts_78[i])
            value = total * _WEIGHT + real + score[j + 1]
            if value >= best:
                best, choice = value, j
        score[i], step[i] = best, choice
    chunks = []
    i = 0
    while i < n:
        j = step[i]
        if j < 0:
            i += 1
            continue
        chunks.append((i, j, sum(counts[i : j + 1])))
        i = j + 1
    return chunks
