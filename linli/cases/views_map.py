"""The staff case map: open cases in the actor's areas, clustered and coloured by traffic
light, narrowed by the queue's filter form; its markers come from a GeoJSON endpoint
scoped and filtered exactly like the queue. The case page's small map is in views.py."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from linli.accounts import scope
from linli.cases import permissions, selectors
from linli.cases.forms import QUEUE_FILTERS, QueueFilterForm, queue_filter_form
from linli.cases.models import Case
from linli.cases.views import require
from linli.orgs.models import Area, AreaKind
from linli.orgs.shapes import area_shapes


def _filter_form(request) -> QueueFilterForm:
    """The queue's own filter form (forms.queue_filter_form), on the queue's fields only."""
    return queue_filter_form(request.user, {name: value for name, value in request.GET.items()
                                            if name in QUEUE_FILTERS})


def _cases(request, form: QueueFilterForm) -> list[Case]:
    return list(selectors.case_list(actor=request.user, filters=form.filters())
                [:selectors.MAP_LIMIT + 1])


def _own_areas(user) -> list[Area] | None:
    """The areas the person works in (not the chain above them: a community dispatcher's
    map centres on the community, not the whole street); None for a superuser: all."""
    if user.is_superuser:
        return None
    return [a.area for a in scope.assignments(user)
            if a.role in selectors.STAFF_ROLES and a.area is not None]


@login_required
@require_GET
def case_map(request):
    require(permissions.is_case_staff(request.user))
    form = _filter_form(request)
    query = request.GET.urlencode()
    return render(request, "cases/map.html", {
        "form": form, "areas": area_shapes(actor=request.user, roots=_own_areas(request.user)),
        "cases_url": reverse("cases:map_cases") + (f"?{query}" if query else ""),
        "query": query, "limit": selectors.MAP_LIMIT,
        "total": selectors.case_list(actor=request.user, filters=form.filters()).count()})


@login_required
@require_GET
def case_map_cases(request):
    """GeoJSON of the cases the staff map shows: the same scope and filters as the queue."""
    require(permissions.is_case_staff(request.user))
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        # The page shows a bad filter beside its field; data asked for directly says what
        # was wrong rather than answering with more cases than were asked for.
        return JsonResponse({"code": "invalid_filter", "message": _("Check the filters."),
                             "details": [{"field": name, "message": " ".join(map(str, errors))}
                                         for name, errors in form.errors.items()]},
                            status=400)
    cases = _cases(request, form)[:selectors.MAP_LIMIT]
    return JsonResponse(selectors.case_points(cases), content_type="application/geo+json")


def case_map_context(user, case: Case) -> dict:
    """The case page's map: the case at its pin (or its area's centre) among the shapes of
    its grid, or its community when it lies in no grid; nothing when it has no place."""
    points = selectors.case_points([case])
    if not points["features"]:
        return {}
    area: Area = case.area
    root = area.ancestor_of_kind(AreaKind.GRID) or area.ancestor_of_kind(AreaKind.COMMUNITY)
    shapes = area_shapes(actor=user, roots=[root] if root else [area],
                         kinds=[AreaKind.GRID, AreaKind.ESTATE, AreaKind.BUILDING])
    return {"map_cases": points, "map_areas": shapes}

