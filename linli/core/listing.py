"""What every filtered, paginated list page does with its query string: keep only the
filters it knows (an unknown parameter is ignored, never an error), and carry the filters
into its page links without the page number. And what every list API does with a filter
value it does not know: refuse it (400)."""

from collections.abc import Collection

from django.http import QueryDict
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed


def known_filters(request, names: Collection[str], *, drop_empty: bool = False) -> QueryDict:
    """The query string's parameters named in `names` (and, with `drop_empty`, given a
    value): what the list's filter form is bound to."""
    data = request.GET.copy()
    for name in list(data):
        if name not in names or (drop_empty and not data.get(name)):
            data.pop(name)
    return data


def query_without_page(request) -> str:
    """The query string for the pagination links: every filter, no page number."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- the API's list filters: an unknown value is refused, never silently ignored --------

def unknown_value(field: str) -> ValidationFailed:
    """400 for a filter value the list does not know (a client must never mistake an
    unfiltered list for a filtered one)."""
    return ValidationFailed(_("Some fields are missing or invalid."), code="invalid",
                            details=[{"field": field, "message": _("Unknown value.")}])


def filter_words(values: list[str] | None, allowed: Collection[str],
                 field: str) -> list[str] | None:
    """A repeatable filter (`state=a&state=b` or `state=a,b`), every value one we know."""
    words = [w.strip() for value in values or [] for w in value.split(",") if w.strip()]
    if set(words) - set(allowed):
        raise unknown_value(field)
    return words or None
