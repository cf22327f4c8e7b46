"""Supervision by hand counted per unit (督办统计): how often the cases a unit held were
urged, given a notice, answered late, reassigned away or escalated, in a period, among the
cases the actor supervises. Counted from the timeline: each supervision event records the
unit that held the case then (`supervising._record`)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.utils import timezone

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases.models import Case, CaseEvent
from linli.cases.selectors import queue_units
from linli.orgs.models import Unit

SUPERVISOR_ROLES = [Role.DISPATCHER, Role.LEADER]
COLUMNS = ("urge", "notice", "late", "reassign", "escalate")


def may_supervise(actor) -> bool:
    return bool(getattr(actor, "is_superuser", False)
                or scope.has_role(actor, SUPERVISOR_ROLES))


@dataclass
class UnitCounts:
    unit: Unit
    urge: int = 0
    notice: int = 0
    late: int = 0      # notices answered after their answer time
    reassign: int = 0  # cases taken from this unit and given to another
    escalate: int = 0

    @property
    def total(self) -> int:
        return self.urge + self.notice + self.reassign + self.escalate


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _supervised_cases(actor):
    if actor.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(scope.scope_q(actor, roles=SUPERVISOR_ROLES,
                                             path_field="area_path"))


def supervision_counts(*, actor, since: date, until: date) -> list[UnitCounts]:
    """One row per unit serving the actor's areas or supervised in them, busiest first."""
    if not may_supervise(actor):
        return []
    events = CaseEvent.objects.filter(
        case__in=_supervised_cases(actor).values("pk"), at__gte=_start(since),
        at__lt=_start(until + timedelta(days=1)))
    counted = (events.filter(Q(action__in=["urge", "notice", "reassign", "escalate"])
                             | Q(action="answer_notice", data__late=True))
               .annotate(unit=KT("data__unit_id")).values("action", "unit")
               .annotate(n=Count("id")))
    column = {"urge": "urge", "notice": "notice", "answer_notice": "late",
              "reassign": "reassign", "escalate": "escalate"}
    found: dict[int, dict[str, int]] = {}
    for row in counted:
        if row["unit"] in (None, "", "null"):
            continue  # supervised before any unit held the case (acceptance overdue)
        found.setdefault(int(row["unit"]), {})[column[row["action"]]] = row["n"]
    ids = set(found) | set(queue_units(actor=actor).values_list("pk", flat=True))
    rows = [UnitCounts(unit, **found.get(unit.pk, {}))
            for unit in Unit.objects.filter(pk__in=ids).order_by("name")]
    return sorted(rows, key=lambda r: -r.total)
