"""GB 11643 ID numbers and phone numbers: each kind of mistake gets its own message."""

from datetime import date

import pytest

from linli.people.tests.factories import id_number
from linli.people.validators import (
    id_number_birth_date,
    id_number_check_digit,
    id_number_gender,
    id_number_problem,
    normalize_id_number,
    normalize_phone,
    phone_problem,
)

GOOD = "11010519491231002X"  # the standard's own example


@pytest.fixture(autouse=True)
def _english(settings):
    from django.utils import translation

    with translation.override("en"):
        yield


def test_the_standard_example_is_valid():
    assert id_number_check_digit(GOOD[:17]) == "X"
    assert id_number_problem(GOOD) is None
    assert id_number_problem(GOOD.lower()) is None
    assert id_number_problem(" 110105 19491231 002x ") is None
    assert normalize_id_number(" 110105 19491231 002x ") == GOOD


def test_birth_date_and_gender_come_from_the_number():
    assert id_number_birth_date(GOOD) == date(1949, 12, 31)
    assert id_number_gender(GOOD) == "female"
    assert id_number_gender(id_number(serial=123)) == "male"


@pytest.mark.parametrize(("value", "message"), [
    ("1101051949123100", "The ID number must have 18 characters."),
    ("11010519491231002XX", "The ID number must have 18 characters."),
    ("11010519491231A02X", "The ID number must be 17 digits followed by a digit or X."),
    ("11010519491231002Y", "The ID number must be 17 digits followed by a digit or X."),
    ("99010519491231002X", "The ID number's first two digits are not a province code."),
    ("110105194902300021", "Characters 7 to 14 of the ID number are not a valid birth date."),
    ("110105189912310021",
     "The birth date in the ID number (characters 7 to 14) is not plausible."),
    ("110105194912310021", "The ID number's last character (the check digit) does not "
     "match the other 17: a character was probably mistyped."),
])
def test_each_mistake_names_the_part_that_is_wrong(value, message):
    assert id_number_problem(value) == message


def test_a_birth_date_in_the_future_is_refused():
    future = id_number(born=date(2030, 1, 1))
    assert id_number_problem(future, today=date(2026, 1, 1)) == (
        "The birth date in the ID number (characters 7 to 14) is not plausible.")
    assert id_number_problem(future, today=date(2030, 1, 1)) is None


def test_messages_never_repeat_the_value():
    for value in ("1101051949123100", "110105194912310021", "99010519491231002X"):
        message = id_number_problem(value) or ""
        assert message and value not in message and value[:6] not in message


@pytest.mark.parametrize("value", ["13612348888", "136 1234 8888", "+86 136-1234-8888",
                                   "02787654321", "027-8765432", "010-12345678"])
def test_good_phones(value):
    assert phone_problem(value) is None


@pytest.mark.parametrize(("value", "message"), [
    ("1361234888", "A mobile number has 11 digits and starts with 13 to 19."),
    ("12612348888", "A mobile number has 11 digits and starts with 13 to 19."),
    ("136123488889", "A mobile number has 11 digits and starts with 13 to 19."),
    ("136abc48888", "A phone number has only digits (spaces and dashes are ignored)."),
    ("87654321", "Enter an 11-digit mobile number, or a landline with its area code "
     "(starting with 0)."),
])
def test_bad_phones(value, message):
    assert phone_problem(value) == message


def test_phones_are_stored_as_digits():
    assert normalize_phone("+86 136-1234-8888") == "13612348888"
    assert normalize_phone("(027) 8765-4321") == "02787654321"
