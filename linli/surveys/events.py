"""The history writer of the workflow kit: one `Event` row per move of a survey."""

from linli.core.history import History
from linli.surveys.models import Event, Survey

NOTIFY = "surveys.event_notify"
HISTORY = History(Event, {Survey: "survey"})
record = HISTORY.record
history = HISTORY.of
