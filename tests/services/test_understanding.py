"""The understanding step: one reading of a message, one decision, in the documented order."""

from pathlib import Path

import pytest

from bot.services.facilities import FacilityDirectory
from bot.services.ivf_quotas import IvfQuotaTable
from bot.services.knowledge_base import KnowledgeBase
from bot.services.regions import RegionDirectory
from bot.services.settlements import SettlementDirectory
from bot.services.understanding import Decision, DecisionKind, Feature, Understanding

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def understanding() -> Understanding:
    regions = RegionDirectory.load(DATA / "regions.yaml")
    return Understanding(
        KnowledgeBase.load(DATA / "knowledge"),
        regions,
        IvfQuotaTable.load(DATA / "ivf_quotas.yaml"),
        FacilityDirectory.load(DATA / "facilities.yaml", regions),
        SettlementDirectory.load(DATA / "settlements.yaml"),
    )


def decide(understanding: Understanding, text: str, saved_region: str | None = None) -> Decision:
    return understanding.decide(understanding.read(text, saved_region=saved_region))


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("кровотечение после ЭКО, квоту дадут?", "emergency"),
        ("какие таблетки пить после эко по квоте", "medical_advice"),
        ("How do I get an IVF quota?", "unsupported_language"),
        ("😀😀", "no_words"),
        ("Какая погода завтра в Караганде?", "not_found"),
        ("как встать в очередь на эко", "entry:ivf_how_to_apply"),
        ("2021 жылы Алматы қаласына қанша квота берілді?", "feature:region_quotas"),
        # A condition the knowledge base answers on its own beats the general check.
        ("мүгедектік тобым бар, ЭКО квотасын ала аламын ба", "entry:ivf_disability"),
        ("ақылы ЭКО жасадық, ақшаны қайтарып ала аламыз ба", "entry:ivf_paid_refund"),
        ("ЭКО квотасын ала аламын ба", "feature:eligibility_check"),
    ],
)
def test_decisions_come_in_order_emergency_first(
    understanding: Understanding, text: str, label: str
) -> None:
    assert decide(understanding, text).label == label


@pytest.mark.parametrize(
    ("text", "region", "year", "count"),
    [
        ("Сколько квот на ЭКО было у Алматы в 2021 году?", "almaty", 2021, 800),
        ("skolko kvot na eko v almaty dali v 2021", "almaty", 2021, 800),
        ("2024 жылы Атырау облысына ЭКО-ға қанша квота бөлінді?", "atyrau", 2024, 231),
        ("квоты на эко костанайская область", "kostanay", 2026, 261),
        ("сколько квот в туркестанской области", "turkistan", None, None),
        ("туркистан облысына канша квота", "turkistan", None, None),
    ],
)
def test_quota_questions_naming_a_region_use_the_quota_table(
    understanding: Understanding, text: str, region: str, year: int | None, count: int | None
) -> None:
    decision = decide(understanding, text)
    assert decision.feature is Feature.REGION_QUOTAS
    assert decision.region is not None and decision.region.code == region
    assert decision.quotas is not None
    if year is not None:
        assert (year, count) in [(f.year, f.quotas) for f in decision.quotas.quotas]


def test_a_region_without_figures_gets_an_empty_record_not_a_guess(
    understanding: Understanding,
) -> None:
    decision = decide(understanding, "сколько квот на эко в Павлодаре")
    assert decision.feature is Feature.REGION_QUOTAS
    assert decision.quotas is not None and not decision.quotas.quotas


def test_in_my_region_uses_the_saved_region_or_asks_for_one(understanding: Understanding) -> None:
    saved = decide(understanding, "менин облысымда квота канша", saved_region="kyzylorda")
    assert saved.feature is Feature.REGION_QUOTAS
    assert saved.region is not None and saved.region.code == "kyzylorda"
    unsaved = decide(understanding, "менин облысымда квота канша")
    assert unsaved.feature is Feature.REGION_QUOTAS and unsaved.region is None


def test_a_region_in_a_question_on_another_topic_keeps_that_topic(
    understanding: Understanding,
) -> None:
    decision = decide(
        understanding, "Ақтөбедегі перинаталдық орталықта жылына қанша ЭКО жасалады?"
    )
    assert decision.label == "entry:ivf_aktobe"


@pytest.mark.parametrize(
    "text",
    ["где я в очереди на ЭКО", "менин кезегим кашан", "кезек", "kezekte neshinshimin"],
)
def test_ones_own_place_in_the_queue_is_the_look_up_feature(
    understanding: Understanding, text: str
) -> None:
    assert decide(understanding, text).feature is Feature.QUEUE_LOOKUP


