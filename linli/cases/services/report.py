"""Intake: every channel's report becomes a case here (resident pages, grid patrol, hotline,
API, Open311, IoT). With an idempotency key a retried report answers with the first case."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ParamSpec

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases import permissions
from linli.cases.deadlines import limits_for
from linli.cases.events import case_event_notify, case_event_record, photos_store
from linli.cases.models import Case, Category, Channel, IdempotencyKey, Priority, State
from linli.cases.routing import suggested_unit
from linli.core.audit import audit_record
from linli.core.clocks import due_and_warn
from linli.core.db import insert, pipelined
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.idempotency import key_checked, request_fingerprint
from linli.core.images import MAX_FILES, CleanImage, images_clean
from linli.orgs.models import Area, AreaKind

# GeoReport v2's limit, so a request an Open311 app files is never cut; one for every channel.
MAX_DESCRIPTION = 4000
MAX_TITLE = 100
P = ParamSpec("P")


@dataclass(frozen=True)
class Report:
    """One report as every channel gives it, checked once and written once."""

    actor: Any
    category: Category
    area: Area
    description: str
    title: str = ""
    channel: str = Channel.RESIDENT_WEB
    address: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None
    is_public: bool = True
    priority: str = ""
    reporter_name: str = ""
    photos: Sequence = field(default=(), compare=False)

    def fingerprint(self) -> str:
        """The report's fields (photos aside), for callers that do not hash a body."""
        return request_fingerprint({
            "category": getattr(self.category, "pk", None),
            "area": getattr(self.area, "pk", None), "description": self.description,
            "title": self.title, "channel": self.channel, "address": self.address,
            "lat": self.lat, "lng": self.lng, "is_public": self.is_public,
            "priority": self.priority, "reporter_name": self.reporter_name})


def _check_report(report: Report) -> None:
    category, area, channel = report.category, report.area, report.channel
    if category is None or category.is_group or not category.is_active:
        raise ValidationFailed(_("Choose a specific, active category."), code="bad_category")
    if not report.description.strip():
        raise ValidationFailed(_("Describe the problem."), code="empty_description")
    if len(report.description) > MAX_DESCRIPTION or len(report.title) > MAX_TITLE:
        raise ValidationFailed(_("The description is at most %(description)d characters and "
                                 "the title %(title)d.") % {"description": MAX_DESCRIPTION,
                                                            "title": MAX_TITLE},
                               code="too_long")
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown channel."))
    if area is None or area.kind in (AreaKind.DISTRICT, AreaKind.STREET):
        raise ValidationFailed(_("Choose a place within a community."), code="bad_area")
    system = channel in (Channel.IOT, Channel.OPEN311)
    if not system and not permissions.can_report_in(report.actor, area):
        raise PermissionDenied(_("You can only report problems within your own community."),
                               code="outside_community")
    if channel == Channel.HOTLINE and not permissions.can_enter_hotline(report.actor, area):
        raise PermissionDenied(_("Only a dispatcher of this community enters hotline "
                                 "reports."), code="hotline_dispatchers_only")


def _replayed(actor, key: str, fingerprint: str) -> Case | None:
    found = IdempotencyKey.objects.filter(user=actor, key=key).first()
    if found is None:
        return None
    if found.request_hash != fingerprint:
        raise Conflict(_("This Idempotency-Key was already used for a different report."),
                       code="idempotency_mismatch")
    # What the API's CaseOut reads, in the one query that loads the case anyway.
    return Case.objects.select_related("category", "area", "unit", "suggested_unit").get(
        pk=found.case_id)


@dataclass(frozen=True)
class ReportOutcome:
    case: Case
    replayed: bool  # an earlier report with the same Idempotency-Key made `case`


