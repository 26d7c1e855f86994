import json
import os
import re
from pathlib import Path

import pytest

from bot.services.knowledge_base import Entry, KnowledgeBase, KnowledgeBaseError

REPO_ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO_ROOT / "data" / "knowledge"
# ../shared beside the repository (/work/main, a CI clone); SHARED_DIR points elsewhere.
SHARED = Path(os.environ.get("SHARED_DIR", REPO_ROOT.parent / "shared"))
FACTS = SHARED / "domain" / "FACTS.md"
OWN_QUESTIONS = REPO_ROOT / "bench" / "own_questions.jsonl"
HOLDOUT_QUESTIONS = REPO_ROOT / "bench" / "holdout_questions.jsonl"

# 7 000, 7 000 (no-break space), 231,9, 6.2; «7 мың» / «7 тысяч» may stand for 7 000.
_NUMBER = re.compile(r"(\d+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)?)(\s*(?:тыс|мың|thousand))?")
_ROW = re.compile(r"^\|\s*([A-Z]\d+(?:\.\d+)?)\s*\|")


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.load(KNOWLEDGE)


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def numbers(text: str) -> list[set[float]]:
    """Each number in `text` as the set of values it may stand for."""
    found = []
    for match in _NUMBER.finditer(text.replace("**", "")):
        value = float(re.sub(r"[ \u00a0\u202f]", "", match.group(1)).replace(",", "."))
        found.append({value, value * 1000} if match.group(2) else {value})
    return found


def facts_rows(text: str) -> dict[str, str]:
    """FACTS.md rows by id: «A5.3», «F1», and the by-region table as «A5-almaty»."""
    rows: dict[str, str] = {}
    in_region_table = False
    for line in text.splitlines():
        if line.startswith("By city / region"):
            in_region_table = True
        elif line.startswith("### "):
            in_region_table = False
        match = _ROW.match(line)
        if match:
            rows[match.group(1)] = line
        elif in_region_table and line.startswith("| ") and not line.startswith("| Place"):
            place = re.sub(r"\(.*?\)", "", line.split("|")[1])
            slug = "-".join(w for w in place.lower().split() if w not in ("city", "region"))
            rows[f"A5-{slug}"] = line
    return rows


def test_every_entry_has_both_languages_a_source_and_facts(
    knowledge_base: KnowledgeBase,
) -> None:
    assert len(knowledge_base) >= 40
    for entry in knowledge_base.all():
        for lang in ("kk", "ru"):
            assert entry.answer[lang].strip() and entry.title[lang].strip(), entry.id
            assert len(entry.title[lang]) <= 40, entry.id  # an inline button label
            assert len(entry.answer[lang]) <= 700, entry.id  # a few sentences on a phone
            assert entry.phrases[lang], entry.id
        if entry.kind == "fact":
            assert entry.facts and entry.source["kk"] and entry.source["ru"], entry.id
        # Telegram limits callback data to 64 bytes; the entry id travels in it.
        assert len(f"kbe:{entry.id}".encode()) <= 64


def test_knowledge_base_covers_every_topic_of_the_issue(knowledge_base: KnowledgeBase) -> None:
    ids = {entry.id for entry in knowledge_base.all()}
    for needed in (
        "ivf_programme",
        "ivf_eligibility",
        "ivf_how_to_apply",
        "ivf_quota_national",
        "ivf_clinics",
        "mobile_services",
        "mobile_numbers",
        "medical_train",
        "perinatal_plan",
        "university_clinics",
        "district_hospitals",
        "proton_therapy",
        "pet_ct",
        "osms_check_status",
        "attachment",
        "contacts",
    ):
        assert needed in ids
    assert [topic.code for topic in knowledge_base.topics()] == [
        "facilities",
        "insurance",
        "ivf",
        "mobile",
    ]


@pytest.mark.skipif(not FACTS.exists(), reason="../shared/domain/FACTS.md is not beside the repo")
def test_every_number_in_an_answer_is_in_the_facts_it_cites(
    knowledge_base: KnowledgeBase,
) -> None:
    rows = facts_rows(FACTS.read_text(encoding="utf-8"))
    problems = []
    for entry in knowledge_base.all():
        if entry.kind != "fact":
            continue
        missing = [fact for fact in entry.facts if fact not in rows]
        if missing:
            problems.append(f"{entry.id}: unknown FACTS rows {missing}")
            continue
        cited = set().union(*(v for fact in entry.facts for v in numbers(rows[fact])))
        for lang in ("kk", "ru"):
            stray = [sorted(n) for n in numbers(entry.answer[lang]) if not n & cited]
            if stray:
                problems.append(f"{entry.id} ({lang}): {stray} not in {entry.facts}")
    assert not problems, "\n".join(problems)


