import json
import os
import re
from pathlib import Path

import pytest

# The same reading of FACTS.md as `python -m bot check-data`.
from bot.services.data_check import facts_rows, numbers
from bot.services.knowledge_base import FEATURES, Entry, KnowledgeBase, KnowledgeBaseError

REPO_ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO_ROOT / "data" / "knowledge"
# ../shared beside the repository (/work/main, a CI clone); SHARED_DIR points elsewhere.
SHARED = Path(os.environ.get("SHARED_DIR", REPO_ROOT.parent / "shared"))
FACTS = SHARED / "domain" / "FACTS.md"
OWN_QUESTIONS = REPO_ROOT / "bench" / "own_questions.jsonl"
HOLDOUT_QUESTIONS = REPO_ROOT / "bench" / "holdout_questions.jsonl"

# A source in FACTS.md section G: «| W16 | address | 27–28 Nov 2025, Kyzylorda |».
_SOURCE_ROW = re.compile(r"^\|\s*((?:W|G)\d+|seed:\d+)\s*\|")
_SOURCE_TAG = re.compile(r"\b((?:W|G)\d+|seed:\d+)\b")


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.load(KNOWLEDGE)


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


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
                "offers": ["queue_lookup", "queue_status"],
            },
            "unknown feature in `offers`: queue_status",
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


def test_an_entry_without_a_year_is_undated_and_offers_load_as_a_tuple(tmp_path: Path) -> None:
    import yaml

    base = {
        "title": {"kk": "а", "ru": "б"},
        "answer": {"kk": "x", "ru": "y"},
        "source": {"kk": "s", "ru": "s"},
        "facts": ["A2.4"],
    }
    entries = [
        {"id": "absent", **base, "offers": "eligibility_check"},
        {"id": "null", **base, "year": None, "offers": ["village_visits", "reminders"]},
        {"id": "dated", **base, "year": 2025},
    ]
    (tmp_path / "ok.yaml").write_text(
        yaml.safe_dump({"topic": "ivf", "entries": entries}), encoding="utf-8"
    )
    loaded = KnowledgeBase.load(tmp_path)
    assert [(e.id, e.year, e.offers) for e in loaded.all()] == [
        ("absent", None, ("eligibility_check",)),
        ("null", None, ("village_visits", "reminders")),
        ("dated", 2025, ()),
    ]


def source_dates(text: str) -> dict[str, str]:
    """FACTS.md section G rows by source tag («W16», «seed:001»): address and date."""
    return {
        match.group(1): line
        for line in text.splitlines()
        if (match := _SOURCE_ROW.match(line)) is not None
    }


