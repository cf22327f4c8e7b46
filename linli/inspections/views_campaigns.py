"""Inspection pages: the campaigns list (the app's home), a campaign with its to-do by
grid, running and changing campaigns, recurring schedules and the checklists.
`urlpatterns` is gathered by urls.py.

Pages parse input, call a selector or a service and render; an ApplicationError's message
is shown on the page with the status the API would answer, and the form keeps what was
typed. Nobody but inspectors (grid workers, dispatchers, leaders) finds these pages.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from linli.accounts import scope
from linli.core.admin_base import is_site_admin
from linli.core.errors import ApplicationError, PermissionDenied
from linli.inspections import selectors, services
from linli.inspections import selectors_campaigns as progress
from linli.inspections.forms_campaigns import CampaignEditForm, CampaignForm
from linli.inspections.models import TargetKind
from linli.inspections.permissions import COORDINATORS, INSPECTORS, is_coordinator_of
from linli.orgs.models import Area, AreaKind
from linli.orgs.selectors import area_list

AREA_KINDS = [AreaKind.COMMUNITY, AreaKind.GRID]


def require_inspector(user) -> None:
    if not scope.has_role(user, INSPECTORS):
        raise Http404


def _refused(request, error: ApplicationError, back: str):
    return render(request, "core/refused.html", {"error": error, "back": back},
                  status=error.status)


def _with_progress(user, campaigns) -> list[tuple]:
    return [(c, progress.campaign_progress(user, c)) for c in campaigns]


@login_required
@require_GET
def home(request):
    user = request.user
    require_inspector(user)
    today = timezone.localdate()
    ended = progress.campaigns_in_phase(user, progress.ENDED, today)[:progress.MAX_ENDED]
    return render(request, "inspections/campaigns/home.html", {
        "running": _with_progress(user, progress.campaigns_in_phase(user, progress.RUNNING,
                                                                    today)),
        "upcoming": _with_progress(user, progress.campaigns_in_phase(user, progress.UPCOMING,
                                                                     today)),
        "ended": _with_progress(user, ended),
        "may_create": scope.has_role(user, COORDINATORS),
    })


# --- running a campaign -------------------------------------------------------------------

def coordinator_areas(user) -> list[Area]:
    """Communities and grids where the person is a dispatcher or leader."""
    return list(area_list(actor=user).filter(
        scope.scope_q(user, roles=COORDINATORS, area_field=""), kind__in=AREA_KINDS))


def _create(user, form: CampaignForm, areas: list[Area]):
    data = form.cleaned_data
    template = selectors.templates_active().filter(pk=data["template"]).first()
    if template is None:
        raise PermissionDenied(_("Choose a checklist in use."))
    chosen = [a for a in areas if a.pk in set(data["areas"])]
    common = {"actor": user, "name": data["name"], "template": template, "areas": chosen,
              "target_kinds": form.kinds()}
    if data["repeat"]:
        return services.schedule_create(
            ordinal=data["ordinal"], weekday=data["weekday"],
            every_months=data["every_months"], duration_days=data["duration_days"], **common)
    return services.campaign_create(starts_on=data["starts_on"], ends_on=data["ends_on"],
                                    **common)


def _initial(repeat: bool) -> dict:
    today = timezone.localdate()
    return {"starts_on": today, "ends_on": today + timedelta(days=13),
            "repeat": repeat, "ordinal": 1, "weekday": 0, "every_months": 1,
            "duration_days": 7}


@login_required
def campaign_new(request, repeat: bool = False):
    user = request.user
    require_inspector(user)
    areas = coordinator_areas(user)
    if not areas:
        return _refused(request, PermissionDenied(
            _("Only dispatchers and leaders run inspection campaigns.")), "/inspections/")
    form = CampaignForm(request.POST or None, initial=_initial(repeat),
                        templates=list(selectors.templates_active()), areas=areas)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            made = _create(user, form, areas)
        except ApplicationError as exc:
            error = exc
        else:
            if form.cleaned_data["repeat"]:
                messages.success(request, _("The recurring campaign is set up: its first "
                                            "campaign starts on %(day)s.") % {"day": made.next_on})
                return redirect("inspections:schedules")
            messages.success(request, _("The campaign is running."))
            return redirect("inspections:campaign_detail", made.pk)
    status = error.status if error else (400 if form.errors else 200)
    return render(request, "inspections/campaigns/new.html", {
        "form": form, "error": error, "repeat": repeat}, status=status)


@login_required
@require_GET
def campaign_detail(request, campaign_id: int):
    user = request.user
    require_inspector(user)
    campaign = selectors.campaign_get(actor=user, campaign_id=campaign_id)
    rows = progress.campaign_todo(user, campaign)
    today = timezone.localdate()
    return render(request, "inspections/campaigns/detail.html", {
        "campaign": campaign, "items": selectors.campaign_items(campaign),
        "areas": campaign.areas.order_by("path"), "groups": progress.by_grid(rows),
        "kinds": [TargetKind(k).label for k in campaign.target_kinds if k in TargetKind.values],
        "progress": progress.campaign_progress(user, campaign),
        "phase": progress.campaign_phase(campaign, today),
        "may_edit": is_coordinator_of(user, campaign.area),
    })


@login_required
def campaign_edit(request, campaign_id: int):
    user = request.user
    require_inspector(user)
    campaign = selectors.campaign_get(actor=user, campaign_id=campaign_id)
    back = f"/inspections/campaigns/{campaign.pk}/"
    if not is_coordinator_of(user, campaign.area):
        return _refused(request, PermissionDenied(
            _("Only dispatchers and leaders of %(area)s change this campaign.")
            % {"area": campaign.area.name}), back)
    form = CampaignEditForm(request.POST or None,
                            initial={"name": campaign.name, "ends_on": campaign.ends_on})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=user, campaign=campaign,
                                     name=form.cleaned_data["name"],
                                     ends_on=form.changed(campaign.ends_on))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("The campaign is changed."))
            return redirect("inspections:campaign_detail", campaign.pk)
    status = error.status if error else (400 if form.errors else 200)
    return render(request, "inspections/campaigns/edit.html", {
        "form": form, "campaign": campaign, "error": error}, status=status)


# --- recurring schedules and checklists ---------------------------------------------------

@login_required
@require_GET
def schedules(request):
    user = request.user
    require_inspector(user)
    rows = selectors.schedules_visible(user).select_related("template", "area")
    return render(request, "inspections/campaigns/schedules.html", {
        "rows": [(s, is_coordinator_of(user, s.area)) for s in rows],
        "may_create": bool(coordinator_areas(user)),
    })


@login_required
def schedule_new(request):
    return campaign_new(request, repeat=True)


@login_required
@require_POST
def schedule_toggle(request, schedule_id: int):
    user = request.user
    require_inspector(user)
    schedule = selectors.schedule_get(actor=user, schedule_id=schedule_id)
    try:
        services.schedule_update(actor=user, schedule=schedule,
                                 is_active=not schedule.is_active)
    except ApplicationError as exc:
        return _refused(request, exc, "/inspections/schedules/")
    messages.success(request, _("The recurring campaign is paused.") if schedule.is_active
                     else _("The recurring campaign is resumed."))
    return redirect("inspections:schedules")


@login_required
@require_GET
def checklists(request):
    user = request.user
    require_inspector(user)
    return render(request, "inspections/campaigns/checklists.html", {
        "templates": selectors.templates_active(), "is_admin": is_site_admin(user)})


urlpatterns = [
    path("", home, name="home"),
    path("campaigns/new/", campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/edit/", campaign_edit, name="campaign_edit"),
    path("schedules/", schedules, name="schedules"),
    path("schedules/new/", schedule_new, name="schedule_new"),
    path("schedules/<int:schedule_id>/toggle/", schedule_toggle, name="schedule_toggle"),
    path("checklists/", checklists, name="checklists"),
]
