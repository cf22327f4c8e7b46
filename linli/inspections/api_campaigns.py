"""The inspections API: campaigns, their targets (the caller's to-do), recurring schedules
and the checklists (mounted under /api/inspections in linli/api.py).

Parse, call a selector or a service, serialize. A campaign or schedule named in the path
is loaded through its selector, so one out of sight is a 404 before any service runs; the
service then decides whether the caller may change it (403). Areas named in a body are
looked up among those the caller sees: one out of sight is a 404, as on the page.
"""

from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from linli.accounts import scope
from linli.core.bounds import Id, Pages
from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.inspections import selectors, services
from linli.inspections import selectors_campaigns as progress
from linli.inspections.models import Template
from linli.inspections.permissions import INSPECTORS
from linli.inspections.schemas_campaigns import (
    CampaignDetailOut,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    CampaignTargetOut,
    ScheduleIn,
    ScheduleOut,
    SchedulePatch,
    TemplateOut,
)
from linli.orgs.models import Area
from linli.orgs.selectors import area_list

router = Router(tags=["inspections"])
PHASES = (progress.RUNNING, progress.UPCOMING, progress.ENDED)


def _areas(request, ids: list[int]) -> list[Area]:
    found = list(area_list(actor=request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise NotFound(_("No such area in your areas."))
    return found


def _template(template_id: int) -> Template:
    return get_object_or_404(Template, pk=template_id)


# --- campaigns ---------------------------------------------------------------------------

@router.get("/campaigns", response=list[CampaignOut])
@paginate(Pages, page_size=20)
def campaign_list(request, phase: str = ""):
    """Campaigns covering the caller's areas: `phase` running (ending first), upcoming
    (starting first) or ended (latest first); none given: all, latest start first."""
    if phase and phase not in PHASES:
        raise ValidationFailed(_("Some fields are missing or invalid."), code="invalid",
                               details=[{"field": "phase", "message": _("Unknown value.")}])
    if phase:
        return progress.campaigns_in_phase(request.user, phase, timezone.localdate())
    return selectors.campaigns_visible(request.user).select_related("template", "area")


@router.post("/campaigns", response={201: CampaignDetailOut})
def campaign_create(request, payload: CampaignIn):
    """Run a campaign (排查行动) from a checklist over the caller's areas; its items are
    copied as they are today. Only dispatchers and leaders of every area (else 403)."""
    campaign = services.campaign_create(
        actor=request.user, name=payload.name, template=_template(payload.template_id),
        areas=_areas(request, payload.area_ids), starts_on=payload.starts_on,
        ends_on=payload.ends_on, target_kinds=payload.target_kinds)
    return Status(201, campaign)


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut)
def campaign_detail(request, campaign_id: Id):
    """The campaign with its checklist and its progress in the caller's areas."""
    return selectors.campaign_get(actor=request.user, campaign_id=campaign_id)


@router.patch("/campaigns/{campaign_id}", response=CampaignDetailOut)
def campaign_update(request, campaign_id: Id, payload: CampaignPatch):
    """Rename it or move its end (not before today). Dispatchers and leaders of the
    campaign's area only (403)."""
    campaign = selectors.campaign_get(actor=request.user, campaign_id=campaign_id)
    return services.campaign_update(actor=request.user, campaign=campaign,
                                    name=payload.name, ends_on=payload.ends_on)


@router.get("/campaigns/{campaign_id}/targets", response=list[CampaignTargetOut])
@paginate(Pages, page_size=100)
def campaign_targets(request, campaign_id: Id,
                     inspected: Annotated[bool | None, Query()] = None):
    """The caller's to-do: the campaign's targets in the caller's areas, by grid, each
    with whether it was inspected and the inspection's id; `inspected` filters."""
    campaign = selectors.campaign_get(actor=request.user, campaign_id=campaign_id)
    rows = progress.campaign_todo(request.user, campaign)
    if inspected is not None:
        rows = [row for row in rows if row.inspected == inspected]
    return [{"target_id": r.target.pk, "name": r.target.name, "kind": r.target.kind,
             "address": r.target.address, "area_id": r.target.area_id,
             "grid_id": r.target.grid_id,
             "grid_name": r.target.grid.name if r.target.grid else "",
             "inspected": r.inspected, "inspection_id": r.inspection_id} for r in rows]


# --- recurring schedules -----------------------------------------------------------------

@router.get("/schedules", response=list[ScheduleOut])
@paginate(Pages, page_size=20)
def schedule_list(request):
    """Recurring campaigns covering the caller's areas, the next due first."""
    return selectors.schedules_visible(request.user).select_related("template", "area")


@router.post("/schedules", response={201: ScheduleOut})
def schedule_create(request, payload: ScheduleIn):
    """A campaign made automatically on a recurring day (the first Monday of each month:
    ordinal 1, weekday 0, every_months 1). Dispatchers and leaders of every area (403)."""
    schedule = services.schedule_create(
        actor=request.user, name=payload.name, template=_template(payload.template_id),
        areas=_areas(request, payload.area_ids), ordinal=payload.ordinal,
        weekday=payload.weekday, every_months=payload.every_months,
        duration_days=payload.duration_days, target_kinds=payload.target_kinds)
    return Status(201, schedule)


@router.get("/schedules/{schedule_id}", response=ScheduleOut)
def schedule_detail(request, schedule_id: Id):
    return selectors.schedule_get(actor=request.user, schedule_id=schedule_id)


@router.patch("/schedules/{schedule_id}", response=ScheduleOut)
def schedule_update(request, schedule_id: Id, payload: SchedulePatch):
    """Rename, pause (`is_active` false) or resume it, or change its rule; a new rule or a
    resumed schedule counts from today."""
    schedule = selectors.schedule_get(actor=request.user, schedule_id=schedule_id)
    return services.schedule_update(
        actor=request.user, schedule=schedule, name=payload.name, is_active=payload.is_active,
        ordinal=payload.ordinal, weekday=payload.weekday, every_months=payload.every_months,
        duration_days=payload.duration_days)


# --- checklists --------------------------------------------------------------------------

@router.get("/templates", response=list[TemplateOut])
def template_list(request):
    """The checklists in use with their active items and severities, for any inspector
    (grid workers, dispatchers, leaders; others 403). Administrators edit them on the
    admin site; a campaign keeps its own copy of the items."""
    if not scope.has_role(request.user, INSPECTORS):
        raise PermissionDenied(_("Only inspectors read the checklists."))
    return selectors.templates_active()
