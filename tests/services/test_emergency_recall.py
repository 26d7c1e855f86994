import statistics
import time

import pytest

from bot.services.safety import SafetyFlags, assess, emergency_in, is_emergency
from bot.services.text_folding import fold
from tests.support.emergency_examples import (
    CALM_HELD_OUT,
    CALM_TUNED,
    EMERGENCY_HELD_OUT,
    EMERGENCY_TUNED,
)


@pytest.mark.parametrize("text", EMERGENCY_TUNED)
def test_tuned_emergency_is_recognised(text: str) -> None:
    assert emergency_in(fold(text))


@pytest.mark.parametrize("text", CALM_TUNED)
def test_tuned_calm_message_is_not_an_emergency(text: str) -> None:
    assert not emergency_in(fold(text))


def test_held_out_emergencies_are_all_recognised() -> None:
    # One count, not one test per phrase: a failure must not show the phrase to whoever
    # tunes the detector (bench/emergency_check.py prints the same figures).
    missed = sum(not emergency_in(fold(text)) for text in EMERGENCY_HELD_OUT)
    assert missed == 0


def test_held_out_false_alarms_stay_rare() -> None:
    alarms = sum(emergency_in(fold(text)) for text in CALM_HELD_OUT)
    assert alarms / len(CALM_HELD_OUT) <= 0.02


def test_the_examples_cover_both_languages_and_noisy_styles() -> None:
    emergencies = EMERGENCY_TUNED + EMERGENCY_HELD_OUT
    calm = CALM_TUNED + CALM_HELD_OUT
    assert len(emergencies) >= 150 and len(calm) >= 150
    # The held-out parts were written first, at 28 % of each kind (commit «Emergency examples:
    # tuned and held-out lists, written before tuning»); the tuned parts grew while tuning.
    assert len(EMERGENCY_HELD_OUT) >= 50 and len(CALM_HELD_OUT) >= 50
    assert len(EMERGENCY_HELD_OUT) >= 0.2 * len(emergencies)
    assert len(CALM_HELD_OUT) >= 0.2 * len(calm)
    assert not set(EMERGENCY_TUNED) & set(EMERGENCY_HELD_OUT)
    assert not set(CALM_TUNED) & set(CALM_HELD_OUT)


@pytest.mark.parametrize(
    "text",
    [
        "бала тыныс алмайды",
        "bala tynys almaidy komek",
        "БАЛА ТЫНЫС АЛМАЙДЫ!!!",
        "бала тыныс алмаиды",
        "rebenok ne dyshit",
        "ребенок не дишит",
        "кравотечение",
        "krovotechenie",
        "qan ketip jatyr",
        "esinen tanyp qaldy",
        "қызуы 40",
        "температура 40 не сбивается",
        "баламның ыстығы көтеріліп кетті",
        "не хочу жить",
        "жасағым келмейді",
        "өзімді өлтіргім келеді",
        "помогите",
        "көмектесіңдер",
        "SOS",
    ],
)
def test_the_examples_named_in_the_issue_are_emergencies(text: str) -> None:
    assert is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "анализ крови для ЭКО",
        "қан тапсыру қайда",
        "у меня было кровотечение в прошлом году, дадут квоту",
        "тісім ауырады қай емханаға барамын",
        "УЗИ бар ма жылжымалы кешенде",
        "донор крови",
        "температура после переноса эмбрионов 37.2 это нормально?",
        "помогите узнать номер в очереди",
        "көмектесіңізші, квотаға қалай жазыламын",
        "мне 40 лет, квоту дадут?",
    ],
)
def test_the_calm_examples_named_in_the_issue_are_not_emergencies(text: str) -> None:
    assert not is_emergency(text)


def test_an_emergency_with_a_question_about_pills_raises_both_flags() -> None:
    folded = fold("какие таблетки дать ребенку, температура 40 не сбивается")
    assert assess(folded) == SafetyFlags(emergency=True, medical_advice=True)


def test_a_question_about_normal_temperature_is_medical_advice_not_an_emergency() -> None:
    folded = fold("температура после переноса эмбрионов 37.2 это нормально?")
    assert assess(folded) == SafetyFlags(emergency=False, medical_advice=True)


def test_an_emergency_deep_inside_a_long_message_is_found() -> None:
    filler = "Подскажите пожалуйста по очереди на ЭКО и по квотам в нашей области. " * 25
    text = filler + "Сейчас у ребенка судороги. " + filler
    assert len(text) <= 4096
    assert is_emergency(text)
    assert not is_emergency(filler + filler)


def _best_ms(text: str, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        emergency_in(fold(text))
        timings.append((time.perf_counter() - start) * 1000)
    return min(timings)


def test_a_typical_message_is_checked_in_well_under_a_millisecond() -> None:
    messages = [
        f"Здравствуйте, у ребенка {n} температура, когда очередь на ЭКО?" for n in range(50)
    ]
    timings = []
    for text in messages:  # every message is new: no cache helps
        start = time.perf_counter()
        emergency_in(fold(text))
        timings.append((time.perf_counter() - start) * 1000)
    assert statistics.median(timings) < 0.3


@pytest.mark.parametrize(
    "text",
    [
        " ".join(f"слово{n} кезек квота" for n in range(400)),
        "не " * 1400,
        "кровь " * 700,
        "температура 40 " * 300,
        "а" * 4096,
        "qan " * 1000,
        "!?" * 2048,
    ],
)
def test_a_4096_character_message_is_checked_in_linear_time(text: str) -> None:
    assert _best_ms(text[:4096], runs=5) < 20  # best of 5: the CI machine is shared
