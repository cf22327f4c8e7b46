"""Daily report pages: the grid worker's "today" (the patrol and the items, one form per
kind of item), the community's view for dispatchers and leaders (who has reported today,
the month's rates), the list of reports behind each figure, and a report's page.

Thin: parse, call a selector or a service, render. A refused submission comes back with
the reason and its fields (photos held, core/held.py), with the error's status.
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from linli.cases.selectors import leaf_categories
from linli.core.errors import ApplicationError, NotFound, ValidationFailed
from linli.core.errors import PermissionDenied as Refused
from linli.core.held import HeldPhotos, too_many
from linli.core.images import MAX_FILES
from linli.dailyreports import permissions, selectors, services
from linli.dailyreports.forms import (
    ConflictForm,
    NothingForm,
    PatrolForm,
    ProblemForm,
    VisitForm,
)
from linli.dailyreports.models import ItemKind
from linli.dailyreports.services import ConflictIn, PartyInput, ProblemIn, VisitIn
from linli.disputes.models import PartyRole
from linli.orgs.models import Area
from linli.people.models import Resident

# Chosen on the problem form and held while it comes back with an error (core/held.py).
PHOTOS = HeldPhotos("daily-photos")
photo_held = PHOTOS.thumbnail_view()

FORMS: dict[str, Any] = {ItemKind.PROBLEM: ProblemForm, ItemKind.CONFLICT: ConflictForm,
         ItemKind.VISIT: VisitForm, ItemKind.NOTHING: NothingForm}


def _page(call, *args, **kwargs):
    """A selector's answer, its refusals as the page's 404 / 403."""
    try:
        return call(*args, **kwargs)
    except NotFound:
        raise Http404 from None
    except Refused as exc:
        raise PageDenied(exc.message) from None


def _worker_grids(request) -> list[Area]:
    grids = selectors.worker_grids(request.user)
    if not grids:
        raise PageDenied(_("Only grid workers file daily reports."))
    return grids


# --- the grid worker's day ---------------------------------------------------------------

@never_cache
@login_required
def today(request):
    """`/daily/`: today's report: the patrol (saved here) and the items found."""
    if not permissions.is_worker(request.user) and permissions.is_overseer(request.user):
        return redirect("daily:community")
    grids = _worker_grids(request)
    day = timezone.localdate()
    report = selectors.report_of_day(actor=request.user, day=day)
    initial = {"grid": report.grid_id if report else grids[0].pk,
               "patrol_done": "1" if report and report.patrol_done else "0",
               "route_notes": report.route_notes if report else ""}
    form = PatrolForm(request.POST or None, grids=grids, initial=initial)
    error = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationFailed(_("Some fields are missing or invalid."))
            data = form.cleaned_data
            done = services.daily_report_save(
                actor=request.user, grid=next(g for g in grids if g.pk == data["grid"]),
                day=day, patrol_done=data["patrol_done"], route_notes=data["route_notes"],
                idempotency_key=data["idem"])
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("Today's report is saved.") if not done.created
                             else _("Today's report is filed."))
            return redirect("daily:today")
    return render(request, "dailyreports/today.html", {
        "form": form, "report": report, "day": day, "error": error, "kinds": ItemKind,
        "items": report.items.all() if report else [],
    }, status=error.status if error else 200)


def _grid_of_day(request, grids: list[Area], day: date) -> Area:
    report = selectors.report_of_day(actor=request.user, day=day)
    if report is not None:
        return report.grid
    chosen = request.GET.get("grid") or request.POST.get("grid")
    return next((g for g in grids if str(g.pk) == chosen), grids[0])


def _details(request, kind: str, form, places: dict[int, Area], held: list[str]):
    """What the posted item carries, for the service."""
    data = form.cleaned_data
    if kind == ItemKind.PROBLEM:
        return ProblemIn(category=data["category"], area=places[data["area"]],
                         description=data["description"], address=data["address"],
                         clean_photos=PHOTOS.images(request.user, held))
    if kind == ItemKind.CONFLICT:
        parties = [PartyInput(role=PartyRole.APPLICANT if i == 0 else PartyRole.RESPONDENT,
                              resident_id=resident, name=name, phone=phone)
                   for i, (resident, name, phone) in enumerate(form.parties())]
        return ConflictIn(kind=data["kind"], area=places[data["area"]], summary=data["summary"],
                          people_involved=data["people_involved"], parties=parties,
                          violence_threat=data["violence_threat"],
                          petition_risk=data["petition_risk"], address=data["address"])
    if kind == ItemKind.VISIT:
        return VisitIn(resident=Resident.objects.filter(pk=data["resident"]).first(),
                       kind=data["kind"], findings=data["findings"],
                       follow_up_needed=data["follow_up_needed"])
    return None


