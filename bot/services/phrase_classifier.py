"""Which entry a question is closest to, by the letters it shares with each entry's phrasings.

Character n-grams within words (scikit-learn's `TfidfVectorizer(analyzer="char_wb")`) survive
what word matching does not: typos («квта»), Kazakh case endings («кезегіме»), Russian
inflection and words glued together. A logistic regression over them gives each entry a
probability; the knowledge base mixes it with its word-level score (knowledge_base.py).
Measured against the word matcher alone: bench/understanding_accuracy.py, README "Understanding".
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from bot.services.text_folding import fold

# Chosen on the tuning part of the corpus (bench/corpus): 2–5 letters within a word, a weak
# regularisation (many classes, few examples each). A logistic regression fitted by stochastic
# gradient descent: as right as lbfgs's on the tuning part (926 vs 924 of 1,001) and trained in
# about a second instead of fifteen, so the bot starts quickly.
NGRAM_RANGE = (2, 5)
ANALYZER = "char_wb"
REGULARISATION_ALPHA = 1e-5
EPOCHS = 50
# Whole words (and pairs of words) beside the letters; None: letters only.
WORD_NGRAM_RANGE: tuple[int, int] | None = None
CLASS_WEIGHT: str | None = None


@dataclass(frozen=True, slots=True)
class EntryProbability:
    entry_id: str
    probability: float


class PhraseClassifier:
    """Trained once on (phrasing, entry id) pairs; `rank` gives entries by probability."""

    def __init__(self, examples: Iterable[tuple[str, str]]) -> None:
        pairs = [(fold(text), entry_id) for text, entry_id in examples if fold(text)]
        texts = [text for text, _ in pairs]
        labels = [label for _, label in pairs]
        self._vectorizers = [
            TfidfVectorizer(analyzer=ANALYZER, ngram_range=NGRAM_RANGE, sublinear_tf=True)
        ]
        if WORD_NGRAM_RANGE is not None:
            self._vectorizers.append(
                TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAM_RANGE, sublinear_tf=True)
            )
        matrix = _joined([vectorizer.fit_transform(texts) for vectorizer in self._vectorizers])
        self._model = SGDClassifier(
            loss="log_loss",
            alpha=REGULARISATION_ALPHA,
            max_iter=EPOCHS,
            tol=None,
            random_state=0,
            class_weight=CLASS_WEIGHT,
        )
        self._model.fit(matrix, labels)
        self._classes: list[str] = [str(label) for label in self._model.classes_]
        # predict_proba's checks cost more than its arithmetic: keep the weights at hand.
        self._weights = np.ascontiguousarray(self._model.coef_.T)
        self._intercept = self._model.intercept_
        # TfidfVectorizer.transform's input checks cost more than its arithmetic on one short
        # text (about 2 ms of a 4 ms question): `features` repeats the arithmetic with the
        # fitted analyzers, vocabularies and weights (tests/services/test_phrase_classifier.py
        # holds it equal to transform).
        self._blocks: list[_Block] = []
        offset = 0
        for vectorizer in self._vectorizers:
            self._blocks.append(_Block(vectorizer, offset))
            offset += len(vectorizer.vocabulary_)

    def rank(self, folded: str, limit: int = 8) -> list[EntryProbability]:
        """The `limit` most probable entries for an already folded text, best first."""
        if not folded:
            return []
        columns, values = self.features(folded)
        scores = values @ self._weights[columns]
        # One-vs-rest probabilities, normalised: what SGDClassifier.predict_proba computes.
        probabilities = 1.0 / (1.0 + np.exp(-(scores + self._intercept)))
        probabilities /= probabilities.sum() or 1.0
        order = np.argsort(-probabilities)[:limit]
        return [EntryProbability(self._classes[i], float(probabilities[i])) for i in order]

    def features(self, folded: str) -> tuple[np.ndarray, np.ndarray]:
        """The columns and values of TfidfVectorizer.transform([folded]), sublinear tf and
        each vectorizer's block normalised to unit length, as scikit-learn computes them."""
        columns: list[int] = []
        values: list[float] = []
        for block in self._blocks:
            counts: Counter[int] = Counter()
            for part, times in block.parts(folded).items():
                for column in block.columns_of(part):
                    counts[column] += times
            if not counts:
                continue
            found = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weighted = (
                np.log(np.fromiter(counts.values(), float, len(counts))) + 1.0
            ) * block.idf[found]
            weighted /= np.sqrt(np.dot(weighted, weighted))
            columns.extend((found + block.offset).tolist())
            values.extend(weighted.tolist())
        return np.asarray(columns, dtype=np.int64), np.asarray(values)


class _Block:
    """One fitted vectorizer's part of the feature vector."""

    def __init__(self, vectorizer: TfidfVectorizer, offset: int) -> None:
        self.analyzer = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf: np.ndarray = vectorizer.idf_
        self.offset = offset
        # char_wb cuts each word into n-grams on its own: a word is cut once per process, and
        # a paragraph that repeats its words costs its distinct words.
        self.by_word = vectorizer.analyzer == "char_wb"
        self.columns_of = lru_cache(maxsize=8192)(self._columns_of)

    def parts(self, folded: str) -> Counter[str]:
        return Counter(folded.split()) if self.by_word else Counter([folded])

    def _columns_of(self, part: str) -> tuple[int, ...]:
        vocabulary = self.vocabulary
        return tuple(vocabulary[gram] for gram in self.analyzer(part) if gram in vocabulary)


def _joined(matrices: list[Any]) -> Any:
    return matrices[0] if len(matrices) == 1 else hstack(matrices, format="csr")


_trained: dict[str, PhraseClassifier] = {}


def classifier_for(examples: list[tuple[str, str]]) -> PhraseClassifier:
    """One classifier per set of examples in a process: every dispatcher built over the same
    knowledge base (the bot, each test, the console) shares it instead of training again."""
    key = hashlib.sha256(repr(sorted(examples)).encode()).hexdigest()
    if key not in _trained:
        _trained[key] = PhraseClassifier(examples)
    return _trained[key]
