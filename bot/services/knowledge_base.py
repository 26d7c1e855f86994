"""The sourced knowledge base (`data/knowledge/*.yaml`) and finding the entry a question asks for.

API for other features (stable; the dispatcher injects it as `knowledge_base`):
    result = knowledge_base.search(text)      # never raises, any script or language
    result.best            -> Entry | None    # None: nothing fits well enough (MIN_SCORE)
    result.alternatives    -> tuple[Entry, ...]  # entries scoring almost as well
    result.confidence      -> float 0..1
    entry.answer_in(locale), entry.source_in(locale), entry.year, entry.facts, entry.title_in()
    entry.year             -> int | None      # None: the cited FACTS rows give no date
    entry.offers           -> tuple[str, ...] # features (FEATURES) that serve the question best,
                                              # first one first: show it as the first button
    handlers.questions.render_entry(entry) renders an answer with its source line.

How a question is matched (chosen on evidence: bench/knowledge_accuracy.py):
1. `text_folding.fold` puts Kazakh, Russian, official and ad hoc Latin into one Cyrillic form.
2. Each word is stemmed with the Russian Snowball stemmer, then cut to two keys: its first 4
   and first 6 letters. Fixed-prefix truncation is the stemming known to work for agglutinative
   Turkic languages (кезек/кезекке/кезекте) and Snowball has no Kazakh; the 6-letter key keeps
   long words precise where 4 letters collide. (Snowball before the prefixes gained one
   question of 76 on our own set; it turns год/года/году into one key.)
3. A word that matches no key is corrected to the nearest known word with the same first
   letter (rapidfuzz ratio ≥ 80): typos such as «протоная», «квату».
4. The glossary (data/knowledge/glossary.yaml, from FACTS.md section 0) maps synonyms onto one
   word (ЭКО = ЭКҰ = IVF = экошка), drops stopwords and weakens question words and places.
5. Each entry is scored by how much of the question (IDF-weighted) it covers, mixed with how
   well its closest example phrase matches (weighted Dice; for a paragraph, the share of the
   phrase it holds). An entry must share a topic word: places alone match nothing.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer
from rapidfuzz import fuzz, process

from bot.services.data_files import read_yaml
from bot.services.phrase_classifier import PhraseClassifier, classifier_for
from bot.services.text_folding import fold, fold_words

LANGS = ("kk", "ru")
# A result below this score is "not found". On our question sets off-topic questions scored
# at most 0.34 and correctly answered ones at least 0.40.
MIN_SCORE = 0.37
# Entries within this distance of the best are offered as alternatives.
ALTERNATIVE_MARGIN = 0.08
MAX_ALTERNATIVES = 3
# Mixing word matching with the letter-level classifier (phrase_classifier.py); both chosen on
# the tuning part of bench/corpus, never on its held-out part. Third round: 0.5 to 0.8 are within
# 4 of 1,834 on the tuning halves (bench/understanding_cv.py); 0.5 keeps the dev set at 41/41.
LETTERS_WEIGHT = 0.5
LETTERS_ALONE = 0.1
# The classifier's class for what we do not answer (weather, passports, pensions): trained on
# `out_of_scope:` phrasings, so it has somewhere to put a question that is none of ours.
OUT_OF_SCOPE = "__out_of_scope__"
# How much the out-of-scope class's probability weighs against the best entry's mixed score.
OUT_OF_SCOPE_FACTOR = 1.0
# «Балабақшаға кезекке қалай тұрамын», «сколько стоит МРТ в частной клинике»: an IVF entry found
# by words any office shares (queue, documents, price) for a question that names nothing of IVF,
# while the letters lean out of scope, is not ours (tuning part, bench/understanding_cv.py).
OUT_OF_SCOPE_WITHOUT_ANCHOR = 0.3
_IVF_ANCHORS = (
    "еко", "еку", "квот", "ансаган", "ivf", "бедеул", "бесплод", "икси", "репродукт", "перенос",
    "пункц", "подсадк", "ембрион", "стимуляц", "саби", "зачат", "заберемен", "жукти", "бала",
    "ребен", "дет", "бездет", "комисс", "багдарлам", "программ", "клиник", "сперм", "амг",
    "резерв", "инвалид", "мугедек", "семе", "малыш", "отбасы", "кандас", "оралман", "попытк",
    "криопер",
)
_MOBILE_ANCHORS = (
    "пмк", "жмк", "передвиж", "жылжымал", "кешен", "комплекс", "поезд", "поиыз",
    "медпо", "автобус", "машин", "мобил", "колес", "донгелек", "саламатты", "маршрут",
)
# Words without which a question is not about that topic's entries (see above).
_TOPIC_ANCHORS = {"ivf": _IVF_ANCHORS, "mobile": _MOBILE_ANCHORS}
_SHORT_KEY = 4
_LONG_KEY = 6
_COVER_WEIGHT = 0.6
_TYPO_MIN_LENGTH = 5
_TYPO_CUTOFF = 80.0
_PHRASE_CANDIDATES = 25
# A word no entry knows weighs 0.6 of the rarest known word: it lowers confidence (weather
# questions) without drowning a question that has a few extra words.
_UNKNOWN_FACTOR = 0.6
# Beyond this many keys (about six words: a paragraph), unknown words weigh proportionally
# less and a phrase counts by how much of it the paragraph holds.
_LONG_QUERY_KEYS = 12
AGE_WORD = "возраст"
_AGE = re.compile(
    r"\b(?:1[6-9]|[2-6]\d)\s*(?:год|года|лет|жас\w*|те|та|де|да|ке|ка|ге|га)\b"
    # «а если мне 43», «маған 44»: a number after «me» is an age.
    r"|\b(?:мне|маган|жасым)\s+(?:1[6-9]|[2-6]\d)\b"
)
# Question words, places and years count at 0.3 of their weight (glossary `weak:`).
_WEAK_FACTOR = 0.3
# Features of the bot an entry may point to (`offers:`), so the renderer can show the one that
# serves the question as the first button instead of the answer saying "ask elsewhere".
FEATURES = frozenset(
    {
        "queue_lookup",  # 🔢 My place in the IVF queue
        "eligibility_check",  # ✅ Can we get a free quota?
        "village_visits",  # 🚐 Visits to my village
        "reminders",  # 🔔 Remind me (from a village's visits)
        "region_quotas",  # 📊 Quotas in my region
        "facilities",  # 🏥 New facilities
        "my_region",  # 📍 My region
    }
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One answerable question: the answer in both languages, its year, source and FACTS rows."""

    id: str
    topic: str
    title: dict[str, str]
    answer: dict[str, str]
    year: int | None
    source: dict[str, str]
    facts: tuple[str, ...]
    phrases: dict[str, tuple[str, ...]]
    kind: str = "fact"  # "fact" or "conversation" (greetings: no figures, no source)
    regional: str | None = None  # "quotas": a named region is answered from ivf_quotas.yaml
    offers: tuple[str, ...] = ()  # features (FEATURES) that serve this question, best first

    def title_in(self, locale: str) -> str:
        return self.title.get(locale) or self.title["ru"]

    def answer_in(self, locale: str) -> str:
        return self.answer.get(locale) or self.answer["ru"]

    def source_in(self, locale: str) -> str:
        return self.source.get(locale) or self.source.get("ru", "")


