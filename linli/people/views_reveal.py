"""Revealing a sensitive value on a page, with a purpose, for a short time.

The revealed value is rendered into an HTMX fragment and nowhere else: it is not stored, the
response says `no-store`, and the fragment replaces itself with the masked value 60 seconds
later (`hx-trigger="load delay:60s"`). Without JavaScript the value is shown on a page of its
own that returns to the resident's page after the same 60 seconds.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from linli.core.errors import ApplicationError, NotFound
from linli.people import permissions, selectors, sensitive, services
from linli.people.models import Resident

SHOWN_SECONDS = 60


def _field_context(user, resident: Resident, field: str, error=None) -> dict:
    return {"resident": resident, "f": {"name": field, "label": services.REVEAL_FIELDS[field],
                                        "masked": sensitive.masked_value(resident, field)},
            "can_reveal": permissions.can_reveal(user, resident), "error": error}


@never_cache
@login_required
@require_POST
def reveal(request, resident_id: int, field: str):
    # Loaded without scope on purpose: the service decides, and records a refusal too.
    resident = Resident.objects.filter(pk=resident_id).first()
    if resident is None:
        raise Http404
    try:
        value = services.resident_reveal(actor=request.user, resident=resident, field=field,
                                         purpose=request.POST.get("purpose", ""))
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        if field not in services.REVEAL_FIELDS:
            raise Http404 from None  # refused and recorded by the service
        return render(request, "people/_field.html",
                      _field_context(request.user, resident, field, exc), status=exc.status)
    context = {"resident": resident, "field": field, "label": services.REVEAL_FIELDS[field],
               "value": value, "seconds": SHOWN_SECONDS}
    template = "people/_revealed.html" if request.headers.get("HX-Request") else (
        "people/revealed_page.html")
    return render(request, template, context)


@never_cache
@login_required
@require_GET
def masked(request, resident_id: int, field: str):
    """The masked field again: what a revealed fragment turns back into."""
    resident = selectors.resident_get(actor=request.user, resident_id=resident_id)
    if field not in services.REVEAL_FIELDS or not permissions.can_reveal(request.user,
                                                                         resident):
        raise Http404
    return render(request, "people/_field.html", _field_context(request.user, resident, field))
