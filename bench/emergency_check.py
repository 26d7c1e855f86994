"""Recall and false alarms of the emergency detector, on the tuned and the held-out examples.

    .venv/bin/python -m bench.emergency_check            # numbers only
    .venv/bin/python -m bench.emergency_check --misses   # also list misses of the TUNED part

Misses of the held-out part are never listed: whoever tunes the detector must not see them.
Also times the detector on a typical message and on a 4,096-character one.
"""

from __future__ import annotations

import sys
import time
from random import Random

from bot.services.safety import emergency_in
from bot.services.text_folding import fold
from tests.support.emergency_examples import (
    CALM_HELD_OUT,
    CALM_TUNED,
    EMERGENCY_HELD_OUT,
    EMERGENCY_TUNED,
)


def _rates(emergencies: tuple[str, ...], calm: tuple[str, ...]) -> tuple[float, float]:
    found = sum(emergency_in(fold(text)) for text in emergencies)
    alarms = sum(emergency_in(fold(text)) for text in calm)
    return found / len(emergencies), alarms / len(calm)


def _per_call_ms(text: str, runs: int) -> float:
    start = time.perf_counter()
    for _ in range(runs):
        emergency_in(fold(text))
    return (time.perf_counter() - start) / runs * 1000


def main() -> None:
    for name, emergencies, calm in (
        ("tuned", EMERGENCY_TUNED, CALM_TUNED),
        ("held-out", EMERGENCY_HELD_OUT, CALM_HELD_OUT),
    ):
        recall, false_alarms = _rates(emergencies, calm)
        print(
            f"{name:9} recall {recall:6.1%} ({len(emergencies)} emergencies)   "
            f"false alarms {false_alarms:5.1%} ({len(calm)} calm messages)"
        )
    if "--misses" in sys.argv:
        for text in EMERGENCY_TUNED:
            if not emergency_in(fold(text)):
                print("MISSED     ", text)
        for text in CALM_TUNED:
            if emergency_in(fold(text)):
                print("FALSE ALARM", text)
    typical = "Здравствуйте, у ребенка температура 40 не сбивается, что делать?"
    # Every word different, so no cache helps: the worst case for the typo step.
    syllables = ["ка", "зе", "кро", "ви", "ба", "ла", "ты", "ныс", "ан", "ме", "qa", "ly", "ти"]
    random = Random(4096)
    words = ("".join(random.choices(syllables, k=random.randint(1, 4))) for _ in range(2000))
    long_text = " ".join(words)[:4096]
    print(f"typical message: {_per_call_ms(typical, 2000):.3f} ms (fold + detect)")
    print(f"4,096 characters: {_per_call_ms(long_text, 20):.2f} ms (fold + detect)")
    examples = EMERGENCY_TUNED + EMERGENCY_HELD_OUT + CALM_TUNED + CALM_HELD_OUT
    start = time.perf_counter()
    for text in examples:
        emergency_in(fold(text))
    mean = (time.perf_counter() - start) / len(examples) * 1000
    print(f"mean over the {len(examples)} examples: {mean:.3f} ms (fold + detect)")


if __name__ == "__main__":
    main()