@dataclass(frozen=True, slots=True)
class ScoredEntry:
    entry: Entry
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The best entry (None when nothing fits), close alternatives, and the best score (0–1)."""

    best: Entry | None
    alternatives: tuple[Entry, ...] = field(default=())
    confidence: float = 0.0
    ranked: tuple[ScoredEntry, ...] = field(default=())

    @property
    def found(self) -> bool:
        return self.best is not None


@dataclass(frozen=True, slots=True)
class Topic:
    code: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Glossary:
    """Synonyms (FACTS.md section 0), words that carry nothing, and words that carry little."""

    synonyms: dict[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = field(default=frozenset())
    weak_words: tuple[str, ...] = field(default=())
    places: tuple[str, ...] = field(default=())
    out_of_scope: tuple[str, ...] = field(default=())  # questions that are none of ours

    def extended(self, raw: dict[str, Any]) -> Glossary:
        """This glossary plus the `synonyms`, `stopwords` and `weak` sections of one file."""
        weak = [
            word
            for group in raw.get("weak") or []
            for item in group
            for word in fold_words(str(item))
        ]
        stop = [word for line in raw.get("stopwords") or [] for word in fold_words(str(line))]
        places = [word for line in raw.get("places") or [] for word in fold_words(str(line))]
        return Glossary(
            synonyms=self.synonyms | _synonym_map(raw.get("synonyms") or []),
            stopwords=self.stopwords | frozenset(stop),
            weak_words=self.weak_words + tuple(weak),
            places=self.places + tuple(places),
            out_of_scope=self.out_of_scope + tuple(str(p) for p in raw.get("out_of_scope") or ()),
        )


class KnowledgeBaseError(ValueError):
    """A knowledge-base file is malformed (missing translation, source, id...)."""


_RUSSIAN = snowballstemmer.stemmer("russian")


_FOLDED_ADJECTIVE = ("ыи", "ии", "ои")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Snowball's Russian stem, never shorter than 4 letters (Kazakh «деген» is not «дег»)."""
    if len(word) < _SHORT_KEY:
        return word
    if word.endswith(_FOLDED_ADJECTIVE):
        # Folding wrote «й» as «и»; Snowball knows «-ый/-ий/-ой» adjectives only with «й».
        word = word[:-1] + "й"
    stem = _RUSSIAN.stemWord(word)
    return stem if len(stem) >= _SHORT_KEY else word[:_SHORT_KEY]


