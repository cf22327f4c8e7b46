"""The moves nobody takes by hand, for cases a device raised (channel IoT, linli.iot):
straight to the device's owner unit, and a repeat alarm recorded on the open case."""

from datetime import datetime

from django.db import transaction

from linli.cases.handover import handover
from linli.cases.models import OPEN_STATES, Case, State
from linli.cases.workflow import CASES
from linli.core.audit import audit_record
from linli.core.errors import ValidationFailed
from linli.orgs.models import Unit


@transaction.atomic(savepoint=False)  # a part of the caller's transaction
def case_route_to_unit(*, case: Case, unit: Unit, now: datetime) -> bool:
    """Accept and dispatch a just-reported case to `unit` at once (the device's owner unit).
    False, and the case waits for a dispatcher as any report does, when the unit is not
    active or does not serve the place (handover refuses it)."""
    if case.state != State.REPORTED:
        return False
    try:
        updates = handover(case, unit, None, now)
    except ValidationFailed:
        return False
    updates["accepted_at"] = now
    CASES.system_move(case, "route", now, updates=updates, data={
        "unit": unit.name, "handle_due_at": updates["handle_due_at"].isoformat()})
    audit_record(actor=None, action="case.route", obj=case, area_path=case.area_path,
                 changes={"state": [State.REPORTED, State.DISPATCHED], "unit": unit.name})
    case.refresh_from_db()
    return True


@transaction.atomic(savepoint=False)  # a part of the caller's transaction
def case_device_alarm(*, case: Case, note: str, now: datetime, data: dict | None = None
                      ) -> bool:
    """Record on `case` that its device alarmed again; False when the case is no longer
    open (the caller opens a new one)."""
    case.refresh_from_db(fields=["state", "version"])
    if case.state not in OPEN_STATES:
        return False
    CASES.system_move(case, "device_alarm", now, note=note[:2000], data=data or {})
    return True
