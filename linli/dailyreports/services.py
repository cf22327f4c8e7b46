"""Every write to daily reports: the day's report (patrol done, route notes) and its items,
each raising its case, dispute or visit in the same transaction; and the evening reminder.

One report per worker and day; a second submission for the same day edits the first until
the day is locked at local midnight. A submission may carry an idempotency key (the API's
`Idempotency-Key`, the page's hidden token): a retry with the same key answers with the
first outcome and raises nothing twice, even after the day is locked.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.models import RoleAssignment, User
from linli.cases.models import Category, Channel
from linli.cases.services import case_report
from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.idempotency import key_checked, request_fingerprint
from linli.core.images import CleanImage
from linli.core.workcalendar import is_workday
from linli.dailyreports import permissions, selectors
from linli.dailyreports.models import (
    MAX_NOTES,
    DailyReport,
    Item,
    ItemKind,
    Reminder,
    Submission,
)
from linli.disputes.models import Source
from linli.disputes.services import PartyInput, dispute_register
from linli.notifications.services import notify
from linli.orgs.models import Area, AreaKind
from linli.people.models import Resident, Visit
from linli.people.services import visit_record

MAX_NOTE = 200


# --- what an item carries, by kind -------------------------------------------------------

@dataclass(frozen=True)
class ProblemIn:
    """A problem found on patrol: it becomes a case (channel grid patrol)."""

    category: Category
    area: Area
    description: str
    address: str = ""
    photos: Sequence = field(default=(), compare=False)  # uploads still to be checked
    clean_photos: Sequence[CleanImage] = field(default=(), compare=False)  # held, cleaned

    def fingerprint(self) -> dict:
        return {"category": self.category.pk, "area": self.area.pk,
                "description": self.description, "address": self.address}


@dataclass(frozen=True)
class ConflictIn:
    """A conflict sign: it becomes a dispute (source daily report)."""

    kind: str
    area: Area
    summary: str
    people_involved: int
    parties: Sequence[PartyInput]
    violence_threat: bool = False
    petition_risk: bool = False
    address: str = ""

    def fingerprint(self) -> dict:
        return {"kind": self.kind, "area": self.area.pk, "summary": self.summary,
                "people_involved": self.people_involved,
                "parties": [asdict(p) for p in self.parties],
                "violence_threat": self.violence_threat, "petition_risk": self.petition_risk,
                "address": self.address}


@dataclass(frozen=True)
class VisitIn:
    """A visit to a care-plan resident: recorded as the people app's visit, or, with
    `visit_id`, a visit the worker recorded that day already."""

    resident: Resident | None = None
    kind: str = ""
    findings: str = ""
    follow_up_needed: bool = False
    visit_id: int | None = None

    def fingerprint(self) -> dict:
        return {"resident": getattr(self.resident, "pk", None), "kind": self.kind,
                "findings": self.findings, "follow_up_needed": self.follow_up_needed,
                "visit_id": self.visit_id}


Details = ProblemIn | ConflictIn | VisitIn | None


def _kind_of(details: Details) -> str:
    if isinstance(details, ProblemIn):
        return ItemKind.PROBLEM
    if isinstance(details, ConflictIn):
        return ItemKind.CONFLICT
    if isinstance(details, VisitIn):
        return ItemKind.VISIT
    return ItemKind.NOTHING


# --- checks ------------------------------------------------------------------------------

def worker_check(actor) -> None:
    """Refuses (403) anyone but a grid worker: the pages and the API ask it first, so a
    resident is refused before any grid or place is looked up."""
    if not permissions.is_worker(actor):
        raise PermissionDenied(_("Only grid workers file daily reports."),
                               code="grid_workers_only")


def _check_day(day: date, now: datetime) -> None:
    today = timezone.localdate(now)
    if day > today:
        raise ValidationFailed(_("A daily report cannot be filed for a day still to come."),
                               code="future_day")
    if day < today:
        raise Conflict(_("The report for %(day)s is locked: a day's report can be changed "
                         "only until midnight of that day.") % {"day": day.isoformat()},
                       code="day_locked")


def _check_grid(actor, grid: Area) -> None:
    if not permissions.is_workers_grid(actor, grid):
        raise ValidationFailed(_("Choose one of your own grids."), code="not_your_grid")


def _text(value: str, limit: int, label: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationFailed(_("%(field)s is at most %(n)d characters.") % {
            "field": label, "n": limit}, code="too_long")
    return value


def _replayed(actor, key: str, fingerprint: str) -> Submission | None:
    if not key:
        return None
    found = Submission.objects.filter(worker=actor, key=key).select_related(
        "report", "item").first()
    if found is not None and found.request_hash != fingerprint:
        raise Conflict(_("This Idempotency-Key was already used for a different submission."),
                       code="idempotency_mismatch")
    return found


def _report_locked(actor, day: date, grid: Area | None) -> tuple[DailyReport, bool]:
    """The worker's report of `day`, locked for this transaction, made when missing.
    Returns (report, created)."""
    report = DailyReport.objects.select_for_update().filter(worker=actor, day=day).first()
    if report is not None:
        return report, False
    if grid is None:
        grids = selectors.worker_grids(actor)
        if len(grids) != 1:
            raise ValidationFailed(_("Choose the grid of your report."), code="grid_required")
        grid = grids[0]
    community = grid.ancestor_of_kind(AreaKind.COMMUNITY)
    if community is None:  # the tree puts every grid in a community (orgs.validators)
        raise ValidationFailed(_("Choose one of your own grids."), code="not_your_grid")
    try:
        with transaction.atomic():
            return DailyReport.objects.create(worker=actor, community=community, grid=grid,
                                              area_path=grid.path, day=day), True
    except IntegrityError:
        # The same worker's other request made it first: use theirs.
        return DailyReport.objects.select_for_update().get(worker=actor, day=day), False


# --- the report --------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    report: DailyReport
    created: bool = False   # this submission made the day's report
    replayed: bool = False  # an earlier submission with the same key did it


@dataclass(frozen=True)
class ItemOutcome(Outcome):
    item: Item | None = None  # always set: None only keeps the dataclass order legal

    @property
    def added(self) -> Item:
        if self.item is None:
            raise LookupError("an item outcome without its item")
        return self.item


def daily_report_save(*, actor, grid: Area, day: date, patrol_done: bool,
                      route_notes: str = "", idempotency_key: str = "",
                      fingerprint: str = "", now: datetime | None = None) -> Outcome:
    """File the day's report, or edit it (grid, patrol done, route notes) until the day is
    locked. Refused with nothing written for another day than today, a grid not the
    worker's, or notes too long."""
    now = now or timezone.now()
    key_checked(idempotency_key)
    fingerprint = fingerprint or request_fingerprint(
        {"grid": grid.pk, "day": day, "patrol_done": patrol_done, "notes": route_notes})
    if (done := _replayed(actor, idempotency_key, fingerprint)) is not None:
        return Outcome(done.report, replayed=True)
    worker_check(actor)
    _check_day(day, now)
    _check_grid(actor, grid)
    route_notes = _text(route_notes, MAX_NOTES, _("The route notes"))
    with transaction.atomic():
        report, created = _report_locked(actor, day, grid)
        if (done := _replayed(actor, idempotency_key, fingerprint)) is not None:
            return Outcome(done.report, replayed=True)
        before = {"grid": report.grid_id, "patrol_done": report.patrol_done}
        if grid.pk != report.grid_id and report.items.exists():
            # Its items were placed in the grid it names: they would be left outside it.
            raise ValidationFailed(_("Today's report has items in %(grid)s: its grid can no "
                                     "longer change.") % {"grid": report.grid.name},
                                   code="grid_has_items")
        report.grid, report.area_path = grid, grid.path
        report.community = grid.ancestor_of_kind(AreaKind.COMMUNITY) or report.community
        report.patrol_done, report.route_notes = patrol_done, route_notes
        report.save()
        if idempotency_key:
            Submission.objects.create(worker=actor, key=idempotency_key,
                                      request_hash=fingerprint, report=report)
        audit_record(actor=actor, action="daily_report.saved", obj=report,
                     area_path=report.area_path,
                     changes={"day": day.isoformat(), "created": created,
                              "grid": [before["grid"], grid.pk],
                              "patrol_done": [before["patrol_done"], patrol_done]})
    return Outcome(report, created=created)


