"""Whether a couple is likely to get a free IVF quota under «Аңсаған сәби»: rules with their facts.

Every rule names the row of `../shared/domain/FACTS.md` it rests on. The verdict is never a
decision: the commission at the health department and a doctor decide (A3.5).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.services.regions import Region, RegionDirectory
from bot.services.text_folding import fold, looks_like_question

# What the check accepts as an age at all; anything else is a typo, not an answer.
MIN_AGE_ASKED = 14
MAX_AGE_ASKED = 60
# Reproductive age in the ART rules as the Fund publishes it (A2.5, F8).
MIN_AGE = 18
MAX_AGE = 42


class Reply(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    LIKELY_ELIGIBLE = "likely_eligible"
    LIKELY_NOT_ELIGIBLE = "likely_not_eligible"
    CANNOT_TELL = "cannot_tell"


class Effect(StrEnum):
    MET = "met"
    BLOCKS = "blocks"
    OPEN = "open"  # the person must find out before anyone can tell


class Finding(StrEnum):
    AGE_IN_RANGE = "age_in_range"
    AGE_OUT_OF_RANGE = "age_out_of_range"
    INSURED = "insured"
    NOT_INSURED = "not_insured"
    INSURANCE_UNKNOWN = "insurance_unknown"
    DIAGNOSED = "diagnosed"
    NOT_DIAGNOSED = "not_diagnosed"
    DIAGNOSIS_UNKNOWN = "diagnosis_unknown"
    NO_CONTRAINDICATIONS = "no_contraindications"
    CONTRAINDICATED = "contraindicated"
    CONTRAINDICATIONS_UNKNOWN = "contraindications_unknown"


@dataclass(frozen=True, slots=True)
class EligibilityAnswers:
    """What the person said; `age` is the woman's age in years."""

    age: int
    insured: Reply
    diagnosis: Reply
    contraindications: Reply


def answers_from_stored(data: Mapping[str, Any]) -> EligibilityAnswers | None:
    """The answers kept between the check's steps (the dialog's data); None when one is missing
    or unreadable (a check interrupted, or kept by an older version)."""
    try:
        return EligibilityAnswers(
            age=int(data["age"]),
            insured=Reply(data["insured"]),
            diagnosis=Reply(data["diagnosis"]),
            contraindications=Reply(data["contraindications"]),
        )
    except (KeyError, ValueError, TypeError):
        return None


@dataclass(frozen=True, slots=True)
class Reason:
    finding: Finding
    effect: Effect
    facts: tuple[str, ...]  # FACTS.md rows


@dataclass(frozen=True, slots=True)
class EligibilityVerdict:
    age: int
    outcome: Outcome
    reasons: tuple[Reason, ...]

    @property
    def blockers(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if reason.effect is Effect.BLOCKS)

    @property
    def open_questions(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if reason.effect is Effect.OPEN)


def _age_rule(age: int) -> Reason:
    # A2.5 (MED): 18–42 per the Fund's published answers; before 2012 the cut-off was 35 (A1.7).
    if MIN_AGE <= age <= MAX_AGE:
        return Reason(Finding.AGE_IN_RANGE, Effect.MET, ("A2.5", "F8"))
    return Reason(Finding.AGE_OUT_OF_RANGE, Effect.BLOCKS, ("A2.5", "F8"))


def _answer_rule(
    reply: Reply, good: Reply, findings: tuple[Finding, Finding, Finding], facts: tuple[str, ...]
) -> Reason:
    """`findings` are (met, blocks, open): the good reply meets the rule, «don't know» leaves it
    open, the other reply blocks it."""
    met, blocks, unknown = findings
    if reply is Reply.UNKNOWN:
        return Reason(unknown, Effect.OPEN, facts)
    if reply is good:
        return Reason(met, Effect.MET, facts)
    return Reason(blocks, Effect.BLOCKS, facts)


def _insurance_rule(reply: Reply) -> Reason:
    # A2.1: the quota is provided within ОСМС; A2.2 who is insured; A2.3 three months of grace;
    # F2 where to check one's status.
    findings = (Finding.INSURED, Finding.NOT_INSURED, Finding.INSURANCE_UNKNOWN)
    return _answer_rule(reply, Reply.YES, findings, ("A2.1", "A2.2", "A2.3", "F2"))


def _diagnosis_rule(reply: Reply) -> Reason:
    # A2.5: couples with an infertility diagnosis; A2.8: infertility = 12 months without pregnancy.
    findings = (Finding.DIAGNOSED, Finding.NOT_DIAGNOSED, Finding.DIAGNOSIS_UNKNOWN)
    return _answer_rule(reply, Reply.YES, findings, ("A2.5", "A2.8", "A3.1"))


