import pytest

from bot.services.language import Lang, detect_language
from bot.services.personal_data import redact_personal_data
from bot.services.text_folding import fold


@pytest.mark.parametrize(
    "variant", ["Аңсаған сәби", "Ansagan sabi", "Ańsaǵan sábı", "Ансаган саби", "ANSAGAN SABI"]
)
def test_every_spelling_of_the_programme_folds_alike(variant: str) -> None:
    assert fold(variant) == "ансаган саби"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мне 41 год, я ещё успеваю?", Lang.RU),
        ("Жасым 43-те, қатыса аламын ба?", Lang.KK),
        ("kezek qalai bilemin", Lang.KK),
        ("skolko kvot v almaty", Lang.RU),
        ("perinatalnyi centr v Nur-Sultane", Lang.RU),
        ("ЖМК кашан келеди биздин ауылга", Lang.KK),
        ("<script>alert(1)</script>", None),
        ("эко", None),
        ("34", None),
    ],
)
def test_detects_the_language_only_when_clear(text: str, expected: Lang | None) -> None:
    assert detect_language(text) == expected


def test_personal_data_is_masked() -> None:
    text = "ИИН 900115 400109, тел. +7 (701) 123-45-67, 87011234567, почта a@b.kz, 2025 год"
    assert (
        redact_personal_data(text) == "ИИН [IIN], тел. [PHONE], [PHONE], почта [EMAIL], 2025 год"
    )