def _form_for(kind: str, request, places, residents):
    extra: dict[str, Any] = {}
    if kind == ItemKind.PROBLEM:
        extra = {"places": places}
    elif kind == ItemKind.CONFLICT:
        extra = {"places": places, "residents": residents}
    elif kind == ItemKind.VISIT:
        extra = {"residents": residents}
    return FORMS[kind](request.POST or None, **extra)


@never_cache
@login_required
def item_new(request, kind: str):
    """`/daily/add/<kind>/`: add one item to today's report (made when missing)."""
    if kind not in ItemKind.values:
        raise Http404
    grids = _worker_grids(request)
    day = timezone.localdate()
    grid = _grid_of_day(request, grids, day)
    places = selectors.place_choices(grid)
    residents = (selectors.care_choices(actor=request.user) if kind == ItemKind.VISIT
                 else selectors.party_choices(actor=request.user, grid=grid)
                 if kind == ItemKind.CONFLICT else [])
    form = _form_for(kind, request, places, residents)
    held: list[str] = []
    error: ApplicationError | None = None
    if request.method == "POST":
        if kind == ItemKind.PROBLEM:
            held, refused = PHOTOS.from_post(request)
            error = refused or too_many(len(held))
        try:
            if error is not None:
                raise error
            if not form.is_valid():
                raise ValidationFailed(_("Some fields are missing or invalid."))
            details = _details(request, kind, form, {a.pk: a for a, _l in places}, held)
            token = form.cleaned_data["idem"]
            # The form's token is made when it is shown: a second tap of the same form
            # replays whatever the first did, photos and all.
            done = services.item_add(
                actor=request.user, day=day, details=details, grid=grid,
                note=form.cleaned_data.get("note", ""), idempotency_key=token,
                fingerprint=f"{token}:{kind}" if token else "")
        except ApplicationError as exc:
            error = exc
        else:
            PHOTOS.release(request.user, held)
            messages.success(request, _("This item was added already.") if done.replayed
                             else _("Added to today's report."))
            return redirect("daily:today")
    return render(request, "dailyreports/item_form.html", {
        "form": form, "kind": kind, "kind_label": ItemKind(kind).label, "grid": grid,
        "day": day, "error": error, "held": held, "max_photos": MAX_FILES,
        "groups": leaf_categories() if kind == ItemKind.PROBLEM else [],
        "chosen_category": (form["category"].value() or "") if kind == ItemKind.PROBLEM
        else "",
    }, status=error.status if error else 200)


# --- the community's view ----------------------------------------------------------------

def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 18 else None


def _month(value: str) -> date:
    found = parse_date(f"{value}-01") if value and len(value) == 7 else None
    return found or timezone.localdate().replace(day=1)


@never_cache
@login_required
def community(request):
    """`/daily/community/`: who has and has not reported on a day, per grid."""
    place = _page(selectors.community_get, actor=request.user,
                  community_id=_int(request.GET.get("community")))
    day = parse_date(request.GET.get("day") or "") or timezone.localdate()
    rows = selectors.day_overview(actor=request.user, community=place, day=day)
    return render(request, "dailyreports/community.html", {
        "community": place, "communities": selectors.communities_overseen(request.user),
        "day": day, "rows": rows, "tab": "day",
        "reported": sum(r.reported for r in rows),
        "workers": sum(len(r.workers) for r in rows),
    })


@never_cache
@login_required
def month(request):
    """`/daily/community/month/`: per worker and grid, working days reported / working days
    of the month so far."""
    place = _page(selectors.community_get, actor=request.user,
                  community_id=_int(request.GET.get("community")))
    first = _month(request.GET.get("month", ""))
    span, rows = selectors.month_rates(actor=request.user, community=place, month=first)
    return render(request, "dailyreports/month.html", {
        "community": place, "communities": selectors.communities_overseen(request.user),
        "month": first, "span": span, "rows": rows, "tab": "month",
    })


@never_cache
@login_required
def report_list(request):
    """`/daily/reports/`: the reports behind a figure (worker, grid, community, dates)."""
    get = request.GET
    filters = selectors.ReportFilters(
        community_id=_int(get.get("community")), grid_id=_int(get.get("grid")),
        worker_id=_int(get.get("worker")), since=parse_date(get.get("since") or ""),
        until=parse_date(get.get("until") or ""), workdays_only=get.get("workdays") == "1")
    reports = _page(selectors.report_list, actor=request.user, filters=filters)
    page = Paginator(reports, 50).get_page(get.get("page"))
    return render(request, "dailyreports/list.html", {"page": page, "filters": filters,
                                                      "query": get.urlencode()})


@never_cache
@login_required
def report_detail(request, report_id: int):
    report = _page(selectors.report_get, actor=request.user, report_id=report_id)
    return render(request, "dailyreports/detail.html", {
        "report": report, "items": report.items.all(),
        "back": reverse("daily:today") if report.worker_id == request.user.pk
        else reverse("daily:community") + f"?community={report.community_id}"})
