"""Triage pages for the person typing a report: the categories their description most
likely belongs to, as chips above the category picker (HTMX, reloaded as they type)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from linli.cases.services import MAX_DESCRIPTION
from linli.triage import selectors
from linli.triage.models import Source

# What the report form's description may hold; anything past it would be refused on
# sending, so it says nothing about the category.
MAX_TEXT = MAX_DESCRIPTION


@require_GET
@login_required
def suggest(request):
    """HTMX: up to three suggested categories for `text`. Never an error: text with
    nothing to go on gives an empty partial, which leaves the box empty."""
    text = request.GET.get("text", "")[:MAX_TEXT]
    found = selectors.category_suggestions(text)
    return render(request, "triage/_suggestions.html", {
        "suggestions": found, "learned": found.source == Source.MODEL})