@pytest.mark.skipif(not FACTS.exists(), reason="../shared/domain/FACTS.md is not beside the repo")
def test_an_entry_year_is_given_by_the_facts_it_cites(knowledge_base: KnowledgeBase) -> None:
    # The renderer writes «figures as of {year}»: a year no cited row (nor the date of a source
    # that row cites) gives would date an undated fact. Undated facts get `year: null`.
    text = FACTS.read_text(encoding="utf-8")
    rows = facts_rows(text)
    sources = source_dates(text)
    problems = []
    for entry in knowledge_base.all():
        if entry.year is None:
            continue
        cited = [rows.get(fact, "") for fact in entry.facts]
        cited += [sources.get(tag, "") for row in cited for tag in _SOURCE_TAG.findall(row)]
        if not any(re.search(rf"(?<!\d){entry.year}(?!\d)", row) for row in cited):
            problems.append(f"{entry.id}: year {entry.year} is in none of {entry.facts}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not FACTS.exists(), reason="../shared/domain/FACTS.md is not beside the repo")
def test_an_answer_about_an_unverified_fact_never_says_yes(knowledge_base: KnowledgeBase) -> None:
    # FACTS.md: UNVERIFIED = "do not state it as fact; say you do not know, point to a human".
    # An entry whose first cited row is UNVERIFIED is about that open question.
    rows = facts_rows(FACTS.read_text(encoding="utf-8"))
    open_entries = [
        entry
        for entry in knowledge_base.all()
        if entry.facts and "UNVERIFIED" in rows.get(entry.facts[0], "")
    ]
    assert {"ivf_kandas", "ivf_single_women", "ivf_attempts"} <= {e.id for e in open_entries}
    problems = []
    for entry in open_entries:
        kk, ru = entry.answer["kk"], entry.answer["ru"]
        if re.match(r"\W*(иә|да)\b", kk.lower()) or re.match(r"\W*да\b", ru.lower()):
            problems.append(f"{entry.id}: starts with yes")
        if not re.search(r"расталма|расталған|дерек.{0,40}жоқ", kk):
            problems.append(f"{entry.id} (kk): does not say it is not confirmed")
        if not re.search(r"не подтвержд|подтверждённ|нет", ru):
            problems.append(f"{entry.id} (ru): does not say it is not confirmed")
    assert not problems, "\n".join(problems)


# What the bot can do for the asker (README: features). An answer may send the asker to a
# department for data the bot lacks, but must never say the feature itself does not exist.
FEATURE_WORDS: dict[str, tuple[str, ...]] = {
    "queue_lookup": (
        "своё место",
        "свое место",
        "место в очереди",
        "номер в очереди",
        "сервис",
        "орныңыз",
        "орнын",
        "кезектегі орн",
        "нешінші",
    ),
    "eligibility_check": ("проверк", "проверить", "тексеріс", "тексеріп"),
    "village_visits": ("график", "расписани", "кесте", "келу күн", "приедет", "приезд"),
    "reminders": ("напомин", "еске сал"),
    "region_quotas": ("квот по регион", "квоты по регион", "өңірдің квота", "облыстың квота"),
    "facilities": ("список объект", "нысандар тізім", "карточк"),
    "my_region": ("мой регион", "менің өңірім"),
}
DENIALS = (
    "не найден",
    "нет сервиса",
    "нет такого",
    "невозможно",
    "нельзя узнать",
    "не существует",
    "не опубликован",
    "опубликованного",
    "не публику",
    "жоқ",
    "табылмады",
    "мүмкін емес",
    "білуге болмайды",
    "жарияланбаған",
)


def denials_of_features(text: str) -> list[str]:
    """Sentences of `text` that name a feature of the bot together with a denial."""
    found = []
    for sentence in re.split(r"(?<=[.!?;])\s+", text.lower()):
        for feature, words in FEATURE_WORDS.items():
            if any(w in sentence for w in words) and any(d in sentence for d in DENIALS):
                found.append(f"{feature}: {sentence!r}")
    return found


def test_feature_words_cover_every_feature_and_the_denial_check_bites() -> None:
    assert set(FEATURE_WORDS) == FEATURES
    assert denials_of_features("Открытого сервиса, где видно своё место, не найдено.")
    assert denials_of_features("Ауылдар бойынша жарияланған кесте табылмады.")
    assert not denials_of_features("Точного срока решения комиссии у меня нет.")


def test_no_answer_denies_a_feature_the_bot_has(knowledge_base: KnowledgeBase) -> None:
    problems = [
        f"{entry.id} ({lang}) {found}"
        for entry in knowledge_base.all()
        for lang in ("kk", "ru")
        for found in denials_of_features(entry.answer[lang])
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("entry_id", "feature"),
    [
        ("ivf_queue", "queue_lookup"),
        ("ivf_eligibility", "eligibility_check"),
        ("ivf_age", "eligibility_check"),
        ("ivf_quota_national", "region_quotas"),
        ("mobile_schedule", "village_visits"),
        ("perinatal_plan", "facilities"),
    ],
)
def test_a_question_a_feature_answers_offers_that_feature_first(
    knowledge_base: KnowledgeBase, entry_id: str, feature: str
) -> None:
    entry = knowledge_base.get(entry_id)
    assert entry is not None and entry.offers[:1] == (feature,)


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
