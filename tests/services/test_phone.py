import phonenumbers
import pytest

from bot.services.phone import InvalidPhone, normalize_kazakh_mobile, normalize_phone


@pytest.mark.parametrize(
    "text",
    [
        "+77011234567",
        "+7 701 123 45 67",
        "87011234567",
        "8 (701) 123-45-67",
        "77011234567",
        "7 701 1234567",
        "7011234567",
        " 8-701-123-45-67 ",
    ],
)
def test_every_common_kazakh_form_gives_the_same_number(text: str) -> None:
    assert normalize_phone(text).e164 == "+77011234567"


@pytest.mark.parametrize("text", ["", "12345", "+7 701 123 45 6", "phone", "8701123456789"])
def test_what_is_not_a_phone_number_is_refused(text: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(text)


def test_phone_repr_is_masked() -> None:
    phone = normalize_phone("+77011234567")
    assert "7011234567" not in repr(phone)
    assert "7011234567" not in str(phone)


@pytest.mark.parametrize(
    "text",
    [
        "+7 701 123 45 67",
        "8 (727) 250-11-22",
        "77172 55 66 77",
        "+7 916 123 45 67",
        "7011234567",
        "8-747-000-11-22",
    ],
)
def test_quick_reading_agrees_with_the_phonenumbers_library(text: str) -> None:
    number = phonenumbers.parse(text, "KZ")
    expected = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert normalize_phone(text).e164 == expected


def test_uncommon_forms_go_through_the_library() -> None:
    assert normalize_phone("+998 90 123 45 67").e164 == "+998901234567"
    assert normalize_phone("tel: +7 701 123 4567").e164 == "+77011234567"


@pytest.mark.parametrize(
    "text", ["8 (701) 123-45-67", "+7 747 000 11 22", "87751234567", "7 760 123 45 67"]
)
def test_kazakh_mobile_numbers_are_accepted(text: str) -> None:
    assert normalize_kazakh_mobile(text).e164.startswith("+77")


@pytest.mark.parametrize(
    "text",
    [
        "8702444",  # seven digits: the person could never find their place
        "+7 727 250 00 00",  # an Almaty landline
        "8 7172 55 00 00",  # an Astana landline
        "+7 916 123 45 67",  # a Russian mobile
        "+998 90 123 45 67",
        "",
    ],
)
def test_what_is_not_a_kazakh_mobile_is_refused(text: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_kazakh_mobile(text)
