"""What each dispute move writes, or why it is refused (the kit's `effects`), and what
follows it (`after`): declared on `workflow.DISPUTES`.

- accept: the owner by grade (green: the registering grid worker, else the acting
  coordinator; yellow and red: a named mediator or dispatcher) and the mediation clock
  from the type's limit (KindLimit; 30 working days when the type has none); red: the
  joint handling units (三所联动).
- agree (only with the agreement), withdraw, fail, refer: whether it was resolved, and the
  follow-up clock (回访). refer writes the referral.
- follow_up: the note, and the follow-up clock stops. close: only after the follow-up.
- reassign: a new owner who may handle the dispute's grade. regrade: a new grade, with the
  joint units when it turns red while open.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.clocks import LimitUnit, due_and_warn
from linli.core.errors import ValidationFailed
from linli.disputes import permissions
from linli.disputes.models import (
    Agreement,
    Dispute,
    Grade,
    KindLimit,
    Referral,
    ReferralTo,
)
from linli.disputes.shipped import MEDIATION_LIMIT
from linli.disputes.transitions import OPEN
from linli.orgs.models import UnitKind
from linli.orgs.selectors import units_serving

Effects = dict[str, Any]

DEFAULT_MEDIATION_LIMIT = MEDIATION_LIMIT
JOINT_UNIT_KINDS = (UnitKind.POLICE, UnitKind.JUDICIAL)
# A supervisor who took over an overdue dispute gives the handlers this much more time
# before the next level hears of it (督办时限).
ESCALATION_DAYS = 5
MAX_ESCALATION = 2  # 1: the community leader, 2: the street


def followup_days() -> int:
    return settings.DISPUTE_FOLLOWUP_DAYS


# --- clocks ------------------------------------------------------------------------------

def mediation_clock(dispute: Dispute, now: datetime) -> Effects:
    """The mediation deadline from the type's limit, on the working calendar."""
    limit = KindLimit.objects.filter(kind=dispute.kind).first()
    amount, unit = (limit.amount, limit.unit) if limit else DEFAULT_MEDIATION_LIMIT
    due, warn = due_and_warn(now, amount, unit)
    return {"mediate_due_at": due, "mediate_warn_at": warn, "mediate_supervised_for": None}


def escalation_clock(now: datetime) -> Effects:
    """The next level's deadline after an escalation: a few working days more."""
    due, warn = due_and_warn(now, Decimal(ESCALATION_DAYS), LimitUnit.WORK_DAYS)
    return {"mediate_due_at": due, "mediate_warn_at": warn}


def followup_clock(now: datetime) -> Effects:
    """The follow-up visit (回访) is due a number of calendar days after the outcome: the
    issue sets it in days, not working days, and a visit is a date agreed with the
    parties, who are as easy to visit in a holiday week as in any other. Warned at 80 %."""
    hours = Decimal(followup_days() * 24)
    due, warn = due_and_warn(now, hours, LimitUnit.CLOCK_HOURS)
    return {"followup_due_at": due, "followup_warn_at": warn, "followup_supervised_for": None}


# --- owners and joint units --------------------------------------------------------------

def owner_problem(dispute: Dispute, owner) -> str | None:
    """Why `owner` may not own `dispute`, or None."""
    if owner is None or not owner.is_active:
        return _("Choose an active member of staff as the owner.")
    if not scope.has_role(owner, permissions.STAFF, dispute.area):
        return _("The owner must work at the dispute's place.")
    if dispute.grade != Grade.GREEN and not scope.has_role(
            owner, permissions.GRADED_HANDLERS, dispute.area):
        return _("A yellow or red dispute is owned by a mediator or dispatcher of the "
                 "community mediation studio.")
    return None


def owner_checked(dispute: Dispute, owner_id: int | None):
    owner = get_user_model().objects.filter(pk=owner_id).first() if owner_id else None
    problem = owner_problem(dispute, owner)
    if problem:
        raise ValidationFailed(problem, code="bad_owner")
    return owner


def default_owner(dispute: Dispute, actor):
    """Green: the grid worker who registered it mediates on site (else the coordinator who
    accepts); yellow and red: the accepting mediator, or nobody (the actor must name one)."""
    if dispute.grade == Grade.GREEN:
        if scope.has_role(dispute.registered_by, Role.GRID_WORKER, dispute.area):
            return dispute.registered_by
        return actor
    if scope.has_role(actor, Role.MEDIATOR, dispute.area):
        return actor
    raise ValidationFailed(_("Name the mediator or dispatcher who will own this yellow or "
                             "red dispute."), code="owner_required")


def joint_units_set(dispute: Dispute) -> None:
    """三所联动: the active police stations and judicial offices serving the place."""
    dispute.joint_units.set(units_serving(dispute.area).filter(kind__in=JOINT_UNIT_KINDS))


# --- effects -----------------------------------------------------------------------------

def _accept(dispute: Dispute, actor, now: datetime, data: dict) -> Effects:
    owner_id = data.get("owner_id")
    owner = owner_checked(dispute, owner_id) if owner_id else default_owner(dispute, actor)
    return {"owner_id": owner.pk, **mediation_clock(dispute, now)}


