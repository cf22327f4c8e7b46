"""Topics and votes declared on the workflow kit (core.workflow, ADR 0006): the tables of
`transitions.py`, who may take each move (`permissions`), what each move writes
(`effects`) and where the history goes (`events`)."""

from django.utils.translation import gettext_lazy as _

from linli.core.workflow import Refusals, Workflow
from linli.deliberation import effects, permissions
from linli.deliberation.events import NOTIFY_TOPIC, NOTIFY_VOTE, topic_event, vote_event
from linli.deliberation.models import Topic, Vote
from linli.deliberation.transitions import TOPICS as TOPIC_TABLE
from linli.deliberation.transitions import VOTES as VOTE_TABLE
from linli.deliberation.transitions import Who

TOPICS = Workflow(
    model=Topic, table=TOPIC_TABLE,
    who={Who.STAFF: permissions.topic_staff, Who.CASE_DESK: permissions.topic_case_desk},
    record=topic_event, notify_task=NOTIFY_TOPIC, audit_prefix="topic.",
    refusals=Refusals(denied=_("You may not do this with this topic.")),
    versioned=True, audit_path=lambda t: t.area_path,
    effects=effects.TOPIC_EFFECTS, event_data=effects.topic_event_data)

VOTES = Workflow(
    model=Vote, table=VOTE_TABLE,
    who={Who.ORGANISER: permissions.vote_organiser},
    record=vote_event, notify_task=NOTIFY_VOTE, audit_prefix="vote.",
    refusals=Refusals(denied=_("You may not do this with this vote.")),
    versioned=True, audit_path=lambda v: v.area_path,
    effects=effects.VOTE_EFFECTS, after=effects.VOTE_AFTER)