@lru_cache(maxsize=65536)
def word_keys(word: str) -> tuple[str, ...]:
    """Matching keys of one folded word: 4- and 6-letter prefixes of its Snowball stem."""
    if word.isdigit():
        return ()
    word = _stem(word)
    # Every word gets two keys, so short words (ЭКО, ПМК, ОСМС: the most telling ones) weigh
    # as much as long ones.
    return (word[:_SHORT_KEY], "+" + word[:_LONG_KEY])


def _with_stems(words: Iterable[str]) -> frozenset[str]:
    return frozenset(words) | frozenset(_stem(word) for word in words if len(_stem(word)) > 3)


@lru_cache(maxsize=16384)  # a paragraph asks about the same words again and again
def _listed(word: str, listed: frozenset[str]) -> bool:
    """`word` or its stem is listed, or starts with a listed word of 4+ letters (inflection)."""
    if word in listed or _stem(word) in listed:
        return True
    return any(word[:length] in listed for length in range(len(word) - 1, _SHORT_KEY - 1, -1))


class _Index:
    """Inverted index from word keys to entries, with IDF weights."""

    def __init__(self, entries: list[Entry], glossary: Glossary) -> None:
        self.entries = entries
        self.synonyms = glossary.synonyms
        self.stopwords = glossary.stopwords
        self.weak_words = _with_stems(glossary.weak_words)
        # Neither weak words nor places are topic words: a question needs one of those.
        self.places = _with_stems(glossary.places)
        self.non_topic_words = self.weak_words | self.places
        self._canonical = lru_cache(maxsize=16384)(self._canonical_word)
        self.vocabulary: set[str] = set()
        self.entry_keys: list[frozenset[str]] = []
        self.phrase_keys: list[tuple[frozenset[str], ...]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(entries):
            phrase_sets = []
            texts = [entry.title[lang] for lang in entry.title]
            texts += [p for lang in entry.phrases for p in entry.phrases[lang]]
            for text in texts:
                words = self.content_words(text)
                self.vocabulary.update(words)
                phrase_sets.append(frozenset(self.keys_of_words(words)))
            union = frozenset().union(*phrase_sets) if phrase_sets else frozenset()
            self.entry_keys.append(union)
            self.phrase_keys.append(tuple(phrase_sets))
            for key in union:
                postings[key].append(number)
        self.postings = {key: tuple(numbers) for key, numbers in postings.items()}
        total = max(len(entries), 1)
        self.idf = {
            key: math.log(1 + total / len(numbers)) for key, numbers in self.postings.items()
        }
        self.unknown_idf = math.log(1 + total) * _UNKNOWN_FACTOR
        # Each phrase's own weight, summed once here instead of on every question.
        self.phrase_weights = [
            tuple(sum(self.idf.get(key, 0.0) for key in phrase) for phrase in phrases)
            for phrases in self.phrase_keys
        ]
        # Typos rarely hit the first letter; looking only among words that share it is both
        # more precise (басталады is not жасалады) and faster.
        self._vocabulary_by_letter: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.vocabulary):
            self._vocabulary_by_letter[word[0]].append(word)
        self._correct = lru_cache(maxsize=4096)(self._nearest_word)

    def content_words(self, text: str) -> list[str]:
        folded = fold(text)
        words = [word for word in folded.split() if word not in self.stopwords]
        # «мне 41 год», «жасым 43-те», «45 jasta»: a number with an age word is about age.
        if _AGE.search(folded):
            words.append(AGE_WORD)
        return words

    def keys_of_words(self, words: Iterable[str]) -> list[str]:
        keys: list[str] = []
        for word in words:
            keys.extend(word_keys(self._canonical(word)))
        return keys

    def _canonical_word(self, word: str) -> str:
        """The glossary's word for `word`, its stem, or its longest glossary prefix."""
        if word in self.synonyms:
            return self.synonyms[word]
        stem = _stem(word)
        if stem in self.synonyms:
            return self.synonyms[stem]
        for length in range(len(word) - 1, _SHORT_KEY - 1, -1):
            canonical = self.synonyms.get(word[:length])
            if canonical is not None:
                return canonical
        return word

    def _nearest_word(self, word: str) -> str:
        match = process.extractOne(
            word,
            self._vocabulary_by_letter.get(word[0], ()),
            scorer=fuzz.ratio,
            score_cutoff=_TYPO_CUTOFF,
        )
        return match[0] if match else word

    def query_keys(self, text: str) -> tuple[list[str], set[str], set[str]]:
        """The question's keys, those of weak words, and those of non-topic words (places).

        A word is weak when it is a weak word or starts with one: «облысында» like «облыс».
        """
        keys: list[str] = []
        weak: set[str] = set()
        non_topic: set[str] = set()
        for word in self.content_words(text):
            word_keys_ = self.keys_of_words([word])
            known = any(key in self.postings for key in word_keys_)
            if word_keys_ and not known and len(word) >= _TYPO_MIN_LENGTH:
                word_keys_ = self.keys_of_words([self._correct(word)])
            if not word_keys_:
                continue
            if _listed(word, self.weak_words):
                weak.update(word_keys_)
            if _listed(word, self.non_topic_words):
                non_topic.update(word_keys_)
            keys.extend(word_keys_)
        # Order kept, duplicates dropped: "эко эко эко" is one word of evidence.
        return list(dict.fromkeys(keys)), weak, non_topic