# --- items -------------------------------------------------------------------------------

def _check_place(area: Area, grid: Area) -> None:
    if not area.path.startswith(grid.path):
        raise ValidationFailed(_("The place must lie in the grid of your report (%(grid)s).")
                               % {"grid": grid.name}, code="place_outside_grid")


def _raise(actor, report: DailyReport, details: Details, now: datetime) -> dict:
    """Raise what the item stands for; returns the item's link ({"case": ...} ...)."""
    if isinstance(details, ProblemIn):
        _check_place(details.area, report.grid)
        case = case_report(actor=actor, category=details.category, area=details.area,
                           description=details.description, address=details.address,
                           channel=Channel.GRID_PATROL, photos=details.photos,
                           clean_photos=details.clean_photos, now=now)
        return {"case": case}
    if isinstance(details, ConflictIn):
        _check_place(details.area, report.grid)
        dispute = dispute_register(
            actor=actor, area=details.area, kind=details.kind, summary=details.summary,
            people_involved=details.people_involved, source=Source.DAILY_REPORT,
            parties=details.parties, violence_threat=details.violence_threat,
            petition_risk=details.petition_risk, address=details.address, now=now)
        return {"dispute": dispute}
    if isinstance(details, VisitIn):
        return {"visit": _visit(actor, report, details)}
    if report.items.exists():
        raise ValidationFailed(_("The report has items already: there is something to "
                                 "report."), code="has_items")
    return {}


