"""The party app's rows declared on the workflow kit (core.workflow, ADR 0006): the tables
of `transitions.py`, who may take each move (`permissions`), what each move writes
(`effects`) and where the history goes (`events`)."""

from django.utils.translation import gettext_lazy as _

from linli.core.workflow import Refusals, Workflow
from linli.party import effects, permissions
from linli.party.events import NOTIFY, record
from linli.party.models import (
    Agreement,
    DualRegistration,
    JointMeeting,
    PropertySupervision,
    Resolution,
)
from linli.party.transitions import AGREEMENTS as AGREEMENT_TABLE
from linli.party.transitions import MEETINGS as MEETING_TABLE
from linli.party.transitions import REGISTRATIONS as REGISTRATION_TABLE
from linli.party.transitions import RESOLUTIONS as RESOLUTION_TABLE
from linli.party.transitions import SUPERVISIONS as SUPERVISION_TABLE
from linli.party.transitions import Who


def _path(row) -> str:
    return row.area_path


REGISTRATIONS = Workflow(
    model=DualRegistration, table=REGISTRATION_TABLE,
    who={Who.STAFF: permissions.registration_staff,
         Who.MEMBER: permissions.registration_member},
    record=record, notify_task=NOTIFY, audit_prefix="registration.",
    refusals=Refusals(denied=_("You may not do this with this registration.")),
    versioned=True, audit_path=_path, after=effects.REGISTRATION_AFTER,
    internal=frozenset(REGISTRATION_TABLE))

RESOLUTIONS = Workflow(
    model=Resolution, table=RESOLUTION_TABLE,
    who={Who.STAFF: permissions.resolution_staff, Who.UNIT: permissions.resolution_unit},
    record=record, notify_task=NOTIFY, audit_prefix="resolution.",
    refusals=Refusals(denied=_("You may not do this with this resolution.")),
    versioned=True, audit_path=_path, effects=effects.RESOLUTION_EFFECTS)

MEETINGS = Workflow(
    model=JointMeeting, table=MEETING_TABLE,
    who={Who.STAFF: permissions.meeting_staff},
    record=record, notify_task=NOTIFY, audit_prefix="meeting.",
    refusals=Refusals(denied=_("You may not do this with this meeting.")),
    versioned=True, audit_path=_path, effects=effects.MEETING_EFFECTS)

SUPERVISIONS = Workflow(
    model=PropertySupervision, table=SUPERVISION_TABLE,
    who={Who.FOLLOWER: permissions.supervision_follower},
    record=record, notify_task=NOTIFY, audit_prefix="supervision.",
    refusals=Refusals(denied=_("You may not do this with this supervision item.")),
    versioned=True, audit_path=_path)

AGREEMENTS = Workflow(
    model=Agreement, table=AGREEMENT_TABLE,
    who={Who.STAFF: permissions.agreement_staff},
    record=record, notify_task=NOTIFY, audit_prefix="agreement.",
    refusals=Refusals(denied=_("You may not do this with this agreement.")),
    versioned=True, audit_path=_path)