def _ending(resolved: bool):
    def effect(dispute: Dispute, actor, now: datetime, data: dict) -> Effects:
        return {"resolved": resolved, **followup_clock(now)}
    return effect


def _agree(dispute: Dispute, actor, now: datetime, data: dict) -> Effects:
    if not Agreement.objects.filter(dispute=dispute).exists():
        raise ValidationFailed(_("Record the mediation agreement before marking the "
                                 "dispute agreed."), code="agreement_required")
    return _ending(True)(dispute, actor, now, data)


def _refer(dispute: Dispute, actor, now: datetime, data: dict) -> Effects:
    if data.get("referral_to") not in ReferralTo.values:
        raise ValidationFailed(_("Choose where the dispute is referred: a court, "
                                 "arbitration or a competent department."),
                               code="bad_referral_to")
    name = " ".join((data.get("referral_name") or "").split())
    if not name:
        raise ValidationFailed(_("Name the body the dispute is referred to."),
                               code="referral_name_required")
    if len(name) > 100:
        raise ValidationFailed(_("The name of the body is at most 100 characters."),
                               code="referral_name_too_long")
    data["referral_name"] = name
    return _ending(False)(dispute, actor, now, data)


def _follow_up(dispute: Dispute, actor, now: datetime, data: dict) -> Effects:
    if dispute.followed_up_at is not None:
        raise ValidationFailed(_("The follow-up is already recorded."),
                               code="followed_up_already")
    # The follow-up clock stops: the sweep forgets the dispute (the page shows when).
    return {"followup_note": data["note"], "followup_due_at": None, "followup_warn_at": None}


def _close(dispute: Dispute, actor, now: datetime, data: dict) -> Effects:
    if dispute.followed_up_at is None:
        raise ValidationFailed(_("Visit the parties and record the follow-up before closing "
                                 "the dispute."), code="followup_required")
    return {}


def _reassign(dispute: Dispute, actor, now: datetime, data: dict) -> Effects:
    if not data.get("owner_id"):
        raise ValidationFailed(_("Choose the new owner."), code="owner_required")
    owner = owner_checked(dispute, data["owner_id"])
    if owner.pk == dispute.owner_id:
        raise ValidationFailed(_("This person already owns the dispute."), code="same_owner")
    data["from_owner"] = dispute.owner_id
    return {"owner_id": owner.pk}


def _regrade(dispute: Dispute, actor, now: datetime, data: dict) -> Effects:
    grade = data.get("grade")
    if grade not in Grade.values:
        raise ValidationFailed(_("Choose green, yellow or red."), code="bad_grade")
    if grade == dispute.grade:
        raise ValidationFailed(_("The dispute already has this grade."), code="same_grade")
    data["from"] = dispute.grade
    return {"grade": grade, "grade_overridden": True}


EFFECTS = {
    "accept": _accept, "agree": _agree, "withdraw": _ending(False), "fail": _ending(False),
    "refer": _refer, "follow_up": _follow_up, "close": _close, "reassign": _reassign,
    "regrade": _regrade,
}


# --- after -------------------------------------------------------------------------------

def _after_accept(dispute: Dispute, actor, now: datetime, data: dict) -> None:
    if dispute.grade == Grade.RED:
        joint_units_set(dispute)


def _after_refer(dispute: Dispute, actor, now: datetime, data: dict) -> None:
    Referral.objects.create(dispute=dispute, to=data["referral_to"],
                            to_name=data["referral_name"], note=data["note"],
                            referred_by=actor, referred_at=now)


def _after_regrade(dispute: Dispute, actor, now: datetime, data: dict) -> None:
    if dispute.grade == Grade.RED and dispute.state in OPEN:
        joint_units_set(dispute)


AFTER = {"accept": _after_accept, "refer": _after_refer, "regrade": _after_regrade}


# --- what the event and the audit entry keep (ids and dates, never a party's data) --------

def _iso(value) -> str | None:
    return value.isoformat() if value else None


def event_data(action: str, updates: Effects, data: dict) -> dict:
    if action == "accept":
        return {"owner": updates["owner_id"], "due_at": _iso(updates["mediate_due_at"])}
    if action == "reassign":
        return {"owner": updates["owner_id"], "from_owner": data.get("from_owner")}
    if action == "regrade":
        return {"from": data["from"], "to": updates["grade"]}
    if action == "refer":
        return {"to": data["referral_to"], "to_name": data["referral_name"],
                "resolved": False, "followup_due_at": _iso(updates["followup_due_at"])}
    if "resolved" in updates:
        return {"resolved": updates["resolved"],
                "followup_due_at": _iso(updates["followup_due_at"])}
    return {}


def applicable(dispute: Dispute, action: str) -> bool:
    """Moves the table allows that the dispute's data rules out are not offered."""
    if action == "close":
        return dispute.followed_up_at is not None
    if action == "follow_up":
        return dispute.followed_up_at is None
    if action == "agree":
        return Agreement.objects.filter(dispute=dispute).exists()
    return True


def after_escalation(level: int) -> int:
    return min(level + 1, MAX_ESCALATION)

