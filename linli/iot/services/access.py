"""Door access (门禁): events counted per entrance per hour, never a face, a card number or
any personal identifier; and the opt-in welfare watch of a care-plan resident whose door
has been quiet too long.

A watch is set up by a dispatcher or grid worker of the resident's place, with the
resident's consent recorded (its reference: 书面同意 2026-12-01), on a door at the resident's
dwelling or above it in the same building. Each opening of that door moves the watch's
timer (`due_at` = last activity + quiet hours); the sweep claims a watch whose timer ran
out once per quiet spell and raises a welfare check: the resident's care visit falls due
today (people.services.care_welfare_check_raise) and the plan's grid worker is told, with
the resident's masked details and the address. Withdrawn consent stops the watch at once.
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from linli.accounts import scope
from linli.core.audit import audit_record
from linli.core.crypto import mask_name
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.supervision import sweep_due
from linli.iot.models import AccessCount, Device, Kind, WelfareWatch
from linli.iot.permissions import RESPONDERS
from linli.notifications.rules import message, messages_send, moment
from linli.orgs.models import Area, AreaKind
from linli.people import selectors as people_selectors
from linli.people import services as people_services
from linli.people.models import CarePlan, Resident

log = logging.getLogger(__name__)

MIN_QUIET_HOURS, MAX_QUIET_HOURS = 1, 168
# A door counts for a dwelling when it is at the dwelling, its entrance or its building.
_DOOR_PLACES = (AreaKind.BUILDING, AreaKind.ENTRANCE, AreaKind.DWELLING)


def door_activity(*, device: Device, values: dict[str, Decimal], at: datetime) -> None:
    """A door's telemetry: `opens`, the number of access events since its last message.
    Counted in the hour's row, and every watch of the door starts its quiet time again."""
    opens = values.get("opens")
    if opens is None or opens <= 0:
        return
    hour = timezone.localtime(at).replace(minute=0, second=0, microsecond=0)
    count, _created = AccessCount.objects.get_or_create(device=device, hour=hour)
    AccessCount.objects.filter(pk=count.pk).update(count=F("count") + int(opens))
    _watches_touch(device, at)


def _watches_touch(device: Device, at: datetime) -> None:
    watches = WelfareWatch.objects.filter(device=device, withdrawn_at__isnull=True)
    for pk, hours, last in watches.values_list("pk", "quiet_hours", "last_activity_at"):
        if last is not None and last >= at:
            continue  # a late message: the door was seen more recently already
        WelfareWatch.objects.filter(pk=pk, withdrawn_at__isnull=True).update(
            last_activity_at=at, due_at=at + timedelta(hours=hours))


# --- who ---------------------------------------------------------------------------------

def dwelling_of(resident: Resident) -> Area:
    return resident.household.dwelling


def may_keep_watch(actor, place: Area) -> bool:
    """A dispatcher or grid worker of the resident's place sets up and stops a watch."""
    return scope.serves(actor, RESPONDERS, place)


# --- set up and withdraw ---------------------------------------------------------------------

def _refuse(message_text: str, code: str, field: str) -> ValidationFailed:
    return ValidationFailed(message_text, code=code,
                            details=[{"field": field, "message": message_text}])


def _check_resident(resident: Resident) -> None:
    if resident.moved_out is not None or resident.anonymised_at is not None:
        raise _refuse(_("This resident has moved out."), "moved_out", "resident")
    if not CarePlan.objects.filter(resident=resident).exists():
        raise _refuse(_("A welfare watch is for a resident with a care plan: make the "
                        "care plan first."), "no_plan", "resident")


def _check_door(device: Device, dwelling: Area) -> None:
    if device.kind != Kind.DOOR or device.retired_at is not None:
        raise _refuse(_("Choose a door access device in use."), "not_a_door", "device")
    if device.area.kind not in _DOOR_PLACES or not dwelling.is_within(device.area):
        raise _refuse(_("The door must be at the resident's dwelling, its entrance or its "
                        "building."), "wrong_door", "device")