def _contraindication_rule(reply: Reply) -> Reason:
    # A2.4: diseases contraindicating pregnancy and childbirth, or dependence, bar ART;
    # disability by itself does not (A2.4, A2.6).
    findings = (
        Finding.NO_CONTRAINDICATIONS,
        Finding.CONTRAINDICATED,
        Finding.CONTRAINDICATIONS_UNKNOWN,
    )
    return _answer_rule(reply, Reply.NO, findings, ("A2.4", "A2.9"))


def check_eligibility(answers: EligibilityAnswers) -> EligibilityVerdict:
    """Likely eligible, likely not (any rule blocks), or cannot tell yet (something to check)."""
    if not MIN_AGE_ASKED <= answers.age <= MAX_AGE_ASKED:
        raise ValueError(f"age {answers.age} is outside {MIN_AGE_ASKED}–{MAX_AGE_ASKED}")
    reasons = (
        _age_rule(answers.age),
        _insurance_rule(answers.insured),
        _diagnosis_rule(answers.diagnosis),
        _contraindication_rule(answers.contraindications),
    )
    effects = {reason.effect for reason in reasons}
    if Effect.BLOCKS in effects:
        outcome = Outcome.LIKELY_NOT_ELIGIBLE
    elif Effect.OPEN in effects:
        outcome = Outcome.CANNOT_TELL
    else:
        outcome = Outcome.LIKELY_ELIGIBLE
    return EligibilityVerdict(age=answers.age, outcome=outcome, reasons=reasons)


def verdict_from_stored(data: Mapping[str, Any]) -> EligibilityVerdict | None:
    """The verdict on the answers kept between the steps; None when they cannot be read."""
    answers = answers_from_stored(data)
    return None if answers is None else check_eligibility(answers)


_NUMBER = re.compile(r"\d+")


def parse_age(text: str) -> int | None:
    """The one whole number in `text` («34», «мне 34 года», «34 жаста»); None otherwise."""
    numbers = _NUMBER.findall(text)
    if len(numbers) != 1 or len(numbers[0]) > 3:
        return None
    return int(numbers[0])


def age_is_plausible(age: int) -> bool:
    return MIN_AGE_ASKED <= age <= MAX_AGE_ASKED


# Typed answers, in Kazakh, Russian and Latin script; compared after folding.
_REPLY_WORDS: dict[Reply, tuple[str, ...]] = {
    Reply.YES: (
        "да",
        "иә",
        "ия",
        "иа",
        "ia",
        "yes",
        "ага",
        "угу",
        "есть",
        "бар",
        "әрине",
        "конечно",
    ),
    Reply.NO: ("нет", "жоқ", "жок", "no", "неа", "емес"),
    Reply.UNKNOWN: (
        "не знаю",
        "незнаю",
        "не уверена",
        "не уверен",
        "білмеймін",
        "білмедім",
        "бельгисиз",
        "белгісіз",
        "не помню",
        "хз",
        # Latin spellings that fold differently («j» is «ж», «y» is «ы»).
        "ne znaju",
        "neznaju",
        "bilmeymin",
    ),
}
_FOLDED_REPLIES: dict[str, Reply] = {
    fold(word): reply for reply, words in _REPLY_WORDS.items() for word in words
}


def parse_reply(text: str) -> Reply | None:
    """«да», «иә», «zhoq», «не знаю»… as a reply to a yes/no/don't-know question."""
    return _FOLDED_REPLIES.get(fold(text))


# Reading a typed answer to a step -----------------------------------------------------------
class Misread(StrEnum):
    """Why a typed message is not taken as the answer to the step asked."""

    QUESTION = "question"  # a question typed mid-check, not a mistyped answer
    NOT_AN_AGE = "not_an_age"
    AGE_OUT_OF_RANGE = "age_out_of_range"
    NOT_A_REPLY = "not_a_reply"
    NO_REGION = "no_region"


def _misread(text: str, mistyped: Misread) -> Misread:
    return Misread.QUESTION if looks_like_question(text) else mistyped


def read_age(text: str) -> int | Misread:
    # «сколько квот в 2025?» holds a number, but a question mark says it is a question.
    if "?" in text:
        return Misread.QUESTION
    age = parse_age(text)
    if age is None:
        return _misread(text, Misread.NOT_AN_AGE)
    if not age_is_plausible(age):
        return _misread(text, Misread.AGE_OUT_OF_RANGE)
    return age


def read_reply(text: str) -> Reply | Misread:
    reply = parse_reply(text)
    return _misread(text, Misread.NOT_A_REPLY) if reply is None else reply


def read_region(text: str, regions: RegionDirectory) -> Region | Misread:
    # «где в Караганде делают ЭКО?» names a region, but it asks something else.
    if "?" in text:
        return Misread.QUESTION
    region = regions.find(text)
    return _misread(text, Misread.NO_REGION) if region is None else region
