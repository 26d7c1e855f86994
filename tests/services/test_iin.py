import pytest

from bot.services.iin import IinProblem, InvalidIin, control_digit, parse_iin

# Test vectors of FACTS.md E5.
VALID = [
    "900115400109",
    "900115400006",
    "880212400348",
    "950703300514",
    "010315500275",
    "851231400785",
]


@pytest.mark.parametrize("text", VALID)
def test_parse_iin_accepts_the_fact_sheet_vectors(text: str) -> None:
    assert parse_iin(text).digits == text


def test_parse_iin_accepts_spaces_and_dashes_between_groups() -> None:
    assert parse_iin(" 900115 400 109 ").digits == "900115400109"
    assert parse_iin("900115-400109").digits == "900115400109"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("123456789012", IinProblem.CONTROL_DIGIT),  # worked example of [G1]
        ("900115400108", IinProblem.CONTROL_DIGIT),
        ("90011540010", IinProblem.LENGTH),
        ("9001154001090", IinProblem.LENGTH),
        ("", IinProblem.LENGTH),
        ("90011540010O", IinProblem.NOT_DIGITS),
        ("ИИН 900115400109", IinProblem.NOT_DIGITS),
        ("９００１１５４００１０９", IinProblem.NOT_DIGITS),  # full-width digits are not ASCII
    ],
)
def test_parse_iin_says_what_is_wrong(text: str, problem: IinProblem) -> None:
    with pytest.raises(InvalidIin) as caught:
        parse_iin(text)
    assert caught.value.problem is problem
    assert text.strip() == "" or text not in str(caught.value)


def test_prefix_where_both_passes_give_ten_has_no_valid_iin() -> None:
    assert control_digit("90011540002") is None
    for last in "0123456789":
        with pytest.raises(InvalidIin):
            parse_iin("90011540002" + last)


def test_birth_date_digits_are_not_checked() -> None:
    # FACTS.md E4: a month 13 or a century digit 0 is not an error of the IIN.
    first_eleven = "901315000001"[:11]
    check = control_digit(first_eleven)
    assert check is not None
    assert parse_iin(first_eleven + str(check)).digits.startswith("9013")


def test_iin_repr_is_masked() -> None:
    iin = parse_iin("900115400109")
    assert "900115400109" not in repr(iin)
    assert "900115400109" not in str(iin)
    assert "900115400109" not in f"{[iin]}"
