"""Notification text rendered in each recipient's own language.

Callers pass English msgids; `notify` renders them once per language among the recipients.
A `Text` keeps the msgid and its parameters apart so translation happens at render time;
mark the msgid with `gettext_noop` so `makemessages` still finds it.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

_SUPPORTED = {code for code, _name in settings.LANGUAGES}


@dataclass(frozen=True)
class Text:
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        # Parameters may be lazy translations themselves (a state or rating label): the %
        # formatting turns them into text in the active language too.
        translated = gettext(self.msgid)
        return translated % self.params if self.params else translated


def language_of(user) -> str:
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in _SUPPORTED else settings.LANGUAGE_CODE


def render(text: Any, language: str) -> str:
    """`text` (a str, a lazy string or a Text) in `language`."""
    with translation.override(language):
        return str(text)
