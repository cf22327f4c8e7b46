"""The daily reports API: today's report, any day's report (only today is open), items,
the community's day overview and month rates, the list and a report.

Parse, call a selector or a service, serialize. Residents are refused (403), a community
or report outside the caller's areas is not found (404). Submissions take an
`Idempotency-Key`: a retry answers 200 with the first outcome.
"""

from datetime import date
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.pagination import paginate

from linli.cases.models import Category
from linli.core.bounds import Id, Pages
from linli.core.errors import NotFound, ValidationFailed
from linli.core.idempotency import request_fingerprint
from linli.dailyreports import selectors, services
from linli.dailyreports.models import ItemKind
from linli.dailyreports.schemas import (
    DailyItemIn,
    DailyItemOut,
    DailyMonthOut,
    DailyOverviewOut,
    DailyReportIn,
    DailyReportOut,
    DailyReportRowOut,
    DailyTodayIn,
)
from linli.disputes.services import PartyInput
from linli.orgs.selectors import area_get

router = Router(tags=["daily reports"])
Key = Annotated[str, Header(alias="Idempotency-Key")]


def _report(request, report_id: int):
    return selectors.report_get(actor=request.user, report_id=report_id)


def _save(request, payload: DailyTodayIn, day: date, key: str):
    services.worker_check(request.user)
    done = services.daily_report_save(
        actor=request.user, grid=area_get(actor=request.user, area_id=payload.grid_id),
        day=day, patrol_done=payload.patrol_done, route_notes=payload.route_notes,
        idempotency_key=key, fingerprint=request_fingerprint(payload.model_dump()))
    return Status(201 if done.created else 200, _report(request, done.report.pk))


@router.get("/today", response=DailyReportOut)
def today_get(request):
    """The caller's report of today, with its items (404 before it is filed)."""
    services.worker_check(request.user)
    report = selectors.report_of_day(actor=request.user, day=timezone.localdate())
    if report is None:
        raise NotFound(_("You have not filed today's report yet."), code="not_filed")
    return _report(request, report.pk)


@router.put("/today", response={200: DailyReportOut, 201: DailyReportOut})
def today_put(request, payload: DailyTodayIn, idempotency_key: Key = ""):
    """File or edit today's report (201 when this made it)."""
    return _save(request, payload, timezone.localdate(), idempotency_key)


@router.post("/reports", response={200: DailyReportOut, 201: DailyReportOut})
def report_post(request, payload: DailyReportIn, idempotency_key: Key = ""):
    """File or edit the report of `day`: only today's is open (`day_locked`, `future_day`)."""
    return _save(request, payload, payload.day, idempotency_key)


@router.get("/reports", response=list[DailyReportRowOut])
@paginate(Pages, page_size=50)
def report_list(request, community_id: Id | None = None, grid_id: Id | None = None,
                worker_id: Id | None = None, since: date | None = None,
                until: date | None = None, workdays: bool = False):
    """Reports the caller may read: their own, and for dispatchers and leaders those of
    their areas. `workdays` with `since` and `until` keeps the working days (the month
    view's figures)."""
    return selectors.report_list(actor=request.user, filters=selectors.ReportFilters(
        community_id=community_id, grid_id=grid_id, worker_id=worker_id, since=since,
        until=until, workdays_only=workdays))


@router.get("/reports/{report_id}", response=DailyReportOut)
def report_detail(request, report_id: Id):
    return _report(request, report_id)


def _category(code: str) -> Category:
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise ValidationFailed(_("Unknown category."), code="bad_category")
    return category


def _details(request, payload: DailyItemIn):
    actor, kind = request.user, payload.kind
    given = {ItemKind.PROBLEM: payload.problem, ItemKind.CONFLICT: payload.conflict,
             ItemKind.VISIT: payload.visit}.get(ItemKind(kind))
    if kind != ItemKind.NOTHING and given is None:
        raise ValidationFailed(_("Give the %(kind)s's details.") % {"kind": kind},
                               code="details_required")
    if payload.problem is not None and kind == ItemKind.PROBLEM:
        p = payload.problem
        return services.ProblemIn(category=_category(p.category),
                                  area=area_get(actor=actor, area_id=p.area_id),
                                  description=p.description, address=p.address)
    if payload.conflict is not None and kind == ItemKind.CONFLICT:
        c = payload.conflict
        return services.ConflictIn(
            kind=c.kind, area=area_get(actor=actor, area_id=c.area_id), summary=c.summary,
            people_involved=c.people_involved, violence_threat=c.violence_threat,
            petition_risk=c.petition_risk, address=c.address,
            parties=[PartyInput(**p.model_dump()) for p in c.parties])
    if payload.visit is not None and kind == ItemKind.VISIT:
        v = payload.visit
        plan = (selectors.care_plans_of(actor=actor).filter(resident_id=v.resident_id).first()
                if v.resident_id is not None else None)
        return services.VisitIn(resident=plan.resident if plan else None, kind=v.kind,
                                findings=v.findings, follow_up_needed=v.follow_up_needed,
                                visit_id=v.visit_id)
    return None


@router.post("/items", response={200: DailyItemOut, 201: DailyItemOut})
def item_create(request, payload: DailyItemIn, idempotency_key: Key = ""):
    """Add an item to the day's report: a problem becomes a case, a conflict sign a
    dispute, a care visit the people app's visit, in the same step. A retry with the same
    `Idempotency-Key` and body answers 200 with the first item and raises nothing twice."""
    services.worker_check(request.user)
    actor = request.user
    grid = area_get(actor=actor, area_id=payload.grid_id) if payload.grid_id else None
    done = services.item_add(
        actor=actor, day=payload.day or timezone.localdate(), grid=grid,
        details=_details(request, payload), note=payload.note, idempotency_key=idempotency_key,
        fingerprint=request_fingerprint(payload.model_dump()))
    return Status(200 if done.replayed else 201, done.added)


@router.get("/overview", response=DailyOverviewOut)
def overview(request, community_id: Id | None = None, day: date | None = None):
    """Who has and has not reported on `day` (today), per grid of the community."""
    community = selectors.community_get(actor=request.user, community_id=community_id)
    day = day or timezone.localdate()
    rows = selectors.day_overview(actor=request.user, community=community, day=day)
    return {"community_id": community.pk, "day": day, "grids": [
        {"grid_id": r.grid.pk, "grid_name": r.grid.name, "reported": r.reported,
         "workers": [{"worker_id": x.worker.pk, "worker": str(x.worker),
                      "report_id": x.report.pk if x.report else None} for x in r.workers]}
        for r in rows]}


@router.get("/month", response=DailyMonthOut)
def month(request, community_id: Id | None = None, month: date | None = None):
    """Per grid worker and grid: working days reported / working days of the month so far
    (`month`: any day of it; this month when left out)."""
    community = selectors.community_get(actor=request.user, community_id=community_id)
    (first, last), rows = selectors.month_rates(
        actor=request.user, community=community, month=month or timezone.localdate())
    return {"community_id": community.pk, "first": first, "last": last, "rows": [
        {"worker_id": r.worker.pk, "worker": str(r.worker), "grid_id": r.grid.pk,
         "grid_name": r.grid.name, "reported": r.reported, "working": r.working,
         "rate": r.rate} for r in rows]}
