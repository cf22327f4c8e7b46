"""Activities, notices and honour entries declared on the workflow kit (core.workflow,
ADR 0006): the tables of `transitions.py`, who may take each move (`permissions`), what
each move writes (`effects`) and where the history goes (`events`)."""

from django.utils.translation import gettext_lazy as _

from linli.community import effects, permissions
from linli.community.events import NOTIFY, record
from linli.community.models import Activity, HonourEntry, Notice
from linli.community.transitions import ACTIVITIES as ACTIVITY_TABLE
from linli.community.transitions import ENTRIES as ENTRY_TABLE
from linli.community.transitions import NOTICES as NOTICE_TABLE
from linli.community.transitions import Who
from linli.core.workflow import Refusals, Workflow

ACTIVITIES = Workflow(
    model=Activity, table=ACTIVITY_TABLE,
    who={Who.ORGANISER: permissions.activity_organiser},
    record=record, notify_task=NOTIFY, audit_prefix="activity.",
    refusals=Refusals(denied=_("You may not do this with this activity.")),
    versioned=True, audit_path=lambda a: a.area_path,
    effects=effects.ACTIVITY_EFFECTS, after=effects.ACTIVITY_AFTER)

NOTICES = Workflow(
    model=Notice, table=NOTICE_TABLE,
    who={Who.AUTHOR: permissions.notice_author},
    record=record, notify_task=NOTIFY, audit_prefix="notice.",
    refusals=Refusals(denied=_("You may not do this with this notice.")),
    versioned=True, audit_path=lambda n: n.area_path,
    effects=effects.NOTICE_EFFECTS, after=effects.NOTICE_AFTER)

ENTRIES = Workflow(
    model=HonourEntry, table=ENTRY_TABLE,
    who={Who.MODERATOR: permissions.entry_moderator},
    record=record, notify_task=NOTIFY, audit_prefix="honour.",
    refusals=Refusals(denied=_("You may not do this with this entry.")),
    versioned=True, audit_path=lambda e: e.area_path,
    effects=effects.ENTRY_EFFECTS)
