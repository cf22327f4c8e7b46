"""Earning rules: how many points an action earns in a community, and the cap per person.

One rule per community and action; the desk (dispatchers, admins) creates and edits them,
and every change is in the audit log. A rule is switched off rather than deleted, so the
earnings it paid still name it.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linli.core.audit import audit_record, diff, snapshot
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind
from linli.points import permissions
from linli.points.models import CapPeriod, EarningAction, EarningRule
from linli.points.services import MAX_POSTING

FIELDS = ["points_per_unit", "cap", "cap_period", "is_active"]
MAX_PER_UNIT = 10_000


def _require(actor, community: Area) -> None:
    if not permissions.can_run_store(actor, community):
        raise PermissionDenied(_("Only the community's staff can change its earning rules."))


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "points_per_unit" in out and not (_whole(out["points_per_unit"])
                                         and 1 <= out["points_per_unit"] <= MAX_PER_UNIT):
        raise ValidationFailed(_("Points per unit is a whole number from 1 to %(n)d.")
                               % {"n": MAX_PER_UNIT}, code="bad_points")
    if out.get("cap") is not None and not (_whole(out["cap"])
                                           and 1 <= out["cap"] <= MAX_POSTING):
        raise ValidationFailed(_("The cap is a whole number of points, at least 1, or empty "
                                 "for no cap."), code="bad_cap")
    if "cap_period" in out and out["cap_period"] not in CapPeriod.values:
        raise ValidationFailed(_("The cap applies per month or per year."), code="bad_period")
    if "is_active" in out:
        out["is_active"] = bool(out["is_active"])
    return out


@transaction.atomic
def earning_rule_create(*, actor, community: Area, action: str, points_per_unit: int,
                        cap: int | None = None, cap_period: str = CapPeriod.MONTH,
                        is_active: bool = True) -> EarningRule:
    _require(actor, community)
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationFailed(_("Earning rules belong to a community."), code="bad_community")
    if action not in EarningAction.values:
        raise ValidationFailed(_("Unknown action."), code="bad_action")
    fields = _clean({"points_per_unit": points_per_unit, "cap": cap,
                     "cap_period": cap_period, "is_active": is_active})
    try:
        with transaction.atomic():
            rule = EarningRule.objects.create(community=community, action=action, **fields)
    except IntegrityError:
        raise Conflict(_("This community already has a rule for that action: edit it."),
                       code="duplicate_rule") from None
    audit_record(actor=actor, action="points.rule_created", obj=rule,
                 changes={"action": action, **{k: str(v) for k, v in fields.items()}},
                 area_path=community.path)
    return rule


@transaction.atomic
def earning_rule_update(*, actor, rule: EarningRule, **changes: Any) -> EarningRule:
    _require(actor, rule.community)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed here: %(names)s.")
                               % {"names": ", ".join(sorted(unknown))})
    rule = EarningRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, FIELDS)
    for name, value in _clean(changes).items():
        setattr(rule, name, value)
    rule.save(update_fields=FIELDS)
    audit_record(actor=actor, action="points.rule_updated", obj=rule,
                 changes=diff(rule, FIELDS, before), area_path=rule.community.path)
    return rule