def _quiet_hours(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (
            MIN_QUIET_HOURS <= value <= MAX_QUIET_HOURS):
        raise _refuse(_("The quiet time is 1 to 168 hours."), "bad_quiet_hours",
                      "quiet_hours")
    return value


def _consent(reference: str) -> str:
    reference = " ".join((reference or "").split())
    if not reference:
        raise _refuse(_("Record the resident's consent: how and when it was given (for "
                        "example 书面同意 2026-12-01)."), "consent_required",
                      "consent_reference")
    if len(reference) > 200:
        raise _refuse(_("The consent reference is at most 200 characters."), "too_long",
                      "consent_reference")
    return reference


def _audit(actor, watch: WelfareWatch, action: str, changes: dict) -> None:
    audit_record(actor=actor, action=action, obj=watch, area_path=watch.area_path,
                 object_label=f"#{watch.pk}", changes=changes)


@transaction.atomic
def watch_create(*, actor, resident: Resident, device: Device, quiet_hours: int,
                 consent_reference: str, now: datetime | None = None) -> WelfareWatch:
    """Watch the resident's door, with their consent: quiet for `quiet_hours`, the grid
    worker is asked to check on them."""
    dwelling = dwelling_of(resident)
    if not may_keep_watch(actor, dwelling):
        raise PermissionDenied(_("Only the dispatchers and grid workers of the resident's "
                                 "place set up a welfare watch."))
    _check_resident(resident)
    _check_door(device, dwelling)
    hours = _quiet_hours(quiet_hours)
    reference = _consent(consent_reference)
    now = now or timezone.now()
    if WelfareWatch.objects.filter(resident=resident, device=device,
                                   withdrawn_at__isnull=True).exists():
        raise Conflict(_("This resident's door is watched already."), code="duplicate")
    try:
        with transaction.atomic():
            # The quiet time runs from the consent: nothing is known of the door before.
            watch = WelfareWatch.objects.create(
                resident=resident, device=device, area_path=resident.area_path,
                quiet_hours=hours, consent_reference=reference, consent_by=actor,
                consent_at=now, due_at=now + timedelta(hours=hours))
    except IntegrityError:  # another request set it up a moment ago
        raise Conflict(_("This resident's door is watched already."),
                       code="duplicate") from None
    _audit(actor, watch, "welfare_watch.created",
           {"device": device.identifier, "quiet_hours": hours, "consent": reference})
    return watch


@transaction.atomic
def watch_withdraw(*, actor, watch: WelfareWatch, reason: str,
                   now: datetime | None = None) -> WelfareWatch:
    """The consent is withdrawn (or the watch is no longer wanted): it stops at once."""
    if not may_keep_watch(actor, dwelling_of(watch.resident)):
        raise PermissionDenied(_("Only the dispatchers and grid workers of the resident's "
                                 "place stop a welfare watch."))
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > 200:
        raise _refuse(_("Say why the watch stops (at most 200 characters)."),
                      "reason_required", "reason")
    now = now or timezone.now()
    stopped = WelfareWatch.objects.filter(pk=watch.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, due_at=None)
    if not stopped:
        raise Conflict(_("This watch was stopped already."), code="withdrawn")
    watch.refresh_from_db()
    _audit(actor, watch, "welfare_watch.withdrawn", {"reason": reason})
    return watch


# --- the sweep -------------------------------------------------------------------------------

def _place(resident: Resident) -> str:
    dwelling = dwelling_of(resident)
    return people_selectors.place_labels([dwelling])[dwelling.pk]


def _tell(watch: WelfareWatch, plan: CarePlan, due: datetime) -> None:
    resident = watch.resident
    params = {"who": mask_name(resident.name), "phone": resident.phone.masked or "—",
              "place": _place(resident), "door": watch.device.name,
              "since": moment(watch.last_activity_at or watch.consent_at),
              "hours": watch.quiet_hours}
    made = message("iot.welfare", [plan.grid_worker],
                   gettext_noop("Welfare check: %(who)s, %(place)s"),
                   gettext_noop("Nobody has opened %(door)s since %(since)s (%(hours)s hours "
                                "or more). Visit or call %(who)s (phone %(phone)s) at "
                                "%(place)s today: the care visit is due now."), params)
    messages_send([made], subject=watch, link=reverse("people:resident", args=[resident.pk]),
                  source_key=f"iot.welfare:{watch.pk}:{due.isoformat()}")


def _welfare_check(row: dict[str, Any], now: datetime) -> None:
    watch = (WelfareWatch.objects.select_related("resident__household__dwelling", "device")
             .get(pk=row["pk"]))
    plan = people_services.care_welfare_check_raise(resident=watch.resident,
                                                    source="welfare_watch", at=now)
    if plan is None:
        log.warning("welfare watch %s: the resident has no care plan now; nobody to tell",
                    watch.pk)
        return
    _tell(watch, CarePlan.objects.select_related("grid_worker").get(pk=plan.pk), row["due"])


def welfare_sweep(now: datetime) -> int:
    """Raise a welfare check for every watched resident whose door has been quiet past
    their watch's hours: once per quiet spell (the claim records the deadline in
    `checked_for`; the door's next opening sets a new one). Returns how many."""
    return sweep_due(WelfareWatch.objects.filter(withdrawn_at__isnull=True), due="due_at",
                     claimed="checked_for", hook=_welfare_check, now=now)
