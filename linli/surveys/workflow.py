"""Surveys declared on the workflow kit (core.workflow, ADR 0006)."""

from django.utils.translation import gettext_lazy as _

from linli.core.workflow import Refusals, Workflow
from linli.surveys import effects, permissions
from linli.surveys.events import NOTIFY, record
from linli.surveys.models import Survey
from linli.surveys.transitions import SURVEYS as SURVEY_TABLE
from linli.surveys.transitions import Who

SURVEYS = Workflow(
    model=Survey, table=SURVEY_TABLE,
    who={Who.ORGANISER: permissions.survey_organiser},
    record=record, notify_task=NOTIFY, audit_prefix="survey.",
    refusals=Refusals(denied=_("You may not do this with this survey.")),
    versioned=True, audit_path=lambda s: s.area_path,
    effects=effects.SURVEY_EFFECTS)
