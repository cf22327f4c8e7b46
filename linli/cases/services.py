"""Every write to cases: report, the one transition service, later photos (extensions:
`services_extensions`).

`case_transition` is the only way a case changes state. It checks the move against the
table in `transitions.py`, the actor against `permissions.py`, applies the action's effects,
and claims the row with a conditional UPDATE on (state, version): of two people acting at
once exactly one wins; the other gets a conflict and nothing of theirs is written.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, ParamSpec

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases import permissions
from linli.cases.deadlines import due_and_warn, limits_for
from linli.cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    Category,
    Channel,
    IdempotencyKey,
    Photo,
    Priority,
    Rating,
    State,
    Triage,
)
from linli.cases.routing import suggested_unit
from linli.cases.transitions import TRANSITIONS
from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.images import CleanImage, images_clean
from linli.orgs.models import Area, AreaKind, Unit
from linli.orgs.selectors import units_serving

MAX_DESCRIPTION = 2000
# Staff-internal steps: their notes (why a unit returned a case, why it is parked) are not
# shown to residents or published through Open311.
INTERNAL_ACTIONS = frozenset({"return", "hold", "unhold"})
P = ParamSpec("P")


def request_fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _event(case: Case, actor, action: str, from_state: str, to_state: str, note: str = "",
           data: dict | None = None, is_public: bool = True, at: datetime | None = None):
    return CaseEvent.objects.create(
        case=case, district_id_copy=case.district_id, at=at or timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action, from_state=from_state, to_state=to_state, note=note,
        data=data or {}, is_public=is_public)


def _store_photos(case: Case, event: CaseEvent | None, images: Sequence[CleanImage], actor):
    for index, image in enumerate(images):
        full, thumb = image.files(f"case{case.pk}-{event.pk if event else 0}-{index}")
        Photo.objects.create(case=case, event=event, image=full, thumbnail=thumb,
                             content_type=image.content_type, size=len(image.content),
                             width=image.width, height=image.height,
                             uploaded_by=actor if getattr(actor, "is_authenticated", False)
                             else None)


def _notify(event: CaseEvent) -> None:
    from linli.cases.tasks import case_event_notify
    from linli.core.tasks import enqueue

    enqueue(case_event_notify, event.pk)


# --- report ---------------------------------------------------------------------------

def _check_report(actor, category: Category, area: Area, description: str, title: str,
                  channel: str) -> None:
    if category is None or category.is_group or not category.is_active:
        raise ValidationFailed(_("Choose a specific, active category."), code="bad_category")
    if not description.strip():
        raise ValidationFailed(_("Describe the problem."), code="empty_description")
    if len(description) > MAX_DESCRIPTION or len(title) > 100:
        raise ValidationFailed(_("The description is at most 2000 characters and the title "
                                 "100."), code="too_long")
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown channel."))
    if area is None or area.kind in (AreaKind.DISTRICT, AreaKind.STREET):
        raise ValidationFailed(_("Choose a place within a community."), code="bad_area")
    system = channel in (Channel.IOT, Channel.OPEN311)
    if not system and not permissions.can_report_in(actor, area):
        raise PermissionDenied(_("You can only report problems within your own community."),
                               code="outside_community")
    if channel == Channel.HOTLINE and not permissions.can_enter_hotline(actor, area):
        raise PermissionDenied(_("Only a dispatcher of this community enters hotline "
                                 "reports."), code="hotline_dispatchers_only")


def _replayed(actor, key: str, fingerprint: str) -> Case | None:
    # No select_related("case"): a replay is rare; joining the wide case row costs every report.
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
                        is_public: bool = True, priority: str = "", reporter_name: str = "",
                        idempotency_key: str = "", fingerprint: str = "",
                        now: datetime | None = None) -> ReportOutcome:
    """Create a case from any channel. With an idempotency key, a retry returns the first
    case instead of making a second one, and says so (`replayed`). The API passes the hash
    of its request body as `fingerprint`; other callers get one made of the report's fields
    (photos aside), so the same key with a different report is refused whoever calls."""
    if idempotency_key:
        if len(idempotency_key) > 128:
            raise ValidationFailed(_("The Idempotency-Key is at most 128 characters."))
        fingerprint = fingerprint or request_fingerprint({
            "category": getattr(category, "pk", None), "area": getattr(area, "pk", None),
            "description": description, "title": title, "channel": channel,
            "address": address, "lat": lat, "lng": lng, "is_public": is_public,
            "priority": priority, "reporter_name": reporter_name})
        existing = _replayed(actor, idempotency_key, fingerprint)
        if existing is not None:
            return ReportOutcome(existing, replayed=True)
    _check_report(actor, category, area, description, title, channel)
    images = images_clean(photos)
    try:
        case = _report_atomic(actor, category, area, description.strip(), title.strip(),
                              channel, address, lat, lng, images, is_public, priority,
                              reporter_name, idempotency_key, fingerprint, now)
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its case.
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


@transaction.atomic
def _report_atomic(actor, category, area, description, title, channel, address, lat, lng,
                   images, is_public, priority, reporter_name, idempotency_key, fingerprint,
                   now) -> Case:
    now = now or timezone.now()
    priority = priority or category.priority or Priority.NORMAL
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
    case = Case.objects.create(
        district_id=path_ids[0], community_id=path_ids[2],
        area=area, area_path=area.path, address=address[:200], lat=lat or area.lat,
        lng=lng or area.lng, category=category, triage=category.triage, priority=priority,
        title=title or category.name_zh, description=description,
        is_public=is_public and category.is_public, channel=channel,
        reporter=actor if authenticated else None,
        reporter_name=(reporter_name or (actor.display_name if authenticated else ""))[:64],
        reported_at=now, accept_due_at=accept_due, accept_warn_at=accept_warn,
        handle_limit=limits.handle, limit_unit=limits.unit,
        suggested_unit=suggested_unit(category, area),
    )
    event = _event(case, actor, "report", "", State.REPORTED, at=now,
                   data={"channel": channel})
    _store_photos(case, event, images, actor)
    if idempotency_key:
        IdempotencyKey.objects.create(user=actor, key=idempotency_key,
                                      request_hash=fingerprint, case=case)
    audit_record(actor=actor, action="case.reported", obj=case,
                 changes={"category": category.code, "channel": channel})
    _notify(event)
    return case


# --- the one transition service -------------------------------------------------------

Effects = dict[str, Any]


def _accept(case: Case, actor, now: datetime, data: dict) -> Effects:
    triage = data.get("triage") or case.category.triage or Triage.MAJOR
    priority = data.get("priority") or case.priority
    if triage not in Triage.values or priority not in Priority.values:
        raise ValidationFailed(_("Unknown triage class or priority."))
    if triage == Triage.PRIVATE:
        raise ValidationFailed(_("A private matter is closed with advice, not accepted."),
                               code="private_matter")
    limits = limits_for(case.category, priority)
    return {"triage": triage, "priority": priority, "handle_limit": limits.handle,
            "limit_unit": limits.unit}


def _dispatch(case: Case, actor, now: datetime, data: dict) -> Effects:
    unit = data.get("unit")
    if not isinstance(unit, Unit) or not unit.is_active:
        raise ValidationFailed(_("Choose an active handling unit."), code="bad_unit")
    if not units_serving(case.area).filter(pk=unit.pk).exists():
        raise ValidationFailed(_("%(unit)s does not serve this area.") % {"unit": unit.name},
                               code="bad_unit")
    return {"unit": unit, "dispatched_by": actor, "acknowledged_at": None,
            **_fresh_handling(case, now)}


def _fresh_handling(case: Case, now: datetime) -> Effects:
    """A new round of handling (dispatch, rework) gets the category's limit for the case's
    priority from `now`: more time granted to an earlier round does not carry over."""
    limits = limits_for(case.category, case.priority)
    due, warn = due_and_warn(now, limits.handle, limits.unit)
    return {"handle_limit": limits.handle, "limit_unit": limits.unit,
            "handle_started_at": now, "handle_due_at": due, "handle_warn_at": warn}


def _return(case: Case, actor, now: datetime, data: dict) -> Effects:
    return {"unit": None, "handle_due_at": None, "handle_warn_at": None,
            "handle_started_at": None, "return_count": F("return_count") + 1}


def _resolve(case: Case, actor, now: datetime, data: dict) -> Effects:
    return {"resolved_late": case.handle_due_at is not None and now > case.handle_due_at}


def _fail(case: Case, actor, now: datetime, data: dict) -> Effects:
    return {"rework_count": F("rework_count") + 1, "resolved_at": None,
            **_fresh_handling(case, now)}


def _close(case: Case, actor, now: datetime, data: dict) -> Effects:
    due = case.handle_due_at or case.accept_due_at
    return {"closed_late": due is not None and now > due}


def _advise(case: Case, actor, now: datetime, data: dict) -> Effects:
    return {"triage": Triage.PRIVATE,
            "closed_late": case.accept_due_at is not None and now > case.accept_due_at}


def _rate(case: Case, actor, now: datetime, data: dict) -> Effects:
    if case.rated_at is not None:
        raise ValidationFailed(_("This case has already been rated."), code="already_rated")
    rating = data.get("rating")
    if rating not in Rating.values:
        raise ValidationFailed(_("Choose satisfied, basically satisfied or unsatisfied."))
    comment = (data.get("comment") or "").strip()
    if len(comment) > 500:
        raise ValidationFailed(_("The comment is at most 500 characters."))
    return {"rating": rating, "rating_comment": comment}


def _reopen(case: Case, actor, now: datetime, data: dict) -> Effects:
    if case.rating != Rating.UNSATISFIED or case.rated_at is None:
        raise ValidationFailed(_("Only a case rated unsatisfied can be reopened."),
                               code="not_unsatisfied")
    if now - case.rated_at > timedelta(days=settings.REOPEN_DAYS):
        raise ValidationFailed(_("The time to reopen this case has passed."),
                               code="reopen_expired")
    return {"unit": None, "handle_due_at": None, "handle_warn_at": None, "closed_at": None,
            "handle_started_at": None, "reopen_count": F("reopen_count") + 1,
            "rating": "", "rating_comment": "", "rated_at": None}


def _merge(case: Case, actor, now: datetime, data: dict) -> Effects:
    master = data.get("master")
    if not isinstance(master, Case) or master.pk == case.pk:
        raise ValidationFailed(_("Choose another case to merge into."), code="bad_master")
    if master.state not in OPEN_STATES or master.community_id != case.community_id:
        raise ValidationFailed(_("A case merges only into an open case of the same "
                                 "community."), code="bad_master")
    if not permissions.can_merge(actor, case, master):
        raise PermissionDenied(_("You may not merge these cases."))
    return {"master": master}


EFFECTS: dict[str, Callable[[Case, Any, datetime, dict], Effects]] = {
    "accept": _accept, "dispatch": _dispatch, "return": _return, "resolve": _resolve,
    "fail": _fail, "close": _close, "advise": _advise, "rate": _rate, "reopen": _reopen,
    "merge": _merge,
}


def _check_move(actor, case: Case, action: str, note: str, expected_version: int | None):
    move = TRANSITIONS.get(action)
    if move is None:
        raise ValidationFailed(_("Unknown action."), code="unknown_action")
    if not permissions.can_take(actor, case, action):
        raise PermissionDenied(_("You may not do this to this case."))
    if expected_version is not None and expected_version != case.version:
        raise Conflict(_("This case changed since you opened it. Reload the page and check "
                         "before you act."), code="stale")
    if case.state not in move.sources:
        raise ValidationFailed(
            _("This case is %(state)s; that action is not possible now.") % {
                "state": State(case.state).label}, code="transition_not_allowed")
    if move.needs_note and not note.strip():
        raise ValidationFailed(_("Give a reason or a note for this step."),
                               code="note_required")
    if len(note) > 2000:
        raise ValidationFailed(_("The note is at most 2000 characters."),
                               code="note_too_long")
    return move


def _claim(case: Case, move, now: datetime, effects: Effects) -> None:
    """The conditional UPDATE: only the first of two concurrent movers matches the row."""
    target = move.target or case.state
    updates = {**effects, "state": target, "version": F("version") + 1, "updated_at": now}
    if move.stamp:
        updates[move.stamp] = now
    won = Case.objects.filter(pk=case.pk, state=case.state, version=case.version).update(
        **updates)
    if not won:
        raise Conflict(_("Someone else acted on this case at the same moment. Reload to see "
                         "what changed."), code="conflict")


def _event_data(action: str, effects: Effects, data: dict) -> dict:
    out: dict[str, Any] = {}
    if "unit" in effects and effects["unit"] is not None:
        out["unit"] = effects["unit"].name
    for key in ("triage", "priority", "rating"):
        if key in effects:
            out[key] = effects[key]
    if "master" in effects:
        out["master"] = effects["master"].pk
    if effects.get("handle_due_at"):
        out["handle_due_at"] = effects["handle_due_at"].isoformat()
    return out


@transaction.atomic
def case_transition(*, actor, case: Case, action: str, note: str = "",
                    expected_version: int | None = None, photos: Sequence = (),
                    now: datetime | None = None, **data) -> Case:
    """Move `case` by `action` (see transitions.TRANSITIONS). `data` carries the action's
    inputs: triage/priority (accept), unit (dispatch), rating/comment (rate), master
    (merge). Returns the case as it is after the move."""
    now = now or timezone.now()
    note = (note or "").strip()
    move = _check_move(actor, case, action, note, expected_version)
    images = images_clean(photos)
    effect = EFFECTS.get(action)
    effects = effect(case, actor, now, data) if effect else {}
    from_state = case.state
    _claim(case, move, now, effects)
    event = _event(case, actor, action, from_state, move.target or from_state, note,
                   _event_data(action, effects, data), at=now,
                   is_public=action not in INTERNAL_ACTIONS)
    _store_photos(case, event, images, actor)
    audit_record(actor=actor, action=f"case.{action}", obj=case,
                 changes={"state": [from_state, move.target or from_state]})
    _notify(event)
    case.refresh_from_db()
    return case


# --- intake channel and later photos ----------------------------------------------------

def report_channel(*, actor, area: Area, via_token: bool, requested: str = "") -> str:
    """The intake channel of a report made in person (pages or API). A dispatcher typing in
    a phone call asks for the hotline; `case_report` refuses it to anyone else."""
    if requested:
        return requested
    if scope.has_role(actor, Role.GRID_WORKER, area):
        return Channel.GRID_PATROL
    return Channel.API if via_token else Channel.RESIDENT_WEB


PHOTO_STATES_REPORTER = (State.REPORTED, State.ACCEPTED)
PHOTO_STATES_UNIT = (State.IN_PROGRESS, State.REWORK)


@transaction.atomic
def case_photos_add(*, actor, case: Case, photos: Sequence) -> list[Photo]:
    """Photos after the report: the reporter's while the case waits to be handled, the
    unit's as evidence while it handles the case. One public event carries them."""
    if not permissions.can_add_photos(actor, case):
        raise PermissionDenied(_("Only the reporter or the handling unit may add photos."))
    allowed = ((permissions.is_reporter(actor, case) and case.state in PHOTO_STATES_REPORTER)
               or (permissions.is_unit_member(actor, case) and case.state in PHOTO_STATES_UNIT))
    if not allowed:
        raise ValidationFailed(_("Photos cannot be added to this case in its current state."),
                               code="transition_not_allowed")
    if not photos:
        raise ValidationFailed(_("Choose at least one photo."), code="no_photos")
    images = images_clean(photos)
    event = _event(case, actor, "add_photos", case.state, case.state,
                   data={"count": len(images)})
    _store_photos(case, event, images, actor)
    audit_record(actor=actor, action="case.photos_added", obj=case,
                 changes={"count": len(images)})
    _notify(event)
    return list(event.photos.order_by("pk"))
