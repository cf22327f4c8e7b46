"""The history writer of the workflow kit: one `Event` row per move of a booking or a
need."""

from linli.core.history import History
from linli.library.models import Booking, Event, Need

NOTIFY = "library.event_notify"
HISTORY = History(Event, {Booking: "booking", Need: "need"})
record = HISTORY.record
history = HISTORY.of


def timeline(obj, *, show_actor: bool) -> list[dict]:
    """A booking's or a need's history for its page: each move in words (the audit log's,
    `audit_words.py`), when, the note, and who (for staff)."""
    from linli.library.audit_words import ACTIONS

    prefix = HISTORY.subjects[type(obj)]
    rows = history(obj).select_related("actor").order_by("at", "pk")
    return [{"at": e.at, "action": e.action,
             "label": ACTIONS.get(f"{prefix}.{e.action}", e.action), "note": e.note,
             "actor": (e.actor.display_name or e.actor.username)
             if show_actor and e.actor is not None else ""} for e in rows]
