"""The rectification deadline sweep (督办), as case deadlines are swept (core.supervision):
an issued order past its deadline becomes overdue by the system move "overdue", once per
deadline however many sweepers run (the claim is `Order.overdue_for`), audited, and its
notification (`notify.py`) tells the issuer, the grid's workers and the community's
dispatchers. A re-check that rejects the rectification forgets the claim, so a deadline
that has passed again is swept again."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from linli.core import supervision
from linli.core.audit import audit_record
from linli.core.clocks import Clock
from linli.core.workflow import system_move
from linli.inspections.models import Order
from linli.inspections.transitions import CLOCKS


def _overdue(row: dict[str, Any], clock: Clock, now: datetime) -> None:
    order = Order.objects.get(pk=row["pk"])
    data = {"due_at": row["due"].isoformat()}
    system_move(order, "overdue", now, data=data)
    audit_record(actor=None, action="inspection_order.overdue", obj=order,
                 changes={"state": [row["state"], "overdue"], **data},
                 area_path=order.area_path)


def supervise_overdue(now: datetime | None = None) -> int:
    """Mark every issued order newly past its deadline overdue; returns how many."""
    return supervision.supervise_overdue(Order, CLOCKS, _overdue, now=now or timezone.now())
