"""How well the understanding step decides, on citizen messages it was never tuned on.

Usage: SHARED_DIR=../shared .venv/bin/python bench/understanding_accuracy.py \
           [--failures N] [--no-dev] [--tuning-only]

The corpus is bench/corpus/*.jsonl (format: bench/corpus/LABELS.md), written by people who had
not seen the bot's own example phrasings. It is split ONCE, by a hash of each id with a fixed
seed, into a tuning part (~70 %) and a held-out part (~30 %). The held-out part is never used to
choose phrasings, synonyms, weights or thresholds. When a held-out failure is looked at to learn
from it, its id goes into bench/corpus/moved_to_tuning.txt (it then counts as tuning) and a new
held-out item is written in its place; the count of moved items is printed.

Printed in one run: right decisions per part, per decision kind, per language and per style;
emergency recall and false alarms; reply-language accuracy; the confusion pairs; the dev set
through the real dispatcher (bench/knowledge_accuracy.py); the time of one read + decide.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.services.facilities import FacilityDirectory  # noqa: E402
from bot.services.ivf_quotas import IvfQuotaTable  # noqa: E402
from bot.services.knowledge_base import KnowledgeBase  # noqa: E402
from bot.services.regions import RegionDirectory  # noqa: E402
from bot.services.settlements import SettlementDirectory  # noqa: E402
from bot.services.understanding import Decision, DecisionKind, Understanding  # noqa: E402

CORPUS = ROOT / "bench" / "corpus"
MOVED = CORPUS / "moved_to_tuning.txt"
TUNING_PHRASINGS = ROOT / "data" / "knowledge" / "phrasings_tuning.yaml"
SEED = "densaulyq-2026-12-01"
HELD_OUT_SHARE = 0.30


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    lang: str
    expect: tuple[str, ...]
    style: str
    part: str


def split_part(item_id: str, moved: set[str]) -> str:
    """The fixed split: a hash of the id with the seed; moved items count as tuning."""
    if item_id in moved:
        return "tuning"
    digest = hashlib.sha256(f"{SEED}:{item_id}".encode()).digest()
    return "held-out" if int.from_bytes(digest[:8], "big") / 2**64 < HELD_OUT_SHARE else "tuning"


def load_corpus() -> list[Item]:
    moved = set(MOVED.read_text(encoding="utf-8").split()) if MOVED.exists() else set()
    items = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            raw = json.loads(line)
            items.append(
                Item(
                    id=raw["id"],
                    text=raw["text"],
                    lang=raw.get("lang", "any"),
                    expect=tuple(raw["expect"]),
                    style=raw.get("style", "clean"),
                    part=split_part(raw["id"], moved),
                )
            )
    return items


def build_understanding(knowledge_base: KnowledgeBase | None = None) -> Understanding:
    settings = Settings(_env_file=None, bot_token=None)  # type: ignore[call-arg]
    data = settings.data_path
    regions = RegionDirectory.load(data / "regions.yaml")
    settlements = SettlementDirectory.load(data / "settlements.yaml")
    return Understanding(
        knowledge_base=knowledge_base or KnowledgeBase.load(data / "knowledge"),
        regions=regions,
        ivf_quotas=IvfQuotaTable.load(data / "ivf_quotas.yaml"),
        facilities=FacilityDirectory.load(data / "facilities.yaml", regions),
        settlements=settlements,
    )


def is_right(decision: Decision, expect: tuple[str, ...]) -> bool:
    if decision.label in expect:
        return True
    if decision.entry is not None and f"entry:{decision.entry.id}" in expect:
        return True  # a feature's reply that also gives this entry's answer
    if decision.kind is DecisionKind.NO_WORDS and "not_found" in expect:
        return True
    # A reply that answers from an entry and offers the feature first serves a feature question.
    return any(f"feature:{feature}" in expect for feature in decision.offered_features)


def reply_language(understanding: Understanding, item: Item) -> str | None:
    """The reply language for a user who chose the OTHER language: only the text can decide."""
    detected = understanding.read(item.text).language
    return str(detected) if detected is not None else None


def share(right: int, total: int) -> str:
    return f"{right}/{total} = {100 * right / total:.1f} %" if total else "—"


def report(
    understanding: Understanding, items: list[Item], failures: int, parts: tuple[str, ...]
) -> None:
    by_part: dict[str, list[tuple[Item, Decision]]] = defaultdict(list)
    for item in items:
        if item.part not in parts:
            continue
        decision = understanding.decide(understanding.read(item.text))
        by_part[item.part].append((item, decision))
    moved = MOVED.read_text(encoding="utf-8").split() if MOVED.exists() else []
    print(f"corpus: {len(items)} messages; held-out {len(by_part['held-out'])}, "
          f"tuning {len(by_part['tuning'])}; moved from held-out to tuning so far: {len(moved)}")
    for part in parts:
        pairs = by_part[part]
        if not pairs:
            continue
        right = [is_right(decision, item.expect) for item, decision in pairs]
        print(f"\n== {part}: right decision {share(sum(right), len(right))}")
        groups: dict[str, dict[str, list[bool]]] = {
            "kind": defaultdict(list), "language": defaultdict(list), "style": defaultdict(list)
        }
        for (item, _decision), ok in zip(pairs, right, strict=True):
            groups["kind"][item.expect[0].split(":")[0]].append(ok)
            groups["language"][item.lang].append(ok)
            groups["style"][item.style].append(ok)
        for name, group in groups.items():
            cells = ", ".join(
                f"{key} {share(sum(v), len(v))}" for key, v in sorted(group.items())
            )
            print(f"  by {name}: {cells}")
        emergencies = [(i, d) for i, d in pairs if "emergency" in i.expect]
        others = [(i, d) for i, d in pairs if "emergency" not in i.expect]
        caught = sum(d.kind is DecisionKind.EMERGENCY for _i, d in emergencies)
        alarms = sum(d.kind is DecisionKind.EMERGENCY for _i, d in others)
        print(f"  emergency recall {share(caught, len(emergencies))}; "
              f"false alarms {share(alarms, len(others))}")
        judged = [item for item, _d in pairs if item.lang in ("kk", "ru")]
        lang_right = sum(reply_language(understanding, item) == item.lang for item in judged)
        print(f"  reply language (user chose the other one): {share(lang_right, len(judged))}")
        confusion = Counter(
            (item.expect[0], decision.label)
            for (item, decision), ok in zip(pairs, right, strict=True)
            if not ok
        )
        print("  confusion (expected -> decided): " + "; ".join(
            f"{e} -> {d} ×{n}" for (e, d), n in confusion.most_common(12)
        ))
        if failures and part == "tuning":
            shown = [(i, d) for (i, d), ok in zip(pairs, right, strict=True) if not ok]
            for item, decision in shown[:failures]:
                print(f"    ✗ {item.id} [{item.style}] {item.text[:90]!r}: "
                      f"want {'|'.join(item.expect)}, got {decision.label}")
            language_misses = [
                i for i in judged if reply_language(understanding, i) != i.lang
            ][:failures]
            for item in language_misses:
                print(f"    ✗ lang {item.id} {item.text[:80]!r}: want {item.lang}")


def speed(understanding: Understanding, items: list[Item]) -> None:
    texts = [item.text for item in items]
    long_text = ("квота " * 700)[:4096]
    samples = []
    for text in texts * 3:
        started = time.perf_counter()
        understanding.decide(understanding.read(text))
        samples.append((time.perf_counter() - started) * 1000)
    long_samples = []
    for _ in range(20):
        started = time.perf_counter()
        understanding.decide(understanding.read(long_text))
        long_samples.append((time.perf_counter() - started) * 1000)
    baseline = []
    for text in texts * 3:
        started = time.perf_counter()
        text.lower().split()
        baseline.append((time.perf_counter() - started) * 1000)
    print(f"\nread + decide: median {statistics.median(samples):.3f} ms "
          f"(p99 {sorted(samples)[int(len(samples) * 0.99)]:.3f} ms); a 4,096-character message "
          f"{statistics.median(long_samples):.2f} ms; baseline str.lower().split() "
          f"{statistics.median(baseline):.4f} ms")


def phrasings_from(items: list[Item]) -> tuple[dict[str, dict[str, list[str]]], list[str], int]:
    """Phrasings (entry → language → texts) and out-of-scope texts from the TUNING items given;
    the number left out as near a dev question."""
    phrasings: dict[str, dict[str, list[str]]] = {}
    out_of_scope: list[str] = []
    skipped = 0
    for item in items:
        if item.part != "tuning":
            continue
        if near_a_dev_question(item.text):
            skipped += 1  # the dev set must stay a measure of questions the bot has not seen
            continue
        entries = [label[6:] for label in item.expect if label.startswith("entry:")]
        language = item.lang if item.lang in ("kk", "ru") else "ru"
        # «ты дурак», «123»: not_found first means "a good bot admits it has no answer".
        if item.expect[0] == "not_found":
            out_of_scope.append(item.text)
        elif entries:
            phrasings.setdefault(entries[0], {}).setdefault(language, []).append(item.text)
    return phrasings, out_of_scope, skipped


def write_phrasings(items: list[Item]) -> None:
    """Teach the matcher how people write: the TUNING part's messages, never the held-out one."""
    import yaml

    phrasings, out_of_scope, skipped = phrasings_from(items)
    header = (
        "# GENERATED by `bench/understanding_accuracy.py --write-phrasings` from the TUNING part\n"
        "# of bench/corpus (never the held-out part). Do not edit: edit the corpus, regenerate.\n"
    )
    body = yaml.safe_dump(
        {"phrasings": phrasings, "out_of_scope": out_of_scope},
        allow_unicode=True,
        sort_keys=True,
        width=1000,
    )
    TUNING_PHRASINGS.write_text(header + body, encoding="utf-8")
    print(f"wrote {TUNING_PHRASINGS.relative_to(ROOT)}: "
          f"{sum(len(v) for d in phrasings.values() for v in d.values())} phrasings, "
          f"{len(out_of_scope)} out-of-scope; {skipped} left out as near a dev question")


