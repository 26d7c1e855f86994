import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.services.eligibility import (
    EligibilityAnswers,
    Finding,
    Misread,
    Outcome,
    Reply,
    age_is_plausible,
    answers_from_stored,
    check_eligibility,
    parse_age,
    parse_reply,
    read_age,
    read_region,
    read_reply,
    verdict_from_stored,
)
from bot.services.regions import Region, RegionDirectory
from bot.services.text_folding import looks_like_question

FACTS = Path("/work/shared/domain/FACTS.md")


def answers(
    age: int = 34,
    insured: Reply = Reply.YES,
    diagnosis: Reply = Reply.YES,
    contraindications: Reply = Reply.NO,
) -> EligibilityAnswers:
    return EligibilityAnswers(age, insured, diagnosis, contraindications)


@pytest.mark.parametrize(
    ("age", "outcome"),
    [
        (14, Outcome.LIKELY_NOT_ELIGIBLE),
        (17, Outcome.LIKELY_NOT_ELIGIBLE),
        (18, Outcome.LIKELY_ELIGIBLE),
        (35, Outcome.LIKELY_ELIGIBLE),
        (42, Outcome.LIKELY_ELIGIBLE),
        (43, Outcome.LIKELY_NOT_ELIGIBLE),
        (60, Outcome.LIKELY_NOT_ELIGIBLE),
    ],
)
def test_age_rule_follows_the_published_18_to_42(age: int, outcome: Outcome) -> None:
    verdict = check_eligibility(answers(age=age))
    assert verdict.outcome is outcome
    age_reason = verdict.reasons[0]
    assert age_reason.facts[0] == "A2.5"
    expected = Finding.AGE_IN_RANGE if 18 <= age <= 42 else Finding.AGE_OUT_OF_RANGE
    assert age_reason.finding is expected


@pytest.mark.parametrize("age", [13, 61, 0, -5, 200])
def test_ages_outside_what_the_check_accepts_are_refused(age: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        check_eligibility(answers(age=age))


@pytest.mark.parametrize(
    ("field", "reply", "outcome", "finding"),
    [
        ("insured", Reply.YES, Outcome.LIKELY_ELIGIBLE, None),
        ("insured", Reply.NO, Outcome.LIKELY_NOT_ELIGIBLE, Finding.NOT_INSURED),
        ("insured", Reply.UNKNOWN, Outcome.CANNOT_TELL, Finding.INSURANCE_UNKNOWN),
        ("diagnosis", Reply.NO, Outcome.LIKELY_NOT_ELIGIBLE, Finding.NOT_DIAGNOSED),
        ("diagnosis", Reply.UNKNOWN, Outcome.CANNOT_TELL, Finding.DIAGNOSIS_UNKNOWN),
        ("contraindications", Reply.NO, Outcome.LIKELY_ELIGIBLE, None),
        ("contraindications", Reply.YES, Outcome.LIKELY_NOT_ELIGIBLE, Finding.CONTRAINDICATED),
        (
            "contraindications",
            Reply.UNKNOWN,
            Outcome.CANNOT_TELL,
            Finding.CONTRAINDICATIONS_UNKNOWN,
        ),
    ],
)
def test_each_answer_moves_the_verdict(
    field: str, reply: Reply, outcome: Outcome, finding: Finding | None
) -> None:
    verdict = check_eligibility(answers(**{field: reply}))
    assert verdict.outcome is outcome
    flagged = [reason.finding for reason in (*verdict.blockers, *verdict.open_questions)]
    assert flagged == ([finding] if finding else [])


def test_a_blocker_outweighs_open_questions_and_both_are_reported() -> None:
    verdict = check_eligibility(
        answers(age=43, insured=Reply.UNKNOWN, contraindications=Reply.UNKNOWN)
    )
    assert verdict.outcome is Outcome.LIKELY_NOT_ELIGIBLE
    assert [r.finding for r in verdict.blockers] == [Finding.AGE_OUT_OF_RANGE]
    assert [r.finding for r in verdict.open_questions] == [
        Finding.INSURANCE_UNKNOWN,
        Finding.CONTRAINDICATIONS_UNKNOWN,
    ]


def test_every_blocker_is_listed_not_just_the_first() -> None:
    verdict = check_eligibility(
        answers(age=17, insured=Reply.NO, diagnosis=Reply.NO, contraindications=Reply.YES)
    )
    assert len(verdict.blockers) == 4


@pytest.mark.skipif(not FACTS.exists(), reason="the shared fact sheet is not on this machine")
def test_every_rule_cites_rows_that_exist_in_the_fact_sheet() -> None:
    rows = set(re.findall(r"^\| ([A-F]\d+(?:\.\d+)?) \|", FACTS.read_text(), flags=re.M))
    every_reply = [
        answers(age=age, insured=reply, diagnosis=reply, contraindications=reply)
        for age in (17, 30)
        for reply in Reply
    ]
    cited = {fact for a in every_reply for r in check_eligibility(a).reasons for fact in r.facts}
    assert cited <= rows
    assert {"A2.1", "A2.4", "A2.5", "A2.8"} <= cited


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("34", 34),
        (" 34 ", 34),
        ("мне 34 года", 34),
        ("34 жаста", 34),
        ("17", 17),
        ("abc", None),
        ("", None),
        ("34 и 36", None),
        ("34.5", None),
        ("1000", None),
        ("тридцать", None),
    ],
)
def test_parse_age_takes_exactly_one_number(text: str, age: int | None) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize(
    ("age", "plausible"),
    [(13, False), (14, True), (17, True), (43, True), (60, True), (61, False)],
)
def test_the_check_accepts_ages_from_14_to_60(age: int, plausible: bool) -> None:
    assert age_is_plausible(age) is plausible


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("Да", Reply.YES),
        ("иә", Reply.YES),
        ("Иә!", Reply.YES),
        ("ia", Reply.YES),
        ("нет", Reply.NO),
        ("Жоқ", Reply.NO),
        ("zhoq", Reply.NO),
        ("Не знаю", Reply.UNKNOWN),
        ("Білмеймін", Reply.UNKNOWN),
        ("ne znaju", Reply.UNKNOWN),
        ("bilmeymin", Reply.UNKNOWN),
        ("может быть", None),
        ("34", None),
    ],
)
def test_typed_replies_in_any_script(text: str, reply: Reply | None) -> None:
    assert parse_reply(text) is reply


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("сколько стоит эко?", True),
        ("где сдать анализы в Алматы", True),
        ("квота", False),
        ("abc", False),
        ("34 года", False),
    ],
)
def test_a_question_is_told_from_a_mistyped_answer(text: str, question: bool) -> None:
    assert looks_like_question(text) is question