def _visit(actor, report: DailyReport, details: VisitIn):
    if details.visit_id is not None:
        visit = Visit.objects.filter(pk=details.visit_id, visitor=actor,
                                     visited_on=report.day).first()
        if visit is None:
            raise ValidationFailed(_("No visit of yours on this day has that number."),
                                   code="bad_visit")
        if Item.objects.filter(visit=visit).exists():
            raise ValidationFailed(_("This visit is in the report already."),
                                   code="visit_linked")
        return visit
    resident = details.resident
    plan = getattr(resident, "care_plan", None)
    if resident is None or plan is None or plan.grid_worker_id != actor.pk:
        raise ValidationFailed(_("Choose a resident from your own care plans."),
                               code="not_your_care_plan")
    return visit_record(actor=actor, resident=resident, visited_on=report.day,
                        kind=details.kind, findings=details.findings,
                        follow_up_needed=details.follow_up_needed)


def _replayed_item(done: Submission) -> ItemOutcome:
    if done.item is None:  # the key of a report save, hashed alike: cannot happen, refuse
        raise Conflict(_("This Idempotency-Key was already used for a different "
                         "submission."), code="idempotency_mismatch")
    return ItemOutcome(done.report, item=done.item, replayed=True)


def item_add(*, actor, day: date, details: Details, grid: Area | None = None,
             note: str = "", idempotency_key: str = "", fingerprint: str = "",
             now: datetime | None = None) -> ItemOutcome:
    """Add an item to the worker's report of `day` (made when missing, for `grid` or the
    worker's only grid) and raise its case, dispute or visit in the same transaction: a
    refused case or dispute leaves no item and no change to the report."""
    now = now or timezone.now()
    key_checked(idempotency_key)
    kind = _kind_of(details)
    fingerprint = fingerprint or request_fingerprint({
        "day": day, "kind": kind, "grid": getattr(grid, "pk", None), "note": note,
        **(details.fingerprint() if details is not None else {})})
    if (done := _replayed(actor, idempotency_key, fingerprint)) is not None:
        return _replayed_item(done)
    worker_check(actor)
    _check_day(day, now)
    if grid is not None:
        _check_grid(actor, grid)
    note = _text(note, MAX_NOTE, _("The note"))
    with transaction.atomic():
        report, created = _report_locked(actor, day, grid)
        if (done := _replayed(actor, idempotency_key, fingerprint)) is not None:
            return _replayed_item(done)
        if grid is not None and grid.pk != report.grid_id:
            raise ValidationFailed(_("Today's report is for %(grid)s; add the item there or "
                                     "change the report's grid first.") % {
                "grid": report.grid.name}, code="other_grid")
        item = Item.objects.create(report=report, kind=kind, note=note,
                                   **_raise(actor, report, details, now))
        report.save(update_fields=["updated_at"])
        if idempotency_key:
            Submission.objects.create(worker=actor, key=idempotency_key,
                                      request_hash=fingerprint, report=report, item=item)
        audit_record(actor=actor, action="daily_report.item_added", obj=report,
                     area_path=report.area_path,
                     changes={"day": day.isoformat(), "kind": kind, "item": item.pk,
                              "case": item.case_id, "dispute": item.dispute_id,
                              "visit": item.visit_id})
    return ItemOutcome(report, created=created, item=item)


# --- the evening reminder ----------------------------------------------------------------

REMINDER_TITLE = gettext_lazy("Your daily report is missing")
REMINDER_BODY = gettext_lazy("You have not filed today's daily report yet. File it before "
                             "midnight; after that the day is locked.")


def remind_at() -> time:
    return time.fromisoformat(settings.DAILY_REPORT_REMIND_AT)


def _due_workers(day: date) -> list[User]:
    reported = DailyReport.objects.filter(day=day).values("worker_id")
    reminded = Reminder.objects.filter(day=day).values("worker_id")
    ids = (RoleAssignment.objects.filter(role=permissions.WORKER, user__is_active=True)
           .exclude(user_id__in=reported).exclude(user_id__in=reminded)
           .values_list("user_id", flat=True).distinct())
    return list(User.objects.filter(pk__in=list(ids)).order_by("pk"))


def reminders_send(*, now: datetime | None = None) -> int:
    """On a working day from the reminder time on, remind each grid worker without a
    report of the day, once: each reminder is claimed by inserting its (worker, day) row,
    so any number of sweepers send it once. Returns how many this sweep sent."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    day = local.date()
    if not is_workday(day) or local.time() < remind_at():
        return 0
    sent = 0
    for worker in _due_workers(day):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Reminder.objects.create(worker=worker, day=day, sent_at=now)
            except IntegrityError:
                continue  # another sweeper claimed it
            if DailyReport.objects.filter(worker=worker, day=day).exists():
                continue  # filed since the list was read: the claim stays, nothing to say
            notify(recipients=[worker], kind="daily_report.reminder", title=REMINDER_TITLE,
                   body=REMINDER_BODY, link=reverse("daily:today"),
                   source_key=f"daily_reminder:{worker.pk}:{day.isoformat()}")
            audit_record(actor=None, action="daily_report.reminded", object_type="accounts.user",
                         object_id=worker.pk, object_label=worker.get_username(),
                         changes={"day": day.isoformat()})
        sent += 1
    return sent


__all__ = ["ConflictIn", "ItemOutcome", "Outcome", "PartyInput", "ProblemIn", "VisitIn",
           "daily_report_save", "item_add", "reminders_send", "worker_check"]
