"""The access part of the IoT API, under /api/iot (docs/iot.md): a door's counts, and the
welfare watches (list, set up, withdraw).

A door, resident or watch named in the request is loaded through a selector first, so one
out of the caller's scope is a 404 before any service runs; the service then decides
whether the caller's role allows the write (403).
"""

from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.iot import selectors_access as selectors
from linli.iot.schemas_access import DoorCountsOut, WatchIn, WatchOut, WithdrawIn
from linli.iot.services import access
from linli.people import selectors as people_selectors

router = Router(tags=["iot"])


@router.get("/doors/{device_id}/counts", response=DoorCountsOut)
def door_counts(request, device_id: Id):
    """Openings of a door access device: staff of its place and its owner unit."""
    device = selectors.door_get(actor=request.user, device_id=device_id)
    counts = selectors.door_counts(device, timezone.now())
    return {"device_id": device.pk, "name": device.name, "identifier": device.identifier,
            "hours": [{"hour": h, "count": n} for h, n in counts.hours],
            "days": [{"day": d, "count": n} for d, n in counts.days]}


@router.get("/watches", response=list[WatchOut])
@paginate(Pages, page_size=50)
def watch_list(request, withdrawn: bool = False):
    """The welfare watches of the residents in the caller's registry areas; with
    `withdrawn=true` the stopped ones."""
    return selectors.watch_list(actor=request.user, withdrawn=withdrawn)


@router.post("/watches", response={201: WatchOut})
def watch_create(request, payload: WatchIn):
    """Watch a care-plan resident's door, with their consent (dispatchers and grid workers
    of the resident's place)."""
    actor = request.user
    resident = people_selectors.resident_get(actor=actor, resident_id=payload.resident_id)
    device = selectors.door_get(actor=actor, device_id=payload.device_id)
    watch = access.watch_create(actor=actor, resident=resident, device=device,
                                quiet_hours=payload.quiet_hours,
                                consent_reference=payload.consent_reference)
    return Status(201, selectors.watch_get(actor=actor, watch_id=watch.pk))


@router.get("/watches/{watch_id}", response=WatchOut)
def watch_detail(request, watch_id: Id):
    return selectors.watch_get(actor=request.user, watch_id=watch_id)


@router.post("/watches/{watch_id}/withdraw", response=WatchOut)
def watch_withdraw(request, watch_id: Id, payload: WithdrawIn):
    """The consent is withdrawn: the watch stops at once."""
    watch = selectors.watch_get(actor=request.user, watch_id=watch_id)
    access.watch_withdraw(actor=request.user, watch=watch, reason=payload.reason)
    return selectors.watch_get(actor=request.user, watch_id=watch_id)
