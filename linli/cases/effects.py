"""What each case move writes besides its state and stamp (the kit's effects), and the data
rules that make a move the table allows impossible for this case (`applicable`).

An effect returns the columns to write, or refuses with the reason; it runs before the
claim, so a refusal writes nothing.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases import permissions, supervising
from linli.cases.deadlines import limits_for
from linli.cases.handover import fresh_handling, handover
from linli.cases.models import OPEN_STATES, Case, Priority, Rating, Triage
from linli.core.errors import PermissionDenied, ValidationFailed

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
    return handover(case, data.get("unit"), actor, now)


def _return(case: Case, actor, now: datetime, data: dict) -> Effects:
    return {"unit": None, "handle_due_at": None, "handle_warn_at": None,
            "handle_started_at": None, "return_count": F("return_count") + 1,
            **supervising.NOTICE_CLOSED}


def _resolve(case: Case, actor, now: datetime, data: dict) -> Effects:
    return {"resolved_late": case.handle_due_at is not None and now > case.handle_due_at}


def _fail(case: Case, actor, now: datetime, data: dict) -> Effects:
    return {"rework_count": F("rework_count") + 1, "resolved_at": None,
            **fresh_handling(case, now)}


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


def _reopen_expired(rated_at: datetime, now: datetime) -> bool:
    return now - rated_at > timedelta(days=settings.REOPEN_DAYS)


def _reopen(case: Case, actor, now: datetime, data: dict) -> Effects:
    if case.rating != Rating.UNSATISFIED or case.rated_at is None:
        raise ValidationFailed(_("Only a case rated unsatisfied can be reopened."),
                               code="not_unsatisfied")
    if _reopen_expired(case.rated_at, now):
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


EFFECTS = {
    "accept": _accept, "dispatch": _dispatch, "return": _return, "resolve": _resolve,
    "fail": _fail, "close": _close, "advise": _advise, "rate": _rate, "reopen": _reopen,
    "merge": _merge, **supervising.EFFECTS,
}


def applicable(case: Case, action: str) -> bool:
    """False for a move the table allows from the state that the case's data rules out: a
    second rating, reopening a case not rated unsatisfied or rated too long ago (the
    effects refuse them all)."""
    if action in supervising.EFFECTS:
        return supervising.applicable(case, action, timezone.now())
    if action == "rate":
        return case.rated_at is None
    if action == "reopen":
        return (case.rating == Rating.UNSATISFIED and case.rated_at is not None
                and not _reopen_expired(case.rated_at, timezone.now()))
    return True


def event_data(action: str, effects: Effects, data: dict) -> dict:
    """What the timeline and the notifications need to know of a move's effects."""
    out: dict[str, Any] = {}
    if effects.get("unit") is not None:
        out["unit"] = effects["unit"].name
    for key in ("triage", "priority", "rating"):
        if key in effects:
            out[key] = effects[key]
    if "master" in effects:
        out["master"] = effects["master"].pk
    if effects.get("handle_due_at"):
        out["handle_due_at"] = effects["handle_due_at"].isoformat()
    out.update(data.get(supervising.RECORD, {}))
    return out
