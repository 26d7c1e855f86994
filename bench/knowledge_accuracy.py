"""Accuracy of free-text answers through the real dispatcher, and the speed of one search.

Usage: .venv/bin/python bench/knowledge_accuracy.py [path/to/dev_questions.jsonl]

1. Every dev question is sent by a fresh user whose Telegram says `ru` (as for most Kazakh
   speakers) through build_app + LocalSession + LocalUser, exactly as in the tests. A reply
   passes when every `must_any` group has one string in the reply text (buttons do not count)
   and the reply is in the question's language. Printed per intent and per language.
2. Our own questions: own_questions.jsonl (tuned on), holdout_questions.jsonl and
   holdout2_questions.jsonl (each written before the tuning that followed it): share where the
   expected entry was found.
3. Median and p99 time of one KnowledgeBase.search, as shipped and with 10 000 synthetic
   entries, beside a plain dict lookup of the same texts measured in the same run.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.session import LocalSession  # noqa: E402
from bot.console.user import LocalUser  # noqa: E402
from bot.services.knowledge_base import Entry, KnowledgeBase  # noqa: E402

# ../shared beside the repository (as in /work/main or a CI clone); SHARED_DIR overrides it.
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
DEV_SET = SHARED / "eval" / "dev_questions.jsonl"
OWN_SETS = (
    ROOT / "bench" / "own_questions.jsonl",
    ROOT / "bench" / "holdout_questions.jsonl",
    ROOT / "bench" / "holdout2_questions.jsonl",
)
SYNTHETIC_SIZE = 10_000
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
# Words only one of the two languages uses, to tell which language a reply is in (a Russian
# reply may still name «Аңсаған сәби» or «область Ұлытау», so letters alone would mislead).
_KAZAKH_TEXT = (
    "және мен бен пен жылы жылғы жылдан бойынша үшін арқылы емес жоқ бар болады "
    "керек немесе бұл сіз сізге сіздің өз дейін кейін туралы қанша деген мысалы тек"
)
_RUSSIAN_TEXT = (
    "и в на по с для не это или год года году что как если при от до только нет есть "
    "можно вы вас ваш ваша также уточните"
)
_KAZAKH = frozenset(_KAZAKH_TEXT.split())
# «не» is a word in both languages (Russian "not", Kazakh "what"): it decides nothing.
_RUSSIAN = frozenset(_RUSSIAN_TEXT.split()) - {"не"}


def reply_language(text: str) -> str:
    words = _WORD.findall(_TAG.sub(" ", text).lower())
    kazakh = sum(word in _KAZAKH for word in words)
    russian = sum(word in _RUSSIAN for word in words)
    if kazakh == russian:
        # A bare list of names has no function words: Kazakh letters outside the programme's
        # own name decide.
        plain = re.sub(r"аңсаған\s+сәби", " ", text.lower())
        return "kk" if re.search(r"[әғқңөұүһі]", plain) else "ru"
    return "kk" if kazakh > russian else "ru"


def passes(reply: str, must_any: list[list[str]]) -> bool:
    lowered = reply.lower()
    return all(any(option.lower() in lowered for option in group) for group in must_any)


async def dispatcher_accuracy(items: list[dict], telegram_language: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=None,
            database_path=Path(folder) / "bench.sqlite3",
            pii_secret="bench",  # type: ignore[arg-type]
        )
        app = await build_app(settings, session=LocalSession())
        by_intent: dict[str, list[bool]] = defaultdict(list)
        by_language: dict[str, list[bool]] = defaultdict(list)
        language_ok: list[bool] = []
        failures = []
        try:
            for number, item in enumerate(items):
                user = LocalUser(
                    app.dispatcher,
                    app.bot,
                    user_id=10_000 + number,
                    language_code=telegram_language,
                )
                replies = await user.send(item["text"])
                text = "\n".join(reply.text for reply in replies if reply.kind == "message")
                same_language = reply_language(text) == item["lang"]
                language_ok.append(same_language)
                if not same_language:
                    failures.append((item["id"], "language: " + item["text"], text[:160]))
                if item["must_any"]:
                    ok = passes(text, item["must_any"]) and same_language
                    by_intent[item["intent"]].append(ok)
                    by_language[item["lang"]].append(ok)
                    if not ok:
                        failures.append((item["id"], item["text"], text[:160]))
        finally:
            await app.close()
    scored = [ok for oks in by_intent.values() for ok in oks]
    print(f"\n== Dev set through the dispatcher (Telegram language: {telegram_language}) ==")
    print(f"{'intent':32} {'pass':>9}")
    for intent, oks in sorted(by_intent.items()):
        print(f"{intent:32} {sum(oks):>4}/{len(oks):<4}")
    for language, oks in sorted(by_language.items()):
        print(f"language {language:23} {sum(oks):>4}/{len(oks):<4}")
    print(
        f"ACCURACY (non-empty must_any): {sum(scored)}/{len(scored)} = "
        f"{100 * sum(scored) / max(len(scored), 1):.1f}%  (target ≥ 95%)"
    )
    print(
        f"LANGUAGE MATCH (all items):    {sum(language_ok)}/{len(language_ok)} = "
        f"{100 * sum(language_ok) / max(len(language_ok), 1):.1f}%  (target 100%)"
    )
    for item_id, question, reply in failures:
        print(f"  FAIL {item_id}: {question!r} -> {reply!r}")


def own_accuracy(knowledge_base: KnowledgeBase) -> None:
    print("\n== Our own questions (expected entry found) ==")
    for path in OWN_SETS:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        by_style: dict[str, list[bool]] = defaultdict(list)
        for item in items:
            best = knowledge_base.search(item["text"]).best
            by_style[item["style"]].append((best.id if best else None) == item["expect"])
        total = [ok for oks in by_style.values() for ok in oks]
        styles = ", ".join(f"{style} {sum(oks)}/{len(oks)}" for style, oks in by_style.items())
        print(f"{path.name}: {sum(total)}/{len(total)} ({styles})")


def synthetic(knowledge_base: KnowledgeBase, size: int) -> KnowledgeBase:
    """`size` entries: copies of the real ones, each with two made-up words of its own."""
    rng = random.Random(7)
    letters = "абвгдежзиклмнопрстуфхшыэюя"
    real = [entry for entry in knowledge_base.all() if entry.kind == "fact"]
    entries: list[Entry] = []
    for number in range(size):
        entry = real[number % len(real)]
        extra = " ".join("".join(rng.choice(letters) for _ in range(7)) for _ in range(2))
        phrases = {lang: (*texts, extra) for lang, texts in entry.phrases.items()}
        entries.append(replace(entry, id=f"{entry.id}~{number}", phrases=phrases))
    return KnowledgeBase(entries, knowledge_base.glossary)


def timings(function: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            function(text)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def describe(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    print(f"{name:42} median {statistics.median(ordered):8.4f} ms   p99 {p99:8.4f} ms")


def speed(knowledge_base: KnowledgeBase, texts: list[str]) -> None:
    print(f"\n== Search time ({len(texts)} questions) ==")
    lookup = {text: number for number, text in enumerate(texts)}
    describe("baseline: dict lookup of the same texts", timings(lookup.get, texts, 20))
    knowledge_base.search(texts[0])  # warm the caches once, as a running bot has them
    describe(
        f"search, as shipped ({len(knowledge_base)} entries)",
        timings(knowledge_base.search, texts, 5),
    )
    big = synthetic(knowledge_base, SYNTHETIC_SIZE)
    big.search(texts[0])
    describe(f"search, {len(big)} synthetic entries", timings(big.search, texts, 2))
    print("targets: median < 1 ms as shipped, < 10 ms at 10 000 entries")


def main() -> None:
    dev_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEV_SET
    knowledge_base = KnowledgeBase.load(ROOT / "data" / "knowledge")
    own_texts = [
        json.loads(line)["text"]
        for path in OWN_SETS
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    if dev_path.exists():
        items = [json.loads(line) for line in dev_path.read_text(encoding="utf-8").splitlines()]
        asyncio.run(dispatcher_accuracy(items, "ru"))
        asyncio.run(dispatcher_accuracy(items, "kk"))
        texts = [item["text"] for item in items] + own_texts
    else:
        print(f"{dev_path} not found: dev-set accuracy skipped")
        texts = own_texts
    own_accuracy(knowledge_base)
    speed(knowledge_base, texts)


if __name__ == "__main__":
    main()
