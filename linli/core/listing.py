"""What every filtered, paginated list page does with its query string: keep only the
filters it knows (an unknown parameter is ignored, never an error), and carry the filters
into its page links without the page number."""

from collections.abc import Collection

from django.http import QueryDict


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
