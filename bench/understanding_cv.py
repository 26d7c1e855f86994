"""Choosing the matching method on the TUNING part only: two-fold cross-validation inside it.

Usage: SHARED_DIR=../shared .venv/bin/python bench/understanding_cv.py [variant ...] [--show KIND]

The tuning part of bench/corpus is cut in two halves by a hash of each id (a seed of its own, so
the halves do not follow the held-out split). For each half, the knowledge base learns the OTHER
half's messages as phrasings (what `--write-phrasings` does with the whole tuning part) and is
measured on this half. The held-out part is never read. A variant sets the method's constants
(see VARIANTS); `baseline` is the code as it stands. Prints right decisions per variant, by kind.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import understanding_accuracy as bench  # noqa: E402

from bot.services import knowledge_base, phrase_classifier, understanding  # noqa: E402

HALF_SEED = "densaulyq-cv-halves"
KNOWLEDGE = ROOT / "data" / "knowledge"


def half_of(item_id: str) -> int:
    digest = hashlib.sha256(f"{HALF_SEED}:{item_id}".encode()).digest()
    return digest[0] % 2


def knowledge_with(items: list[bench.Item], folder: Path) -> knowledge_base.KnowledgeBase:
    """The knowledge base with `items` as its corpus phrasings instead of the whole tuning part."""
    for file in KNOWLEDGE.glob("*.yaml"):
        if file.name != bench.TUNING_PHRASINGS.name:
            shutil.copy(file, folder / file.name)
    phrasings, out_of_scope, _skipped = bench.phrasings_from(items)
    (folder / bench.TUNING_PHRASINGS.name).write_text(
        yaml.safe_dump({"phrasings": phrasings, "out_of_scope": out_of_scope}, allow_unicode=True),
        encoding="utf-8",
    )
    return knowledge_base.KnowledgeBase.load(folder)


def _set(module: object, **values: object) -> Callable[[], None]:
    def apply() -> None:
        for name, value in values.items():
            setattr(module, name, value)

    return apply


KB, PC = knowledge_base, phrase_classifier
VARIANTS: dict[str, list[Callable[[], None]]] = {
    "baseline": [],
    "letters-0.5": [_set(KB, LETTERS_WEIGHT=0.5)],
    "letters-0.6": [_set(KB, LETTERS_WEIGHT=0.6)],
    "letters-0.8": [_set(KB, LETTERS_WEIGHT=0.8)],
    "letters-0.9": [_set(KB, LETTERS_WEIGHT=0.9)],
    "ngram-1-5": [_set(PC, NGRAM_RANGE=(1, 5))],
    "ngram-2-6": [_set(PC, NGRAM_RANGE=(2, 6))],
    "ngram-3-5": [_set(PC, NGRAM_RANGE=(3, 5))],
    "alpha-3e-6": [_set(PC, REGULARISATION_ALPHA=3e-6)],
    "alpha-3e-5": [_set(PC, REGULARISATION_ALPHA=3e-5)],
    "words-1-1": [_set(PC, WORD_NGRAM_RANGE=(1, 1))],
    "words-1-2": [_set(PC, WORD_NGRAM_RANGE=(1, 2))],
    "balanced": [_set(PC, CLASS_WEIGHT="balanced")],
    "epochs-100": [_set(PC, EPOCHS=100)],
    "char-2-5": [_set(PC, ANALYZER="char")],
    "char-2-6": [_set(PC, ANALYZER="char", NGRAM_RANGE=(2, 6))],
    "ngram-2-4": [_set(PC, NGRAM_RANGE=(2, 4))],
    "letters-0.75": [_set(KB, LETTERS_WEIGHT=0.75)],
    "letters-0.65": [_set(KB, LETTERS_WEIGHT=0.65)],
    "letters-0.7": [_set(KB, LETTERS_WEIGHT=0.7)],
    "char-2-4": [_set(PC, ANALYZER="char", NGRAM_RANGE=(2, 4))],
    "ngram-2-4+letters-0.75": [_set(PC, NGRAM_RANGE=(2, 4)), _set(KB, LETTERS_WEIGHT=0.75)],
    "ngram-1-4": [_set(PC, NGRAM_RANGE=(1, 4))],
    "specific-0.4": [_set(understanding, SPECIFIC_ENTRY_SCORE=0.4)],
    "specific-0.6": [_set(understanding, SPECIFIC_ENTRY_SCORE=0.6)],
    "specific-off": [_set(understanding, SPECIFIC_ENTRY_SCORE=9.0)],
    "alone-0.05": [_set(KB, LETTERS_ALONE=0.05)],
    "alone-0.2": [_set(KB, LETTERS_ALONE=0.2)],
    "anchor-off": [_set(KB, OUT_OF_SCOPE_WITHOUT_ANCHOR=2.0)],
    "anchor-0.2": [_set(KB, OUT_OF_SCOPE_WITHOUT_ANCHOR=0.2)],
    "anchor-0.4": [_set(KB, OUT_OF_SCOPE_WITHOUT_ANCHOR=0.4)],
    "oos-0.8": [_set(KB, OUT_OF_SCOPE_FACTOR=0.8)],
    "oos-1.3": [_set(KB, OUT_OF_SCOPE_FACTOR=1.3)],
    "min-score-0.33": [_set(KB, MIN_SCORE=0.33)],
    "min-score-0.41": [_set(KB, MIN_SCORE=0.41)],
}


def run(variant: str, items: list[bench.Item], show: str | None = None) -> None:
    originals = {
        (module, name): getattr(module, name)
        for module in (knowledge_base, phrase_classifier, understanding)
        for name in dir(module)
        if name.isupper()
    }
    for apply in VARIANTS[variant]:
        apply()
    phrase_classifier._trained.clear()
    tuning = [item for item in items if item.part == "tuning"]
    right_by_kind: dict[str, list[bool]] = defaultdict(list)
    for half in (0, 1):
        learn = [item for item in tuning if half_of(item.id) != half]
        measure = [item for item in tuning if half_of(item.id) == half]
        with tempfile.TemporaryDirectory() as folder:
            reader = bench.build_understanding(knowledge_with(learn, Path(folder)))
        for item in measure:
            decision = reader.decide(reader.read(item.text))
            ok = bench.is_right(decision, item.expect)
            right_by_kind[item.expect[0].split(":")[0]].append(ok)
            if show and not ok and item.expect[0].startswith(show):
                print(f"    ✗ {item.id} {item.text[:100]!r}: want {'|'.join(item.expect)}, "
                      f"got {decision.label}")
    total = [ok for oks in right_by_kind.values() for ok in oks]
    kinds = ", ".join(
        f"{kind} {100 * sum(v) / len(v):.1f}" for kind, v in sorted(right_by_kind.items())
    )
    print(f"{variant:28} {sum(total)}/{len(total)} = {100 * sum(total) / len(total):.2f} %  "
          f"({kinds})", flush=True)
    for (module, name), value in originals.items():
        setattr(module, name, value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variants", nargs="*", default=["baseline"], choices=sorted(VARIANTS))
    parser.add_argument("--show", help="list out-of-fold failures of this kind (e.g. not_found)")
    args = parser.parse_args()
    items = bench.load_corpus()
    for variant in args.variants:
        run(variant, items, args.show)


if __name__ == "__main__":
    main()
