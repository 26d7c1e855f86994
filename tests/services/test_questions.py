from pathlib import Path

import pytest

from bot.services.ivf_quotas import IvfQuotaTable
from bot.services.knowledge_base import KnowledgeBase
from bot.services.questions import (
    AnswerKind,
    answer_question,
    known_word_checker,
    redact_question,
)
from bot.services.regions import RegionDirectory

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.load(DATA / "knowledge")


@pytest.fixture(scope="module")
def regions() -> RegionDirectory:
    return RegionDirectory.load(DATA / "regions.yaml")


@pytest.fixture(scope="module")
def quotas() -> IvfQuotaTable:
    return IvfQuotaTable.load(DATA / "ivf_quotas.yaml")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("кровотечение после ЭКО, квоту дадут?", AnswerKind.EMERGENCY),
        ("какие таблетки пить после эко по квоте", AnswerKind.MEDICAL_ADVICE),
        ("How do I get an IVF quota?", AnswerKind.UNSUPPORTED_LANGUAGE),
        ("😀😀", AnswerKind.NO_WORDS),
        ("Какая погода завтра в Караганде?", AnswerKind.NOT_FOUND),
        ("как встать в очередь на эко", AnswerKind.ENTRY),
        ("2021 жылы Алматы қаласына қанша квота берілді?", AnswerKind.REGION_QUOTAS),
    ],
)
def test_questions_are_sorted_emergency_first(
    *,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    quotas: IvfQuotaTable,
    text: str,
    kind: AnswerKind,
) -> None:
    assert answer_question(text, knowledge_base, regions, quotas).kind is kind


@pytest.mark.parametrize(
    ("text", "region", "year", "count"),
    [
        ("Сколько квот на ЭКО было у Алматы в 2021 году?", "almaty", 2021, 800),
        ("skolko kvot na eko v almaty dali v 2021", "almaty", 2021, 800),
        ("2024 жылы Атырау облысына ЭКО-ға қанша квота бөлінді?", "atyrau", 2024, 231),
        ("квоты на эко костанайская область", "kostanay", 2026, 261),
    ],
)
def test_quota_questions_naming_a_region_use_the_quota_table(
    *,
    knowledge_base: KnowledgeBase,
    regions: RegionDirectory,
    quotas: IvfQuotaTable,
    text: str,
    region: str,
    year: int,
    count: int,
) -> None:
    answer = answer_question(text, knowledge_base, regions, quotas)
    assert answer.kind is AnswerKind.REGION_QUOTAS
    assert answer.region is not None and answer.region.code == region
    assert answer.quotas is not None
    assert (year, count) in [(figure.year, figure.quotas) for figure in answer.quotas.quotas]


def test_a_region_without_figures_gets_an_empty_record_not_a_guess(
    knowledge_base: KnowledgeBase, regions: RegionDirectory, quotas: IvfQuotaTable
) -> None:
    answer = answer_question("сколько квот на эко в Павлодаре", knowledge_base, regions, quotas)
    assert answer.kind is AnswerKind.REGION_QUOTAS
    assert answer.quotas is not None and not answer.quotas.quotas


def test_a_region_in_a_question_on_another_topic_keeps_that_topic(
    knowledge_base: KnowledgeBase, regions: RegionDirectory, quotas: IvfQuotaTable
) -> None:
    answer = answer_question(
        "Ақтөбедегі перинаталдық орталықта жылына қанша ЭКО жасалады?",
        knowledge_base,
        regions,
        quotas,
    )
    assert answer.kind is AnswerKind.ENTRY
    assert answer.entry is not None and answer.entry.id == "ivf_aktobe"


def test_unanswered_questions_lose_iins_phones_names_and_addresses(
    knowledge_base: KnowledgeBase, regions: RegionDirectory
) -> None:
    text = (
        "Меня зовут Айгерим Садыкова, живу ул. Абая 15, кв. 3. Мой ИИН 900115400109, "
        "тел +7 701 123 45 67, пишите aigerim@mail.kz. Можно ли с Ерланом поговорить в Алматы?"
    )
    redacted = redact_question(text, known_word_checker(knowledge_base, regions))
    for secret in ("Айгерим", "Садыкова", "Абая", "900115400109", "701", "aigerim", "Ерлан"):
        assert secret.lower() not in redacted.text.lower()
        assert secret.lower() not in redacted.normalised
    assert "Алматы" in redacted.text
    assert "[IIN]" in redacted.text and "[PHONE]" in redacted.text


def test_the_same_question_typed_differently_is_normalised_alike(
    knowledge_base: KnowledgeBase, regions: RegionDirectory
) -> None:
    check = known_word_checker(knowledge_base, regions)
    assert (
        redact_question("Когда будет УЗИ для собак?", check).normalised
        == redact_question("когда будет узи для собак", check).normalised
    )