class KnowledgeBase:
    """Entries loaded from a folder of YAML files; `search` finds the one a question asks for."""

    def __init__(
        self, entries: list[Entry], glossary: Glossary | None = None, *, letters: bool = True
    ) -> None:
        self._entries = entries
        self._by_id = {entry.id: entry for entry in entries}
        self.glossary = glossary or Glossary()
        self._index = _Index(entries, self.glossary)
        # The letter-level classifier needs two entries at least (it tells entries apart).
        self._letters: PhraseClassifier | None = (
            classifier_for(_training_examples(entries, self.glossary.out_of_scope))
            if letters and len(entries) > 1
            else None
        )

    @classmethod
    def load(cls, path: Path) -> KnowledgeBase:
        """Load every `*.yaml` in `path` (a folder) or one file; the glossary gives synonyms."""
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        entries: list[Entry] = []
        glossary = Glossary()
        # More ways citizens ask, kept apart from the answers (phrasings.yaml): id → lang → list.
        more_phrases: dict[str, dict[str, list[str]]] = {}
        for file in files:
            raw = read_yaml(file) or {}
            glossary = glossary.extended(raw)
            for item in raw.get("entries") or []:
                entries.append(_entry_from(item, str(raw.get("topic", "")), file.name))
            for entry_id, by_lang in (raw.get("phrasings") or {}).items():
                for lang, phrases in (by_lang or {}).items():
                    more_phrases.setdefault(str(entry_id), {}).setdefault(lang, []).extend(
                        str(phrase) for phrase in phrases or ()
                    )
        unknown = sorted(set(more_phrases) - {entry.id for entry in entries})
        if unknown:
            raise KnowledgeBaseError(f"phrasings for unknown entries: {', '.join(unknown)}")
        entries = [_with_more_phrases(entry, more_phrases.get(entry.id)) for entry in entries]
        ids = [entry.id for entry in entries]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise KnowledgeBaseError(f"duplicate entry ids: {', '.join(duplicates)}")
        return cls(entries, glossary)

    def __len__(self) -> int:
        return len(self._entries)

    def all(self) -> list[Entry]:
        return list(self._entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def topics(self) -> list[Topic]:
        """Browsable topics in file order; conversation entries are not topics."""
        grouped: dict[str, list[Entry]] = {}
        for entry in self._entries:
            if entry.kind == "fact":
                grouped.setdefault(entry.topic, []).append(entry)
        return [Topic(code, tuple(entries)) for code, entries in grouped.items()]

    def topic(self, code: str) -> Topic | None:
        return next((topic for topic in self.topics() if topic.code == code), None)

    def vocabulary(self) -> frozenset[str]:
        """Every folded word of the titles and example phrases."""
        return frozenset(self._index.vocabulary)

    def search(self, text: str) -> SearchResult:
        """The entry that best answers `text` (any script or language), with close alternatives.

        Word matching (below) and the letter-level classifier are mixed: LETTERS_WEIGHT of the
        classifier's probability plus the rest of the word score. When words find nothing, the
        classifier alone answers if it is sure enough (LETTERS_ALONE). Safe on any input (empty,
        emoji, 4 000 characters); it never raises.
        """
        words = self._search_words(text)
        if self._letters is None:
            return words
        ranked = self._letters.rank(fold(text[:2000]))
        if not ranked:
            return words
        if words.best is None:
            top = ranked[0]
            if top.entry_id == OUT_OF_SCOPE or top.probability < LETTERS_ALONE:
                return words
            if self._only_places_and_numbers(text):
                return words  # «Шымкент 2025» names a place, it asks nothing
            entry = self._by_id[top.entry_id]
            return SearchResult(
                best=entry,
                confidence=top.probability,
                ranked=tuple(
                    ScoredEntry(self._by_id[item.entry_id], item.probability)
                    for item in ranked[:5]
                    if item.entry_id in self._by_id
                ),
            )
        probability = {
            item.entry_id: item.probability for item in ranked if item.entry_id != OUT_OF_SCOPE
        }
        mixed = {entry_id: p * LETTERS_WEIGHT for entry_id, p in probability.items()}
        for scored in words.ranked:
            entry_id = scored.entry.id
            mixed[entry_id] = probability.get(entry_id, 0.0) * LETTERS_WEIGHT + scored.score * (
                1 - LETTERS_WEIGHT
            )
        order = sorted(mixed, key=mixed.__getitem__, reverse=True)
        # The out-of-scope class competes with the entries on equal terms (its letters' share only:
        # words cannot vote for it); before, it counted only when words found nothing.
        out_of_scope = next((i.probability for i in ranked if i.entry_id == OUT_OF_SCOPE), 0.0)
        if out_of_scope * LETTERS_WEIGHT * OUT_OF_SCOPE_FACTOR > mixed[order[0]]:
            return SearchResult(best=None, confidence=words.confidence)
        best = self._by_id[order[0]]
        anchors = _TOPIC_ANCHORS.get(best.topic)
        if (
            anchors is not None
            and out_of_scope >= OUT_OF_SCOPE_WITHOUT_ANCHOR
            and not any(word.startswith(anchors) for word in fold(text[:2000]).split())
        ):
            return SearchResult(best=None, confidence=words.confidence)
        # One or two words («квота», «пмк») say little: the next entries are worth a button.
        margin = 1.0 if len(fold(text[:200]).split()) <= 2 else ALTERNATIVE_MARGIN
        close = tuple(
            self._by_id[entry_id]
            for entry_id in order[1:]
            if mixed[entry_id] >= max(mixed[order[0]] - margin, MIN_SCORE * LETTERS_WEIGHT / 2)
        )
        return SearchResult(
            best=best,
            alternatives=close[:MAX_ALTERNATIVES],
            confidence=words.confidence,
            ranked=tuple(ScoredEntry(self._by_id[i], round(mixed[i], 4)) for i in order[:5]),
        )

    def without_places(self, text: str) -> str:
        """The folded text without place names (the glossary's `places`)."""
        places = self._index.places
        return " ".join(word for word in fold(text).split() if not _listed(word, places))

    def _only_places_and_numbers(self, text: str) -> bool:
        keys, _weak, non_topic = self._index.query_keys(text[:2000])
        words = fold(text[:2000]).split()
        return all(word.isdigit() for word in words) or bool(keys) and set(keys) <= non_topic

    def _search_words(self, text: str) -> SearchResult:
        """Word-level search: IDF-weighted keys of the question against each entry's phrasings.

        `best` is None when nothing reaches MIN_SCORE.
        """
        index = self._index
        keys, weak, non_topic = index.query_keys(text[:2000])
        if not keys:
            return SearchResult(best=None)
        unknown = index.unknown_idf
        long_query = len(keys) > _LONG_QUERY_KEYS
        if long_query:
            unknown *= _LONG_QUERY_KEYS / len(keys)
        weights = {
            key: index.idf.get(key, unknown) * (_WEAK_FACTOR if key in weak else 1.0)
            for key in keys
        }
        query_weight = sum(weights.values())
        covered: dict[int, float] = defaultdict(float)
        strong: set[int] = set()
        for key in keys:
            postings = index.postings.get(key, ())
            for number in postings:
                covered[number] += weights[key]
            if key not in non_topic:
                strong.update(postings)
        # An entry must share at least one topic word: places and question words alone are not
        # a question about our topics.
        covered = {number: value for number, value in covered.items() if number in strong}
        if not covered:
            return SearchResult(best=None)
        candidates = sorted(covered, key=covered.__getitem__, reverse=True)
        scored = []
        for number in candidates[:_PHRASE_CANDIDATES]:
            cover = covered[number] / query_weight
            phrase = max(
                (
                    _phrase_match(weights, query_weight, phrase, phrase_weight, long_query)
                    for phrase, phrase_weight in zip(
                        index.phrase_keys[number], index.phrase_weights[number], strict=True
                    )
                ),
                default=0.0,
            )
            score = _COVER_WEIGHT * cover + (1 - _COVER_WEIGHT) * phrase
            scored.append(ScoredEntry(index.entries[number], round(score, 4)))
        scored.sort(key=lambda item: item.score, reverse=True)
        top = scored[0]
        if top.score < MIN_SCORE:
            return SearchResult(best=None, confidence=top.score, ranked=tuple(scored[:5]))
        alternatives = tuple(
            item.entry
            for item in scored[1:]
            if item.score >= MIN_SCORE and top.score - item.score <= ALTERNATIVE_MARGIN
        )[:MAX_ALTERNATIVES]
        return SearchResult(
            best=top.entry,
            alternatives=alternatives,
            confidence=top.score,
            ranked=tuple(scored[:5]),
        )


def _phrase_match(
    weights: dict[str, float],
    query_weight: float,
    phrase: frozenset[str],
    phrase_weight: float,
    long_query: bool,
) -> float:
    """Weighted Dice of question and phrase; for a long paragraph, the share of the phrase."""
    if long_query:  # a paragraph has hundreds of keys, a phrase a handful: walk the phrase
        shared = sum(weights[key] for key in phrase if key in weights)
    else:
        shared = sum(weight for key, weight in weights.items() if key in phrase)
    if not shared:
        return 0.0
    if long_query:
        return min(1.0, shared / phrase_weight)
    return 2 * shared / (query_weight + phrase_weight)


def _synonym_map(groups: list[list[str]]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for group in groups:
        folded = [" ".join(fold_words(str(word))) for word in group]
        canonical = folded[0].split()[0]
        for word in folded:
            if " " not in word and word and word != canonical:
                mapping[word] = canonical
                # «мобильная» finds «мобильный» through their common stem «мобильн».
                if len(stem := _stem(word)) >= _SHORT_KEY and stem != _stem(canonical):
                    mapping.setdefault(stem, canonical)
    return mapping


def _training_examples(
    entries: list[Entry], out_of_scope: tuple[str, ...]
) -> list[tuple[str, str]]:
    examples = [
        (text, entry.id)
        for entry in entries
        for lang in LANGS
        for text in (*entry.phrases.get(lang, ()), entry.title_in(lang))
    ]
    return examples + [(text, OUT_OF_SCOPE) for text in out_of_scope]


def _with_more_phrases(entry: Entry, more: dict[str, list[str]] | None) -> Entry:
    if not more:
        return entry
    phrases = {
        lang: entry.phrases.get(lang, ()) + tuple(more.get(lang, ()))
        for lang in {*entry.phrases, *more}
    }
    return replace(entry, phrases=phrases)


def _entry_from(item: dict[str, Any], topic: str, file_name: str) -> Entry:
    entry_id = item.get("id")
    if not entry_id:
        raise KnowledgeBaseError(f"{file_name}: an entry has no id")
    where = f"{file_name}: {entry_id}"
    kind = str(item.get("kind", "fact"))
    for key in ("title", "answer"):
        for lang in LANGS:
            if not str((item.get(key) or {}).get(lang, "")).strip():
                raise KnowledgeBaseError(f"{where}: no {lang} {key}")
    source = {lang: str(text) for lang, text in (item.get("source") or {}).items()}
    facts = tuple(str(fact) for fact in item.get("facts") or ())
    if kind == "fact" and (not all(source.get(lang) for lang in LANGS) or not facts):
        raise KnowledgeBaseError(
            f"{where}: a fact entry needs a source in both languages and facts"
        )
    offers = _offers(item.get("offers"), where)
    phrases = {
        lang: tuple(str(p) for p in (item.get("phrases") or {}).get(lang, ())) for lang in LANGS
    }
    year = item.get("year")
    return Entry(
        id=str(entry_id),
        topic=topic,
        title={lang: str(item["title"][lang]) for lang in LANGS},
        answer={lang: " ".join(str(item["answer"][lang]).split()) for lang in LANGS},
        year=int(year) if year is not None else None,
        source=source,
        facts=facts,
        phrases=phrases,
        kind=kind,
        regional=item.get("regional"),
        offers=offers,
    )


def _offers(raw: object, where: str) -> tuple[str, ...]:
    """`offers: queue_lookup` or a list of features; an unknown name is a typo, not a feature."""
    if raw is None:
        return ()
    names = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else None
    if names is None:
        raise KnowledgeBaseError(f"{where}: `offers` must be a feature name or a list of them")
    unknown = sorted(str(name) for name in names if name not in FEATURES)
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown feature in `offers`: {', '.join(unknown)}")
    return tuple(dict.fromkeys(str(name) for name in names))
