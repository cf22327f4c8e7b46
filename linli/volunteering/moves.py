"""The mechanics every move shares: check it against its table, claim the row with a
conditional UPDATE on its state (of two people acting at once exactly one wins), and write
the append-only event in the same transaction. Used only by the services."""

from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.volunteering.models import Claim, Event, Task, Wish
from linli.volunteering.transitions import Move

MAX_NOTE = 500


def check_move(table: dict[str, Move], action: str, obj, note: str, permitted: bool) -> Move:
    move = table.get(action)
    if move is None:
        raise ValidationFailed(_("Unknown action."), code="unknown_action")
    if not permitted:
        raise PermissionDenied(_("You may not do this."))
    if obj.state not in move.sources:
        raise ValidationFailed(
            _("This is %(state)s; that action is not possible now.") % {
                "state": obj.get_state_display()}, code="transition_not_allowed")
    if move.needs_note and not note:
        raise ValidationFailed(_("Give a reason or a note for this step."),
                               code="note_required")
    if len(note) > MAX_NOTE:
        raise ValidationFailed(_("The note is at most 500 characters."), code="note_too_long")
    return move


def claim_row(obj: models.Model, move: Move, now: datetime, updates: dict[str, Any]) -> None:
    """Move the row only if it is still in the state the caller read."""
    target = move.target or obj.state  # type: ignore[attr-defined]
    values = {**updates, "state": target}
    if move.stamp:
        values[move.stamp] = now
    won = type(obj)._default_manager.filter(
        pk=obj.pk, state=obj.state).update(**values)  # type: ignore[attr-defined]
    if not won:
        raise Conflict(_("Someone else acted on this at the same moment. Reload to see what "
                         "changed."), code="conflict")


# Relations that never change once a row exists: a refresh keeps them cached.
FIXED = {"community", "area", "requester", "source_wish", "created_by", "task", "volunteer"}


def refresh(obj: models.Model) -> None:
    """Reload what a move may have changed, keeping the fixed relations loaded."""
    fields = [f.name for f in obj._meta.concrete_fields
              if f.name not in FIXED and not f.primary_key]
    obj.refresh_from_db(fields=fields)


def _subject(obj) -> dict[str, Any]:
    if isinstance(obj, Wish):
        return {"wish": obj, "community_id": obj.community_id}
    if isinstance(obj, Task):
        return {"task": obj, "community_id": obj.community_id}
    assert isinstance(obj, Claim)
    return {"claim": obj, "community_id": obj.task.community_id}


def record(*, obj, actor, action: str, from_state: str, to_state: str, at: datetime,
           note: str = "", data: dict | None = None) -> Event:
    event = Event.objects.create(
        **_subject(obj), at=at, action=action, from_state=from_state, to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:MAX_NOTE], data=data or {})
    notify_later(event)
    return event


def notify_later(event: Event) -> None:
    from linli.core.tasks import enqueue
    from linli.volunteering.tasks import event_notify

    enqueue(event_notify, event.pk)
