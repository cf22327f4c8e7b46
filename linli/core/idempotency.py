"""What every create that honours an `Idempotency-Key` (or a form's one-time token) shares:
the key's bound and the request's fingerprint. Each app keeps its own table of keys, with
a foreign key to what the first request made (cases' IdempotencyKey, disputes'
RegistrationKey, daily reports' Submission): the same key and fingerprint replay that row,
the same key with another fingerprint is refused.

The fingerprint is a keyed hash: a request may carry names and phone numbers (a dispute's
parties, a daily report's conflict sign), and a plain hash of them could be guessed back
from the stored value.
"""

import json
from typing import Any

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed

MAX_KEY = 128


def key_checked(key: str) -> str:
    """The key if it is short enough to store; else a 400 saying so."""
    if len(key) > MAX_KEY:
        raise ValidationFailed(_("The Idempotency-Key is at most 128 characters."),
                               code="idempotency_key_too_long")
    return key


def request_fingerprint(payload: dict[str, Any]) -> str:
    """A keyed hash of a request: its body as the API received it, or the fields a page or
    a service call gives (photos and the time aside)."""
    text = json.dumps(payload, sort_keys=True, default=str)
    return salted_hmac("linli.idempotency", text, algorithm="sha256").hexdigest()