def test_stored_answers_are_read_back_and_incomplete_ones_refused() -> None:
    stored = {"age": 34, "insured": "yes", "diagnosis": "unknown", "contraindications": "no"}
    assert answers_from_stored(stored) == answers(diagnosis=Reply.UNKNOWN)
    assert answers_from_stored({**stored, "age": "34"}) == answers(diagnosis=Reply.UNKNOWN)
    for broken in ({"age": 34}, {**stored, "insured": "maybe"}, {**stored, "age": None}):
        assert answers_from_stored(broken) is None


def test_the_verdict_on_stored_answers_keeps_the_age_and_refuses_broken_data() -> None:
    stored = {"age": 44, "insured": "yes", "diagnosis": "yes", "contraindications": "no"}
    result = verdict_from_stored(stored)
    assert result is not None
    assert (result.age, result.outcome) == (44, Outcome.LIKELY_NOT_ELIGIBLE)
    assert verdict_from_stored({"age": 44}) is None


@pytest.mark.parametrize(
    ("step", "text", "read"),
    [
        (read_age, "34", 34),
        (read_age, "мне 34 года", 34),
        (read_age, "34 жаста", 34),
        (read_age, "отыз", Misread.NOT_AN_AGE),
        (read_age, "5", Misread.AGE_OUT_OF_RANGE),
        (read_age, "сколько квот в 2025?", Misread.QUESTION),
        (read_age, "34?", Misread.QUESTION),
        (read_age, "а где можно сдать анализы", Misread.QUESTION),
        (read_age, "мне было 70 в прошлом году", Misread.QUESTION),
        (read_reply, "иә", Reply.YES),
        (read_reply, "жок", Reply.NO),
        (read_reply, "может", Misread.NOT_A_REPLY),
        (read_reply, "а сколько ждать очередь?", Misread.QUESTION),
    ],
)
def test_a_typed_answer_is_taken_re_asked_or_read_as_a_question(
    step: Callable[[str], object], text: str, read: object
) -> None:
    assert step(text) == read


def test_a_typed_region_is_found_re_asked_or_read_as_a_question() -> None:
    regions = RegionDirectory.load(PROJECT_ROOT / "data" / "regions.yaml")
    found = read_region("Караганда", regions)
    assert isinstance(found, Region) and found.code == "karaganda"
    assert read_region("qwerty", regions) is Misread.NO_REGION
    assert read_region("где в Караганде делают ЭКО?", regions) is Misread.QUESTION