def near_a_dev_question(text: str) -> bool:
    """The same test as tests/services/test_knowledge_base.py applies to every phrasing."""
    from rapidfuzz import fuzz

    from bot.services.text_folding import fold

    folded = fold(text)
    for question in _dev_questions():
        if fuzz.ratio(folded, question) >= 75:
            return True
        if len(folded.split()) >= 5 and fuzz.token_set_ratio(folded, question) == 100:
            return True
    return False


_dev_cache: list[str] = []


def _dev_questions() -> list[str]:
    from bot.services.text_folding import fold

    if not _dev_cache:
        import knowledge_accuracy

        dev = knowledge_accuracy.DEV_SET
        if not dev.exists():
            sys.exit(f"{dev} not found: set SHARED_DIR so the dev set can be kept out")
        for line in dev.read_text(encoding="utf-8").splitlines():
            if line.strip():
                _dev_cache.append(fold(json.loads(line)["text"]))
    return _dev_cache


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--failures", type=int, default=0, help="list this many tuning failures")
    parser.add_argument("--no-dev", action="store_true", help="skip the dev set (faster)")
    parser.add_argument(
        "--tuning-only", action="store_true", help="measure the tuning part only (while tuning)"
    )
    parser.add_argument(
        "--write-phrasings", action="store_true", help=f"write {TUNING_PHRASINGS.name} and stop"
    )
    args = parser.parse_args()
    items = load_corpus()
    if args.write_phrasings:
        write_phrasings(items)
        return
    understanding = build_understanding()
    parts = ("tuning",) if args.tuning_only else ("held-out", "tuning")
    report(understanding, items, args.failures, parts)
    speed(understanding, items)
    if not args.no_dev:
        import knowledge_accuracy

        dev = knowledge_accuracy.DEV_SET
        if dev.exists():
            questions = [json.loads(line) for line in dev.read_text().splitlines() if line]
            print("\n== dev set (../shared/eval) through the real dispatcher")
            asyncio.run(knowledge_accuracy.dispatcher_accuracy(questions, "ru"))


if __name__ == "__main__":
    main()
