"""The letter-level classifier's own feature arithmetic must equal scikit-learn's transform."""

import numpy as np
import pytest

from bot.services.phrase_classifier import PhraseClassifier
from bot.services.text_folding import fold

EXAMPLES = [
    ("сколько квот на эко в алматы", "ivf_quotas"),
    ("туркестан облысына канша квота", "ivf_quotas"),
    ("где я в очереди на эко", "queue"),
    ("менин кезегим кашан", "queue"),
    ("когда приедет передвижная поликлиника", "mobile"),
    ("жылжымалы кешен қашан келеді", "mobile"),
]


@pytest.fixture(scope="module")
def classifier() -> PhraseClassifier:
    return PhraseClassifier(EXAMPLES)


@pytest.mark.parametrize(
    "text",
    ["квта", "кезегіме", "ЭКО ЭКО эко!!", "ребенок не дышит", "", "😀", "kvota qansha " * 300],
)
def test_features_equal_the_vectorizers_transform(classifier: PhraseClassifier, text: str) -> None:
    folded = fold(text)
    expected = np.zeros(sum(len(v.vocabulary_) for v in classifier._vectorizers))
    offset = 0
    for vectorizer in classifier._vectorizers:
        row = vectorizer.transform([folded]).toarray().ravel()
        expected[offset : offset + len(row)] = row
        offset += len(row)
    columns, values = classifier.features(folded)
    got = np.zeros_like(expected)
    got[columns] = values
    assert np.allclose(got, expected)
    assert len(columns) == np.count_nonzero(expected)


def test_rank_puts_the_closest_entry_first(classifier: PhraseClassifier) -> None:
    assert classifier.rank(fold("канша квота туркестанда"))[0].entry_id == "ivf_quotas"
    assert classifier.rank(fold("кезегим"))[0].entry_id == "queue"
