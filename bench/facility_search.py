"""Median time of FacilityDirectory.search and is_facility_question, with RegionDirectory.find
(the foundation's region lookup every search also runs) as the baseline measured in the same run.

Run: .venv/bin/python bench/facility_search.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bot.services.facilities import FacilityDirectory
from bot.services.regions import RegionDirectory

DATA = Path(__file__).resolve().parent.parent / "data"
QUESTIONS = [
    "Когда откроется перинатальный центр в Шымкенте?",
    "Темірлан ауылындағы перинаталдық орталық неше орындық болады?",
    "Kyzylordada zhana perinataldyq ortalyq bar ma",
    "Протонная терапия платная или по страховке?",
    "Есть ли ПЭТ/КТ в Актау?",
    "Сколько стоит ЭКО в частной клинике, если квоту ждать долго?",
    "Когда приедет передвижной комплекс в Петропавловск",
]
ROUNDS = 200


def median_us(call: Callable[[str], object]) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for question in QUESTIONS:
            call(question)
        samples.append((time.perf_counter() - start) / len(QUESTIONS) * 1e6)
    return statistics.median(samples)


def main() -> None:
    regions = RegionDirectory.load(DATA / "regions.yaml")
    directory = FacilityDirectory.load(DATA / "facilities.yaml", regions)
    timed = [
        ("baseline RegionDirectory.find", regions.find),
        ("FacilityDirectory.is_facility_question", directory.is_facility_question),
        ("FacilityDirectory.search", directory.search),
    ]
    for name, call in timed:
        print(f"{name:<42} {median_us(call):8.1f} µs/question (median of {ROUNDS})")


if __name__ == "__main__":
    main()
