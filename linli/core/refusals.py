"""A page action that was refused: the reason, with the status the API would answer.

A refused form post never redirects as if it had been done (README, "API and page status
codes"). Pages that can show the error in place re-render themselves; the others use this
page: the message, the status of the error (400, 403, 409 ...), and a way back.
"""

from django.shortcuts import render

from linli.core.errors import ApplicationError
from linli.core.redirects import local_url


def render_refused(request, error: ApplicationError, back: str):
    """The refusal page; `back` is where the person came from (a posted `next` if it is
    local, else this fallback)."""
    return render(request, "core/refused.html", {
        "error": error, "back": local_url(request, request.POST.get("next"), back),
    }, status=error.status)
