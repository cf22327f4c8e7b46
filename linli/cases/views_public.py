"""The public case pages (FixMyStreet-style): a community's public cases on a list and a
map, one case as the public reads it, and "me too" (支持, 我也遇到) for residents.

Who may read is the community's `Publication` (`selectors.publication.can_read`). A visitor
who has not logged in, at a community that shows its cases to its residents only, is asked
to log in; everyone else who may not read it gets a 404, as for a case that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.cases import permissions, services
from linli.cases.forms import PublicationForm
from linli.cases.models import Case, Category, Publication, State
from linli.cases.selectors import publication as pub
from linli.core.errors import ApplicationError
from linli.core.redirects import local_url
from linli.core.refusals import render_refused
from linli.orgs.models import Area, AreaKind
from linli.orgs.shapes import community_shapes

PAGE_SIZE = 20


def _community(request, community_id: int) -> Area | HttpResponse:
    community = Area.objects.filter(pk=community_id, kind=AreaKind.COMMUNITY).first()
    if community is None:
        raise Http404
    publication = pub.publication_of(community)
    if pub.can_read(request.user, community, publication):
        return community
    if (not request.user.is_authenticated and publication is not None
            and publication.is_published):
        return redirect_to_login(request.get_full_path())  # for its residents: log in
    raise Http404


def _filters(request, community: Area) -> pub.PublicFilters:
    state, category = request.GET.get("state", ""), request.GET.get("category", "")
    return pub.PublicFilters(
        state=state if state in {"open", *pub.LISTED_STATES} else "",
        category=category if Category.objects.filter(code=category, is_public=True).exists()
        else "")


def _state_choices() -> list[tuple[str, str]]:
    return [("open", _("Not yet settled")),
            *[(s, str(State(s).label)) for s in pub.LISTED_STATES]]


def _categories(community: Area) -> list[Category]:
    """The categories the community's public cases fall under, for the filter."""
    ids = pub.public_case_list(community=community).values("category_id")
    return list(Category.objects.filter(pk__in=ids).order_by("code"))


def _query(filters: pub.PublicFilters) -> str:
    return urlencode({k: v for k, v in (("state", filters.state),
                                        ("category", filters.category)) if v})


def index(request):
    """`/public/`: the communities whose public cases this person may read."""
    communities = pub.published_communities(request.user)
    if len(communities) == 1 and not request.user.is_authenticated:
        return redirect("public:list", communities[0].pk)
    return render(request, "cases/public_index.html", {"communities": communities})


def case_list(request, community_id: int):
    community = _community(request, community_id)
    if isinstance(community, HttpResponse):
        return community
    filters = _filters(request, community)
    page = Paginator(pub.public_case_list(community=community, filters=filters),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    cases = list(page)
    query = _query(filters)
    geojson = reverse("public:geojson", args=[community.pk])
    return render(request, "cases/public_list.html", {
        "community": community, "page": page, "rows": pub.public_views(cases),
        "supported": pub.supported_ids(request.user, [c.pk for c in cases]),
        "filters": filters, "states": _state_choices(), "categories": _categories(community),
        "query": query, "cases_url": f"{geojson}?{query}" if query else geojson,
        "shapes": community_shapes(community=community),
        "can_publish": permissions.can_publish(request.user, community),
        "is_resident": pub.is_resident_of(request.user, community)})


def geojson(request, community_id: int):
    """The listed cases (same filters) as GeoJSON points for the map (the shared map
    contract: properties id, title, light, state, url). Homes are drawn at their building."""
    community = _community(request, community_id)
    if isinstance(community, HttpResponse):
        raise Http404  # a data URL does not send anyone to the login page
    features = [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [pub.rounded(v.lng), pub.rounded(v.lat)]},
        "properties": {"id": v.case.pk, "title": v.title, "light": v.light,
                       "state": str(v.case.get_state_display()),
                       "url": reverse("public:case", args=[community.pk, v.case.pk])},
    } for v in pub.map_cases(community=community, filters=_filters(request, community))]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def support_context(user, case: Case, error: ApplicationError | None = None) -> dict:
    """What the "me too" box shows: the count, whether this person is counted, and whether
    (or why not) they may join."""
    supported = bool(pub.supported_ids(user, [case.pk]))
    return {"case": case, "count": pub.supporter_count(case), "supported": supported,
            "error": error, "is_resident": pub.is_resident_of(user, case.community),
            "open": case.state in pub.SUPPORTABLE_STATES,
            "own": user.is_authenticated and case.reporter_id == user.pk}


