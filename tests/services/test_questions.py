from pathlib import Path

import pytest

from bot.services.knowledge_base import KnowledgeBase
from bot.services.questions import known_word_checker, redact_question
from bot.services.regions import RegionDirectory

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.load(DATA / "knowledge")


@pytest.fixture(scope="module")
def regions() -> RegionDirectory:
    return RegionDirectory.load(DATA / "regions.yaml")


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
