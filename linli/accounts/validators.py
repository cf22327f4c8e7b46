import re

from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

_CLASSES = [r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]"]
USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,63}$")
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


class CharacterClassValidator:
    """等保 2.0 asks for complexity: at least three of lower, upper, digit and symbol."""

    def validate(self, password, user=None):
        found = sum(1 for pattern in _CLASSES if re.search(pattern, password))
        if found < 3:
            raise ValidationError(
                _("The password must mix at least three of: lower-case letters, upper-case "
                  "letters, digits and symbols."),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("Mix at least three of: lower-case, upper-case, digits, symbols.")


def normalize_phone(raw: str) -> str:
    phone = re.sub(r"[\s-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    return phone


def password_rules() -> str:
    """The rules in one sentence, shown beside every new-password field before the first try."""
    length = next((v.min_length for v in get_default_password_validators()
                   if isinstance(v, MinimumLengthValidator)), 1)
    return _("At least %(n)d characters, mixing at least three of: lower-case letters, "
             "upper-case letters, digits and symbols.") % {"n": length}


# Django 5.2 reworded its minimum-length message and its own Chinese catalogue has not caught
# up, so the refusal came out in English. Naming the message here puts it in Linli's
# catalogue (`make messages`), which Django consults before its own.
DJANGO_MIN_LENGTH_MESSAGE = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
)