def supportable(user, case: Case) -> dict | None:
    """The "me too" box for a case in the report form's nearby-duplicates panel, when the
    person could join it there: a public case of a published community they live in."""
    if not (case.is_public and case.category.is_public
            and pub.is_resident_of(user, case.community)
            and pub.can_read(user, case.community)):
        return None
    return support_context(user, case)


def case_detail(request, community_id: int, case_id: int):
    community = _community(request, community_id)
    if isinstance(community, HttpResponse):
        return community
    case = pub.public_case_get(actor=request.user, case_id=case_id, community=community)
    view = pub.public_view(case, pub.area_chains([case])[case.pk])
    return render(request, "cases/public_case.html", {
        "community": community, "view": view, **support_context(request.user, case)})


@login_required
@require_POST
def support(request, community_id: int, case_id: int):
    """"Me too": from the case page, the list, or the report form's nearby-duplicates panel
    (HTMX swaps the box; without it, back to where the person was)."""
    community = _community(request, community_id)
    if isinstance(community, HttpResponse):
        raise Http404
    case = pub.public_case_get(actor=request.user, case_id=case_id, community=community)
    error = None
    try:
        services.case_support(actor=request.user, case=case)
    except ApplicationError as exc:
        error = exc
    case.refresh_from_db()
    back = reverse("public:case", args=[community.pk, case.pk])
    if request.headers.get("HX-Request") == "true":
        return render(request, "cases/_support.html", {
            **support_context(request.user, case, error),
            "inline": request.GET.get("inline") == "1"})  # in the report form's panel
    if error is not None:
        return render_refused(request, error, back)
    messages.success(request, _("Thank you: you are counted as having the same problem. "
                                "You will hear when it is handled."))
    return redirect(local_url(request, request.POST.get("next"), back))


# --- the community's setting (admin, leader) ---------------------------------------------

def _settings_page(request, error: ApplicationError | None = None, error_for: int = 0,
                   posted=None):
    communities = list(pub.publishable_communities(request.user))
    if not communities:
        raise Http404  # not a page of theirs
    found = {p.community_id: p for p in Publication.objects.filter(community__in=communities)}
    rows = []
    for community in communities:
        publication = found.get(community.pk)
        initial = {"is_published": bool(publication and publication.is_published),
                   "anonymous_allowed": bool(publication and publication.anonymous_allowed)}
        form = PublicationForm(posted if error_for == community.pk else None, initial=initial)
        rows.append((community, publication, form, error if error_for == community.pk
                     else None))
    return render(request, "cases/public_settings.html", {"rows": rows},
                  status=error.status if error is not None else 200)


@login_required
def publication_settings(request):
    return _settings_page(request)


@login_required
@require_POST
def publication_save(request, community_id: int):
    community = pub.publishable_communities(request.user).filter(pk=community_id).first()
    if community is None:
        raise Http404
    form = PublicationForm(request.POST)
    form.is_valid()  # two tick boxes: any input is valid
    try:
        services.publication_save(actor=request.user, community=community,
                                  is_published=form.cleaned_data["is_published"],
                                  anonymous_allowed=form.cleaned_data["anonymous_allowed"])
    except ApplicationError as exc:
        return _settings_page(request, exc, community.pk, request.POST)
    messages.success(request, _("Saved: %(community)s.") % {"community": community.name})
    return redirect("public:settings")
