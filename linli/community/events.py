"""The history writer of the workflow kit: one `Event` row per move of an activity, a notice
or an honour entry."""

from linli.community.models import Activity, Event, HonourEntry, Notice
from linli.core.history import History

NOTIFY = "community.event_notify"
SUBJECTS = {Activity: "activity", Notice: "notice", HonourEntry: "entry"}
HISTORY = History(Event, SUBJECTS)
record = HISTORY.record
history = HISTORY.of
