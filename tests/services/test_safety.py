import pytest

from bot.services.safety import (
    asks_for_medical_advice,
    has_words,
    is_emergency,
    is_unsupported_language,
)


@pytest.mark.parametrize(
    "text",
    [
        "У меня сильное кровотечение после пункции",
        "ребенок не дышит что делать",
        "жена потеряла сознание",
        "сильная боль внизу живота после переноса",
        "у ребёнка судороги",
        "воды отошли",
        "Қан кетіп жатыр, не істеймін?",
        "кан кетип жатыр",
        "qan ketip jatyr",
        "Балам дем ала алмай жатыр",
        "Есінен танып қалды",
        "іш қатты ауырып тұр",
        "SROCHNO krovotechenie",
        # Vomiting with a sign of danger; something unknown swallowed (sixth round, tuning).
        "кызым 3 кун болды тамак ишпейди кусып жатыр",
        "балам бирдене ишип кетти кусып жатыр",
        "у дочки 2 года с утра рвота 6 раз и вялая",
        "балам улады бир нарсе ишип койды",
        "qyzym dari ishyp qoidy kop",
    ],
)
def test_emergencies_are_recognised_in_both_languages_and_scripts(text: str) -> None:
    assert is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "Сколько квот на ЭКО?",
        "Как встать в очередь?",
        "Кезекке қалай тұрамын?",
        "Протонная терапия платная или по страховке?",
        "Когда приедет передвижной медкомплекс?",
        "У меня инвалидность второй группы. Могут отказать в квоте?",
        "Күйеуімде бедеулік анықталды, менде бәрі қалыпты",
        # Vomiting in pregnancy asked about, a poisoning long past.
        "Жүкті кезде құсу қалыпты ма",
        "токсикоз, тошнит по утрам, это нормально?",
        "мама в прошлом году отравилась грибами, сейчас все хорошо, хотим на эко",
        "балам былтыр уланған еді қазір жақсы",
    ],
)
def test_ordinary_questions_are_not_emergencies(text: str) -> None:
    assert not is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "какие таблетки пить после эко",
        "чем лечить бесплодие",
        "какая дозировка прогестерона",
        "что можно есть после переноса",
        "ЭКО-дан кейін қандай тамақ жеген дұрыс?",
        "қандай дәрі ішу керек",
        "бедеулікті қалай емдейді",
        "какие таблетки пить",
        "қандай дәрі ішейін",
        "не ішсем болады",
        "чем лечить",
        "можно ли пить при беременности",
        "можно ли пить но-шпу при беременности",
        "жүкті кезде парацетамол ішуге бола ма",
        "qandai dari isheiin",
        "kakie tabletki pit",
        "дюфастон пить или нет",
        "утрожестан как принимать",
        "что делать если болит живот после пункции",
        "іші ауырса не істеу керек",
        "температура после переноса эмбрионов 37.2 это нормально?",
        "ЭКО-дан кейін 37,2 қызу қалыпты ма",
        "менопур или гонал что лучше",
        "прогестерон 12 это норма?",
        "посмотрите мои анализы пожалуйста",
        "балаға қандай сироп беремін",
        "фолий қышқылын қалай ішемін",
        "что принять от изжоги",
    ],
)
def test_requests_for_medical_advice_are_recognised(text: str) -> None:
    assert asks_for_medical_advice(text)


@pytest.mark.parametrize(
    "text",
    [
        "что есть в медпоезде",
        "Онкологическая помощь бесплатна?",
        "В ПМК делают прививки?",
        "Можно ли самой выбрать клинику?",
        "ЖМК-да екпе салады ма?",
        "какие анализы нужны для ЭКО",
        "ЭКО үшін қандай анализдер керек",
        "какие документы нужны для квоты",
        "можно ли встать в очередь второй раз",
        "это нормально что очередь не двигается?",
        "кезегім жылжымай тұр, бұл қалыпты ма",
        "болит зуб, в какую поликлинику идти",
        "тісім ауырады қай емханаға барамын",
        "бесплатные лекарства по ОСМС",
        "жылжымалы кешенде қандай дәрігерлер қабылдайды",
        "как принимать участие в программе",
        "где лечат бесплодие",
        "что принято решение по нашей квоте",
        "емханада қалай қабылдайды",
    ],
)
def test_questions_about_services_are_not_medical_advice(text: str) -> None:
    assert not asks_for_medical_advice(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hello, how can I get IVF?",
        "what is ansagan sabi",
        "help",
        "Salom, EKO uchun navbat qanday olish mumkin?",
        "Qanday qilib kvota olsa boʻladi",
        "Менга навбат керак",
    ],
)
def test_english_and_uzbek_are_recognised(text: str) -> None:
    assert is_unsupported_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "skolko kvot na eko v almaty i gde",
        "kezekke qalai turamyn",
        "bag'darlama o'tinish qalai",
        "Ańsaǵan sábı",
        "EKO 45 jasta bola ma",
        "IVF",
        "Сколько квот?",
    ],
)
def test_kazakh_and_russian_in_latin_letters_are_not_foreign(text: str) -> None:
    assert not is_unsupported_language(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", False), ("  ", False), ("😀🙏", False), ("?!…", False), ("эко", True), ("7", True)],
)
def test_has_words(text: str, expected: bool) -> None:
    assert has_words(text) is expected
