"""Checks of ID numbers and phone numbers, shared by the services and the spreadsheet import.

Each `*_problem` function is pure: it returns None for a good value, or a sentence saying
which part is wrong. The messages never repeat the value: it is personal data, and error
messages end up in logs and import reports.
"""

import re
from datetime import date

from django.utils.translation import gettext as _

from linli.accounts.validators import normalize_phone as _normalize_phone

# GB 11643-1999: 17 digits, then a check digit over them (ISO 7064 MOD 11-2).
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK_CHARS = "10X98765432"
# The first two digits of the address code: provinces, HK (81), Macau (82), Taiwan (71, 83).
_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# A landline with its area code: 0 + 2-3 digit area code + 7-8 digit number.
_LANDLINE_RE = re.compile(r"^0\d{9,11}$")


def normalize_id_number(value: str) -> str:
    """What is stored and hashed: no spaces, an upper-case X."""
    return re.sub(r"\s", "", value or "").upper()


def id_number_check_digit(first17: str) -> str:
    """The 18th character for the given 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def id_number_birth_date(value: str) -> date | None:
    """The birth date written in characters 7-14, or None if it is not a real date."""
    digits = normalize_id_number(value)[6:14]
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def id_number_gender(value: str) -> str:
    """"male" or "female" from the 17th digit (odd is male); "" if unreadable."""
    digit = normalize_id_number(value)[16:17]
    if not digit.isdigit():
        return ""
    return "male" if int(digit) % 2 else "female"


def id_number_problem(value: str, *, today: date | None = None) -> str | None:
    """None if `value` is a valid resident ID number (GB 11643), else what is wrong with it."""
    number = normalize_id_number(value)
    if len(number) != 18:
        return _("The ID number must have 18 characters.")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return _("The ID number must be 17 digits followed by a digit or X.")
    if number[:2] not in _PROVINCES:
        return _("The ID number's first two digits are not a province code.")
    born = id_number_birth_date(number)
    if born is None:
        return _("Characters 7 to 14 of the ID number are not a valid birth date.")
    if born.year < 1900 or born > (today or date.today()):
        return _("The birth date in the ID number (characters 7 to 14) is not plausible.")
    if id_number_check_digit(number[:17]) != number[17]:
        return _("The ID number's last character (the check digit) does not match the other "
                 "17: a character was probably mistyped.")
    return None


def normalize_phone(value: str) -> str:
    """Digits only: no spaces, dashes or +86."""
    return _normalize_phone(value).replace("(", "").replace(")", "")


def phone_problem(value: str) -> str | None:
    """None for a mainland mobile number or a landline with its area code."""
    phone = normalize_phone(value)
    if not phone.isdigit():
        return _("A phone number has only digits (spaces and dashes are ignored).")
    if phone.startswith("1"):
        if _MOBILE_RE.match(phone):
            return None
        return _("A mobile number has 11 digits and starts with 13 to 19.")
    if _LANDLINE_RE.match(phone):
        return None
    return _("Enter an 11-digit mobile number, or a landline with its area code "
             "(starting with 0).")
