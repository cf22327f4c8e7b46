"""The resolutions of joint meetings (联席会议决议), gathered into `views_meetings`.

- `resolutions`: those in scope (party-work staff, dispatchers and leaders of the place;
  a unit's people their unit's) with state, owner unit, due date and traffic light;
  filters: state, unit, overdue.
- `resolution`: the text, where it came from (meeting, agenda item, the case / topic /
  dispute), the supervision notice (督办) if any, the history, and the moves the caller
  may take: the owner unit acknowledges and reports done (what was done); party-work
  staff confirm, send back (a reason) or cancel (a reason).
- `solved`: problems solved jointly — closed resolutions with their meeting, unit, source
  and days taken, and the counts per unit and year.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from linli.core.clocks import Light
from linli.core.errors import ApplicationError, ValidationFailed
from linli.party import permissions
from linli.party import selectors_meetings as sel
from linli.party.events import timeline
from linli.party.forms_meetings import ResolutionActForm, first_invalid
from linli.party.models import ResolutionState
from linli.party.services.meetings import resolution_transition
from linli.party.workflow import RESOLUTIONS

DONE = {"acknowledge": _("The resolution is taken on."),
        "report_done": _("The resolution is reported done."),
        "confirm": _("The resolution is confirmed done."),
        "send_back": _("The resolution is sent back."),
        "cancel": _("The resolution is cancelled.")}


def _filters(request) -> sel.ResolutionFilters:
    state = request.GET.get("state", "")[:12]
    unit = request.GET.get("unit", "")
    return sel.ResolutionFilters(
        state="" if sel.bad_state(state) else state,
        unit_id=int(unit) if unit.isdigit() and len(unit) < 10 else None,
        overdue=request.GET.get("overdue", "") in ("1", "on", "true"))


@login_required
@require_GET
def resolution_list(request):
    if not permissions.sees_joint_work(request.user):
        raise Http404
    now = timezone.now()
    f = _filters(request)
    page = Paginator(sel.resolution_list(actor=request.user, filters=f, now=now), 30) \
        .get_page(request.GET.get("page"))
    for r in page.object_list:
        sel.with_light(r, now)
    return render(request, "party/meetings/resolutions.html", {
        "page": page, "filters": f, "states": [("open", _("Open")), *ResolutionState.choices],
        "units": sel.unit_choices(request.user)})


@login_required
@require_GET
def solved_list(request):
    if not permissions.sees_joint_work(request.user):
        raise Http404
    year = request.GET.get("year", "")
    chosen = int(year) if year.isdigit() and len(year) == 4 else None
    rows = sel.solved_list(actor=request.user, year=chosen)
    for row in rows:
        row["source"] = sel.source_of(row["resolution"])
    return render(request, "party/meetings/solved.html", {
        "rows": rows, "counts": sel.solved_counts(rows), "year": chosen or ""})


def _detail_context(request, resolution) -> dict[str, Any]:
    user = request.user
    staff = permissions.keeps(user, resolution.area_path)
    light = sel.light(resolution)
    return {"r": resolution, "is_staff": staff, "light": light,
            "light_words": Light.words(light),
            "meeting_visible": permissions.follows(user, resolution.area_path),
            "actions": RESOLUTIONS.actions_for(user, resolution),
            "source": sel.source_of(resolution),
            "supervised_at": sel.supervised_at(resolution) if resolution.supervised_for
            else None,
            "history": timeline(resolution, show_actor=staff)}


def _get(request, resolution_id: int):
    return sel.resolution_get(actor=request.user, resolution_id=resolution_id)


def render_detail(request, resolution, error: ApplicationError | None = None,
                  form_id: str = ""):
    context = _detail_context(request, resolution)
    if error is not None:
        context |= {"error": error, "posted": request.POST, "form_id": form_id}
    return render(request, "party/meetings/resolution.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def resolution_detail(request, resolution_id: int):
    return render_detail(request, _get(request, resolution_id))


@login_required
@require_POST
def resolution_act(request, resolution_id: int, action: str):
    resolution = _get(request, resolution_id)
    form = ResolutionActForm(request.POST)
    try:
        if action not in RESOLUTIONS.table:
            raise ValidationFailed(str(_("Unknown action.")), code="unknown_action")
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        resolution_transition(actor=request.user, resolution=resolution, action=action,
                              note=data["note"], expected_version=data["version"])
    except ApplicationError as exc:
        return render_detail(request, _get(request, resolution_id), error=exc,
                             form_id=f"act-{action}")
    messages.success(request, str(DONE[action]))
    return redirect("party:resolution", resolution.pk)


urlpatterns = [
    path("resolutions/", resolution_list, name="resolutions"),
    path("resolutions/solved/", solved_list, name="solved"),
    path("resolutions/<int:resolution_id>/", resolution_detail, name="resolution"),
    path("resolutions/<int:resolution_id>/act/<str:action>/", resolution_act,
         name="resolution_act"),
]
