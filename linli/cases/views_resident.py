"""Reporting a problem (residents; grid workers on patrol; dispatchers typing in a hotline
call), the confirmation, "my cases".

The place picker walks down the org tree (grid → estate → building → entrance → dwelling)
from the area the person may report in, one HTMX-swapped select per level; the duplicate
suggestions reload whenever the category or the place changes, the suggested categories
(triage) whenever the description does.
"""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases import selectors, services
from linli.cases.forms import HotlineForm, ReportForm, sibling_key
from linli.cases.models import Case, Channel
from linli.cases.routing import nearby_open_cases
from linli.cases.selectors import leaf_categories, leaf_category
from linli.cases.views import require
from linli.cases.views_public import supportable
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.held import HeldPhotos
from linli.core.images import MAX_FILES
from linli.orgs.models import Area, AreaKind
from linli.orgs.selectors import area_get, area_list
from linli.orgs.shapes import area_shapes

PATROL = "patrol"
HOTLINE = "hotline"
MODES = (PATROL, HOTLINE)
CHANNELS = {"": Channel.RESIDENT_WEB, PATROL: Channel.GRID_PATROL, HOTLINE: Channel.HOTLINE}
# Chosen on the report form and held while it comes back with an error (core/held.py).
REPORT_PHOTOS = HeldPhotos("report-photos")
report_photo_held = REPORT_PHOTOS.thumbnail_view()


def _root(assignment, mode: str) -> Area | None:
    if mode == PATROL:
        return assignment.area if assignment.role == Role.GRID_WORKER else None
    if mode == HOTLINE:
        return assignment.area if assignment.role == Role.DISPATCHER else None
    if assignment.role == Role.RESIDENT:
        return assignment.area.ancestor_of_kind(AreaKind.COMMUNITY)
    return None


def report_roots(user, mode: str) -> list[Area]:
    """Where the person may report: a resident anywhere in their community, a grid worker
    on patrol within their grid, a dispatcher typing in a hotline call within the areas
    they dispatch for (each page records its own channel). Nested roots collapse into the
    outer one."""
    roots: list[Area] = []
    for assignment in scope.assignments(user):
        area = _root(assignment, mode)
        if area is not None and not any(area.is_within(r) for r in roots):
            roots = [r for r in roots if not r.is_within(area)] + [area]
    return roots


def default_place(user, roots: list[Area]) -> Area:
    """A resident's own dwelling, otherwise the first area they may report in."""
    for assignment in scope.assignments(user):
        if assignment.role == Role.RESIDENT and any(assignment.area.is_within(r)
                                                    for r in roots):
            return assignment.area
    return roots[0]


@dataclass
class Level:
    label: str
    options: list[Area]
    selected_id: int | None
    whole: Area | None  # the option "not more specific": the level above


def place_levels(user, roots: list[Area], place: Area) -> list[Level]:
    """One select per level from the root down to `place`, and one for its children."""
    root = next((r for r in roots if place.is_within(r)), roots[0])
    levels = []
    if len(roots) > 1:
        levels.append(Level(str(AreaKind(root.kind).label), roots, root.pk, None))
    chain = [a for a in place.ancestors() if a.is_within(root) and a.pk != root.pk]
    parent = root
    for node in [*chain, None]:
        children = sorted(area_list(actor=user, parent_id=parent.pk), key=sibling_key)
        if not children:
            break
        levels.append(Level(str(AreaKind(children[0].kind).label), children,
                            node.pk if node else None, parent))
        if node is None:
            break
        parent = node
    return levels


def _place(user, roots: list[Area], area_id) -> Area:
    try:
        place = area_get(actor=user, area_id=int(area_id))
    except (Http404, TypeError, ValueError):
        return default_place(user, roots)
    return place if any(place.is_within(r) for r in roots) else default_place(user, roots)


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(value) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _mode(value) -> str:
    return value if value in MODES else ""


def _submit(request, form: ReportForm, mode: str) -> Case:
    data = form.cleaned_data
    category = leaf_category(data["category"])
    if category is None:
        raise ValidationFailed(_("Choose a category."))
    try:
        area = area_get(actor=request.user, area_id=data["area"])
    except Http404:
        raise ValidationFailed(_("Choose the place.")) from None
    channel = CHANNELS[mode]
    reporter_name = data.get("reporter_name", "")
    # The photos by content, not by token: a double submit holds its uploads again under new
    # tokens, and a retried form names held photos its first submit saved and released.
    named = dict.fromkeys([*REPORT_PHOTOS.posted(request), *form.held])
    fingerprint = services.request_fingerprint({
        **{k: v for k, v in data.items() if k not in ("photos", "idem")},
        "channel": channel, "photos": REPORT_PHOTOS.digests(request.user, named)})
    return services.case_report(
        actor=request.user, category=category, area=area, description=data["description"],
        title=data["title"], channel=channel, address=data["address"], lat=data["lat"],
        lng=data["lng"], clean_photos=REPORT_PHOTOS.images(request.user, form.held),
        reporter_name=reporter_name, is_public=not data["not_public"],
        idempotency_key=data["idem"], fingerprint=fingerprint)