@pytest.mark.parametrize(
    "text", ["как встать в очередь на эко", "Тегін ЭКО кезегіне қалай тұрамын?"]
)
def test_how_to_get_into_the_queue_is_not_a_look_up(
    understanding: Understanding, text: str
) -> None:
    assert decide(understanding, text).feature is not Feature.QUEUE_LOOKUP


@pytest.mark.parametrize(
    ("text", "settlement"),
    [
        ("медпойыз шидертиге кашан келеди", "shiderty"),
        ("когда медпоезд приедет в шидерты", "shiderty"),
        ("Shieli-ge JMK qashan keledi", "shieli"),
        ("Шидерты", "shiderty"),  # a village named alone asks for its visits
        ("Мартук", "martok"),
    ],
)
def test_a_named_village_gets_its_visits(
    understanding: Understanding, text: str, settlement: str
) -> None:
    decision = decide(understanding, text)
    assert decision.feature is Feature.VILLAGE_VISITS
    assert [place.code for place in decision.settlements] == [settlement]


def test_kazakh_for_remind_me_opens_the_reminders(understanding: Understanding) -> None:
    assert decide(understanding, "медпойыз келгенде еске салыңызшы").feature is Feature.REMINDERS


def test_when_the_mobile_clinic_comes_opens_the_visits(understanding: Understanding) -> None:
    decision = decide(understanding, "когда приедет передвижная поликлиника к нам в село")
    assert Feature.MOBILE_VISITS in decision.offered_features


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("здравствуйте я с туркестанской области хочу эко бесплатно можно", "entry:hello"),
    ],
)
def test_a_greeting_does_not_swallow_the_question(
    understanding: Understanding, text: str, expected: str
) -> None:
    assert decide(understanding, text).label != expected


def test_an_emergency_with_a_question_about_pills_also_declines_advice(
    understanding: Understanding,
) -> None:
    decision = decide(understanding, "кровотечение сильное какие таблетки пить")
    assert decision.kind is DecisionKind.EMERGENCY
    assert decision.also_medical_advice


def test_reading_masks_personal_data_before_anything_else(understanding: Understanding) -> None:
    reading = understanding.read("мой иин 900115400109 тел +7 701 123 45 67 где очередь")
    assert "900115400109" not in reading.text and "701" not in reading.text


# Floors at the held-out figures measured by bench/understanding_accuracy.py (README
# «Understanding»): they may rise, never fall on the same messages. Counts only: a failing test
# must not show a held-out message to whoever tunes the matcher. The sixth round (`…-g…`) added
# 20 fresh held-out messages (emergencies; subscriptions, language, /forget, «ask a person»),
# 17 of them right, one with no language told: 893/942 = 94.8 % and 918/919; the older ones
# 876/922. Each floor sits at its figure: one decision fewer fails.
HELD_OUT_RIGHT_FLOOR = 0.947
HELD_OUT_EMERGENCY_RECALL_FLOOR = 1.0
HELD_OUT_FALSE_ALARMS_CEILING = 0.01
HELD_OUT_REPLY_LANGUAGE_FLOOR = 0.998


@pytest.fixture(scope="module")
def held_out() -> list:
    import sys

    sys.path.insert(0, str(DATA.parent / "bench"))
    import understanding_accuracy

    return [item for item in understanding_accuracy.load_corpus() if item.part == "held-out"]


def test_held_out_corpus_keeps_its_measured_accuracy(
    understanding: Understanding, held_out: list
) -> None:
    from understanding_accuracy import is_right

    right = sum(is_right(decide(understanding, item.text), item.expect) for item in held_out)
    assert len(held_out) >= 0.29 * 3159
    assert right / len(held_out) >= HELD_OUT_RIGHT_FLOOR


def test_held_out_emergencies_keep_their_recall_without_false_alarms(
    understanding: Understanding, held_out: list
) -> None:
    emergencies = [item for item in held_out if "emergency" in item.expect]
    calm = [item for item in held_out if "emergency" not in item.expect]
    caught = sum(decide(understanding, i.text).kind is DecisionKind.EMERGENCY for i in emergencies)
    alarms = sum(decide(understanding, i.text).kind is DecisionKind.EMERGENCY for i in calm)
    assert len(emergencies) >= 60
    assert caught / len(emergencies) >= HELD_OUT_EMERGENCY_RECALL_FLOOR
    assert alarms / len(calm) <= HELD_OUT_FALSE_ALARMS_CEILING


def test_held_out_messages_are_answered_in_their_own_language(
    understanding: Understanding, held_out: list
) -> None:
    judged = [item for item in held_out if item.lang in ("kk", "ru")]
    right = sum(understanding.read(item.text).language == item.lang for item in judged)
    assert right / len(judged) >= HELD_OUT_REPLY_LANGUAGE_FLOOR