def case_report_outcome(*, actor, category: Category, area: Area, description: str,
                        title: str = "", channel: str = Channel.RESIDENT_WEB,
                        address: str = "", lat: Decimal | None = None,
                        lng: Decimal | None = None, photos: Sequence = (),
                        clean_photos: Sequence[CleanImage] = (),
                        is_public: bool = True, priority: str = "", reporter_name: str = "",
                        idempotency_key: str = "", fingerprint: str = "",
                        now: datetime | None = None) -> ReportOutcome:
    """Create a case from any channel. With an idempotency key, a retry returns the first
    case instead of making a second one, and says so (`replayed`). The API passes the hash
    of its request body as `fingerprint`; other callers get one made of the report's fields
    (photos aside), so the same key with a different report is refused whoever calls.
    `photos` are uploads still to be checked; `clean_photos`, photos cleaned already (held
    while the report form came back with an error, see core/held.py)."""
    report = Report(actor=actor, category=category, area=area, description=description,
                    title=title, channel=channel, address=address, lat=lat, lng=lng,
                    is_public=is_public, priority=priority, reporter_name=reporter_name,
                    photos=photos)
    if idempotency_key:
        key_checked(idempotency_key)
        fingerprint = fingerprint or report.fingerprint()
    # No look for an earlier report first: the key's unique constraint guards the insert,
    # and a retry (rare) pays for the lookup after the refusal instead of every report
    # paying for it before.
    try:
        _check_report(report)
        images = [*clean_photos, *images_clean(photos)]
        if len(images) > MAX_FILES:
            raise ValidationFailed(_("At most %(n)d photos at a time.") % {"n": MAX_FILES},
                                   code="too_many_photos")
        case = _report_atomic(report, images, idempotency_key, fingerprint, now)
    except (IntegrityError, ValidationFailed, PermissionDenied):
        # A retry of a report that was made (perhaps since, by a concurrent request) answers
        # with its case, even if the report would no longer be accepted as it stands.
        existing = _replayed(actor, idempotency_key, fingerprint) if idempotency_key else None
        if existing is None:
            raise
        return ReportOutcome(existing, replayed=True)
    return ReportOutcome(case, replayed=False)


def _case_only(report: Callable[P, ReportOutcome]) -> Callable[P, Case]:
    def case_only(*args: P.args, **kwargs: P.kwargs) -> Case:
        return report(*args, **kwargs).case

    case_only.__doc__ = report.__doc__
    return case_only


# The same parameters, for the many callers that only want the case (pages, Open311, care
# visits, the demo, tests).
case_report = _case_only(case_report_outcome)


def _new_case(report: Report, now: datetime) -> Case:
    category, area, actor = report.category, report.area, report.actor
    priority = report.priority or category.priority or Priority.NORMAL
    if priority not in Priority.values:
        raise ValidationFailed(_("Unknown priority."))
    limits = limits_for(category, priority)
    # In UTC, as the database gives them back: the API answers with this very object.
    accept_due, accept_warn = (moment.astimezone(UTC) for moment in due_and_warn(
        now, limits.accept, limits.unit))
    # The tree fixes its top levels (orgs.validators.parent_problem): the path starts with
    # the district, the street and the community, so no query is needed to find them.
    path_ids = area.ancestor_ids
    authenticated = getattr(actor, "is_authenticated", False)
    return insert(Case(
        district_id=path_ids[0], community_id=path_ids[2],
        area=area, area_path=area.path, address=report.address[:200],
        lat=report.lat or area.lat, lng=report.lng or area.lng, category=category,
        triage=category.triage, priority=priority, title=report.title.strip()
        or category.name_zh, description=report.description.strip(),
        is_public=report.is_public and category.is_public, channel=report.channel,
        reporter=actor if authenticated else None,
        reporter_name=(report.reporter_name or (actor.display_name if authenticated else "")
                       )[:64],
        reported_at=now, accept_due_at=accept_due, accept_warn_at=accept_warn,
        handle_limit=limits.handle, limit_unit=limits.unit,
        suggested_unit=suggested_unit(category, area),
    ))


@transaction.atomic
def _report_atomic(report: Report, images: Sequence[CleanImage], idempotency_key: str,
                   fingerprint: str, now: datetime | None) -> Case:
    now = now or timezone.now()
    # BEGIN with the case's INSERT, then the other rows together, then COMMIT: three round
    # trips instead of six (core.db.pipelined).
    with pipelined() as pipe:
        case = _new_case(report, now)
        pipe.ids_now(case)  # the rows below point at it
        if idempotency_key:  # first: a retry stops here, before any photo is written
            insert(IdempotencyKey(user=report.actor, key=idempotency_key,
                                  request_hash=fingerprint, case=case))
        event = case_event_record(case, actor=report.actor, action="report", from_state="",
                                  to_state=State.REPORTED, at=now,
                                  data={"channel": report.channel})
        if images:  # named by the event's id; waiting for it also surfaces a key taken
            pipe.ids_now(event)
            photos_store(case, event, images, report.actor)
        audit_record(actor=report.actor, action="case.reported", obj=case,
                     changes={"category": report.category.code, "channel": report.channel})
    case_event_notify(event)
    return case


def report_channel(*, actor, area: Area, via_token: bool, requested: str = "") -> str:
    """The intake channel of a report made in person (pages or API). A dispatcher typing in
    a phone call asks for the hotline; `case_report` refuses it to anyone else."""
    if requested:
        return requested
    if scope.has_role(actor, Role.GRID_WORKER, area):
        return Channel.GRID_PATROL
    return Channel.API if via_token else Channel.RESIDENT_WEB