def _report(request, mode: str):
    roots = report_roots(request.user, mode)
    if not roots:
        return render(request, "cases/report_denied.html", status=403, context={
            "hotline": mode == HOTLINE,
            "on_patrol": mode != PATROL and scope.has_role(request.user, Role.GRID_WORKER)})
    held: list[str] = []
    refused: ValidationFailed | None = None
    if request.method == "POST":  # chosen photos are cleaned and held before anything else
        held, refused = REPORT_PHOTOS.from_post(request)
    form_class = HotlineForm if mode == HOTLINE else ReportForm
    form = form_class(request.POST or None, held=held)
    if refused is not None:
        form.add_error("photos", refused.message)
    if request.method == "POST" and form.is_valid():
        try:
            case = _submit(request, form, mode)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            REPORT_PHOTOS.release(request.user, held)
            return redirect("cases:reported", case.pk)
    place = _place(request.user, roots, form.data.get("area") if form.is_bound else None)
    return render(request, "cases/report.html", {
        "form": form, "mode": mode, "groups": leaf_categories(), "held": held,
        "max_photos": MAX_FILES,
        "chosen_category": form.data.get("category", "") if form.is_bound else "",
        "place": place, "levels": place_levels(request.user, roots, place),
        "map_areas": area_shapes(actor=request.user, roots=roots),
    })


@login_required
def report_new(request):
    return _report(request, "")


@login_required
def patrol(request):
    require(scope.has_role(request.user, Role.GRID_WORKER))
    return _report(request, PATROL)


@login_required
def hotline(request):
    """A call to the hotline (电话登记), typed in by a dispatcher of the caller's place."""
    return _report(request, HOTLINE)


@login_required
def area_picker(request):
    """HTMX: the place picker re-drawn for the chosen area; tells the page it changed."""
    mode = _mode(request.GET.get("mode"))
    roots = report_roots(request.user, mode)
    require(bool(roots))
    place = _place(request.user, roots, request.GET.get("area_pick"))
    response = render(request, "cases/_area_picker.html", {
        "place": place, "levels": place_levels(request.user, roots, place), "mode": mode})
    response["HX-Trigger-After-Swap"] = json.dumps({"areaChanged": place.pk})
    return response


def _shown_place(area: Area) -> Area:
    # Never show another person's dwelling: a duplicate is placed at its building.
    if area.kind == AreaKind.DWELLING:
        return area.ancestor_of_kind(AreaKind.BUILDING) or area
    return area


@login_required
def duplicates(request):
    """HTMX: open cases like the one being reported, nearby; "follow it instead?"."""
    category = leaf_category(request.GET.get("category", ""))
    found: list[Case] = []
    if category is not None:
        try:
            area = area_get(actor=request.user, area_id=int(request.GET.get("area", "")))
        except (Http404, ValueError):
            area = None
        if area is not None:
            found = nearby_open_cases(category=category, area=area,
                                      lat=_decimal(request.GET.get("lat")),
                                      lng=_decimal(request.GET.get("lng")))
    visible = set(selectors.case_list(actor=request.user).filter(
        pk__in=[c.pk for c in found]).values_list("pk", flat=True))
    # Cases the person cannot open are mentioned only when public, and without details;
    # a resident may say "me too" to a public one instead of reporting it again.
    rows = [(c, c.pk in visible, _shown_place(c.area), supportable(request.user, c))
            for c in found if c.pk in visible or c.is_public]
    return render(request, "cases/_duplicates.html", {
        "rows": rows, "any_visible": any(row[1] for row in rows),
        "any_support": any(row[3] is not None for row in rows)})


@login_required
def reported(request, case_id: int):
    case = selectors.case_get(actor=request.user, case_id=case_id)
    return render(request, "cases/reported.html", {"case": case})


# "My cases" narrowed from the home tiles (selectors.MINE_SHOWS), by their headings.
MINE_SHOWS = {"open": gettext_lazy("My open cases"),
              "rate": gettext_lazy("Waiting for your rating")}


@login_required
def mine(request):
    show = request.GET.get("show", "")
    show = show if show in MINE_SHOWS else ""
    page = Paginator(selectors.my_cases(actor=request.user, show=show), 20).get_page(
        request.GET.get("page"))
    can_report = bool(report_roots(request.user, ""))
    return render(request, "cases/mine.html", {
        "page": page, "can_report": can_report, "show_label": MINE_SHOWS.get(show, ""),
        "query": f"show={show}" if show else "",
        "export_fields": [("list", "mine"), ("show", show)]})
