"""Bookings and needs declared on the workflow kit (core.workflow, ADR 0006): the tables of
`transitions.py`, who may take each move (`permissions`), what each move writes
(`effects`) and where the history goes (`events`)."""

from django.utils.translation import gettext_lazy as _

from linli.core.workflow import Refusals, Workflow
from linli.library import effects, permissions
from linli.library.events import NOTIFY, record
from linli.library.models import Booking, Need
from linli.library.transitions import BOOKINGS as BOOKING_TABLE
from linli.library.transitions import NEEDS as NEED_TABLE
from linli.library.transitions import Who

BOOKINGS = Workflow(
    model=Booking, table=BOOKING_TABLE,
    who={Who.PROVIDER: permissions.booking_provider, Who.BOOKER: permissions.booking_booker},
    record=record, notify_task=NOTIFY, audit_prefix="booking.",
    refusals=Refusals(denied=_("You may not do this with this booking.")),
    versioned=True, audit_path=lambda b: b.area_path,
    effects=effects.BOOKING_EFFECTS, after=effects.BOOKING_AFTER,
    applicable=effects.booking_applicable)

NEEDS = Workflow(
    model=Need, table=NEED_TABLE,
    who={Who.STAFF: permissions.need_staff},
    record=record, notify_task=NOTIFY, audit_prefix="need.",
    refusals=Refusals(denied=_("You may not do this with this need.")),
    versioned=True, audit_path=lambda n: n.area_path,
    effects=effects.NEED_EFFECTS, after=effects.NEED_AFTER,
    event_data=effects.need_event_data)
