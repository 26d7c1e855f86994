"""Median time to mask personal data in 4,096-character worst-case messages (Telegram's limit),
beside `str.split` of the same text as the baseline measured in the same run.

Both steps are timed: `redact_personal_data` (every quoted or logged text) and `redact_question`
(an unanswered question before it is kept). Target: at most 20 ms a message.

Run: .venv/bin/python bench/redaction.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bot.services.knowledge_base import KnowledgeBase
from bot.services.personal_data import redact_personal_data
from bot.services.questions import known_word_checker, redact_question
from bot.services.regions import RegionDirectory

DATA = Path(__file__).resolve().parent.parent / "data"
LIMIT = 4096
ROUNDS = 30


def _fill(piece: str) -> str:
    return (piece * (LIMIT // len(piece) + 1))[:LIMIT]


# What made the old regexes backtrack: long digit/dot tokens, long words, many near-numbers.
MESSAGES = {
    "digits and dots": _fill("1."),
    "one long number": _fill("7"),
    "digits, zero-width": _fill("1\u200b"),
    "13-digit groups": _fill("1234 5678 90123 и "),
    "long word": _fill("а"),
    "long capitalised words": _fill("Ааааааааааааааааааааааааааааааааааааааа "),
    "long token before an address word": _fill("x")[: LIMIT - 7] + " көшесі",
    "e-mail-like token": _fill("a.b-"),
    "IINs and phones": _fill("ИИН 9001.1540.3014, тел +7.701.555.00.02; "),
}


def median_ms(call: Callable[[str], object], text: str) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call(text)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    regions = RegionDirectory.load(DATA / "regions.yaml")
    is_known = known_word_checker(KnowledgeBase.load(DATA / "knowledge"), regions)
    timed: list[tuple[str, Callable[[str], object]]] = [
        ("baseline str.split", str.split),
        ("redact_personal_data", redact_personal_data),
        ("redact_question", lambda text: redact_question(text, is_known)),
    ]
    print(f"{'message (4,096 characters)':<36}" + "".join(f"{name:>22}" for name, _ in timed))
    worst = dict.fromkeys((name for name, _ in timed), 0.0)
    for label, text in MESSAGES.items():
        figures = [median_ms(call, text) for _, call in timed]
        for (name, _), figure in zip(timed, figures, strict=True):
            worst[name] = max(worst[name], figure)
        print(f"{label:<36}" + "".join(f"{figure:19.3f} ms" for figure in figures))
    print(
        f"{'worst case (median of ' + str(ROUNDS) + ')':<36}"
        + "".join(f"{worst[name]:19.3f} ms" for name, _ in timed)
    )


if __name__ == "__main__":
    main()
