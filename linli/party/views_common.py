"""What the members part's page modules share: the refusal page and id parsing."""

from django.contrib import messages
from django.shortcuts import redirect, render

from linli.core.errors import ApplicationError


def refused(request, exc: ApplicationError, back: str):
    """A refused form: the reason, with the status the API would answer."""
    return render(request, "party/refused.html", {"error": exc, "back": back},
                  status=exc.status)


def done(request, message, to: str, *args):
    messages.success(request, str(message))
    return redirect(to, *args)


def int_or_none(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else None