def test_unverified_numbers_are_never_published(knowledge_base: KnowledgeBase) -> None:
    # FACTS F1: the contact number 1406 is UNVERIFIED; only 1414 may be given as a number.
    for entry in knowledge_base.all():
        for lang in ("kk", "ru"):
            assert (
                "1406" not in entry.answer[lang]
                or "расталмаған" in entry.answer[lang]
                or ("не подтвержд" in entry.answer[lang])
            ), entry.id


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"title": {"kk": "а", "ru": "б"}, "answer": {"ru": "x"}}, "no kk answer"),
        (
            {
                "title": {"kk": "а", "ru": "б"},
                "answer": {"kk": "x", "ru": "y"},
                "year": 2021,
                "facts": ["A1.2"],
            },
            "needs a source",
        ),
        (
            {
                "title": {"kk": "а", "ru": "б"},
                "answer": {"kk": "x", "ru": "y"},
                "source": {"kk": "s", "ru": "s"},
                "facts": ["A1.2"],
            },
            "no year",
        ),
    ],
)
def test_loading_rejects_an_incomplete_entry(tmp_path: Path, broken: dict, message: str) -> None:
    import yaml

    (tmp_path / "bad.yaml").write_text(
        yaml.safe_dump({"topic": "ivf", "entries": [{"id": "bad", **broken}]}), encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError, match=message):
        KnowledgeBase.load(tmp_path)


@pytest.mark.parametrize("item", load_jsonl(OWN_QUESTIONS), ids=lambda item: item["text"][:40])
def test_search_finds_the_entry_however_the_question_is_typed(
    knowledge_base: KnowledgeBase, item: dict
) -> None:
    best = knowledge_base.search(item["text"]).best
    assert (best.id if best else None) == item["expect"]


def test_search_generalises_to_questions_it_was_not_tuned_on(
    knowledge_base: KnowledgeBase,
) -> None:
    items = load_jsonl(HOLDOUT_QUESTIONS)
    found = [
        (best.id if (best := knowledge_base.search(item["text"]).best) else None) == item["expect"]
        for item in items
    ]
    assert sum(found) / len(found) >= 0.9


@pytest.mark.parametrize(
    "text",
    [
        "Как получить квоту на ЭКО?",
        "как получит квоту на эко",
        "kak poluchit kvotu na eko",
        "Квотаны қалай алуға болады?",
        "квотаны калаи алуга болады",
        "kvotany qalai alýǵa bolady",
        "kvotany kalai aluga bolady",
        "как палучить квату на эко",
    ],
)
def test_the_same_question_in_any_script_finds_the_same_entry(
    knowledge_base: KnowledgeBase, text: str
) -> None:
    best = knowledge_base.search(text).best
    assert best is not None and best.id == "ivf_how_to_apply"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀😀",
        "?!...",
        "((()))",
        "1234",
        "Какая погода завтра в Караганде?",
        "Ертең ауа райы қандай болады?",
        "рецепт борща",
    ],
)
def test_search_finds_nothing_for_text_without_a_topic(
    knowledge_base: KnowledgeBase, text: str
) -> None:
    result = knowledge_base.search(text)
    assert result.best is None and not result.alternatives


@pytest.mark.parametrize(
    "text",
    ["эко " * 1000, "<b>эко</b><script>alert(1)</script>", "ЭКО\x00\u202e квота", "a" * 4000],
)
def test_search_survives_odd_input(knowledge_base: KnowledgeBase, text: str) -> None:
    knowledge_base.search(text)


def test_close_entries_are_offered_as_alternatives(knowledge_base: KnowledgeBase) -> None:
    result = knowledge_base.search("пмк")
    assert result.best is not None and result.best.topic == "mobile"
    assert result.alternatives
    assert result.best not in result.alternatives
    assert all(isinstance(entry, Entry) for entry in result.alternatives)
    assert 0 < result.confidence <= 1


DEV_QUESTIONS = SHARED / "eval" / "dev_questions.jsonl"


@pytest.mark.skipif(not DEV_QUESTIONS.exists(), reason="../shared/eval is not beside the repo")
def test_example_phrases_are_not_copies_of_the_dev_questions(
    knowledge_base: KnowledgeBase,
) -> None:
    # The dev set measures how well the bot copes with questions it has not seen; a phrase
    # copied from it would measure nothing. Phrases must be our own wording of each kind.
    from rapidfuzz import fuzz

    from bot.services.text_folding import fold

    dev = [fold(item["text"]) for item in load_jsonl(DEV_QUESTIONS)]
    copies = []
    for entry in knowledge_base.all():
        for phrase in (p for lang in entry.phrases for p in entry.phrases[lang]):
            folded = fold(phrase)
            for question in dev:
                near = fuzz.ratio(folded, question) >= 75
                subset = len(folded.split()) >= 5 and fuzz.token_set_ratio(folded, question) == 100
                if near or subset:
                    copies.append(f"{entry.id}: {phrase!r} ~ {question!r}")
    assert not copies, "\n".join(copies)
