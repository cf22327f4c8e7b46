"""The workflow kit (ADR 0006): one way for every domain to move a row along a table.

An app declares a `Workflow` once: its move table, who may take each move, the effects
that compute what a move writes, the hooks that run after it, how it records an event in
its own append-only table, and the task that notifies people. `Workflow.transition` is
then the only code that moves such a row:

    check  the action exists, the actor may take it, the row is in a source state (and at
           the version the actor saw), the note is given and not too long
    effect the app's function returns the columns the move writes (or refuses)
    claim  one conditional UPDATE on (state[, version]): of two actors at once exactly
           one wins; the other gets a conflict and nothing of theirs is written
    event  the app's event writer appends the history row; its notification is queued
           after commit (by task name, so the app's tasks module is not imported here)
    after  the app's consequences (points paid, a place freed, a wish fulfilled)
    audit  one audit entry "<prefix><action>" with the state change

The API's `allowed_actions` and the pages' buttons come from `actions_for`, which asks
the same questions as the check, so nobody is offered a move that would be refused.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.tasks import enqueue

SYSTEM = "system"  # who takes a move that is a consequence of another, never asked for


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None  # None: the row stays in its state (a rating)
    who: str
    stamp: str | None = None  # the timestamp column the move sets to now
    needs_note: bool = False


def move(sources, target: str | None, who: str, stamp: str | None = None,
         needs_note: bool = False) -> Move:
    return Move(frozenset(sources), target, who, stamp, needs_note)


Table = Mapping[str, Move]
# effect(obj, actor, now, data) -> the columns the move writes; raises to refuse.
Effect = Callable[[Any, Any, datetime, dict], dict[str, Any]]
# after(obj, actor, now, data): consequences, run with the moved row reloaded.
After = Callable[[Any, Any, datetime, dict], None]


class EventWriter(Protocol):
    """Appends one row to the app's own event table and returns it."""

    def __call__(self, obj: Any, /, *, actor: Any, action: str, from_state: str, to_state: str,
                 at: datetime, note: str = "", data: dict | None = None,
                 is_public: bool = True) -> models.Model: ...


Words = Any  # a str, or a lazy translation rendered when the refusal is raised


@dataclass(frozen=True)
class Refusals:
    """The words each refusal is given in, so each app keeps the ones its people know."""

    denied: Words = _("You may not do this.")
    wrong_state: Words = _("This is %(state)s; that action is not possible now.")
    conflict: Words = _("Someone else acted on this at the same moment. Reload to see what "
                      "changed.")
    stale: Words = _("This changed since you opened it. Reload the page and check before "
                   "you act.")
    note_required: Words = _("Give a reason or a note for this step.")
    note_too_long: Words = _("The note is at most 2000 characters.")


_DECLARED: dict[type[models.Model], "Workflow"] = {}


def workflow_of(obj: models.Model) -> "Workflow":
    """The workflow declared for `obj`'s model: how one workflow's after hook moves a row of
    another (a task cancelled withdraws its claims) without importing its declaration."""
    return _DECLARED[type(obj)]


def system_move(obj, action: str, now: datetime, note: str = "",
                updates: dict | None = None, data: dict | None = None):
    """A consequence of another move, on whichever workflow `obj` belongs to."""
    return workflow_of(obj).system_move(obj, action, now, note, updates, data)


def _reload(obj: models.Model) -> None:
    obj.refresh_from_db()


def _no_data(action: str, updates: dict, data: dict) -> dict:
    return {}


@dataclass(frozen=True)
class Workflow:
    """One kind of row that moves along `table`. See the module docstring."""

    model: type[models.Model]
    table: Table
    # The role names of the table's `who` → may(actor, obj): role and scope only.
    who: Mapping[str, Callable[[Any, Any], bool]]
    record: EventWriter
    audit_prefix: str  # "case." → audit action "case.dispatch"
    notify_task: str = ""  # a registered task name that takes the event's id
    refusals: Refusals = Refusals()
    effects: Mapping[str, Effect] = field(default_factory=dict)
    after: Mapping[str, After] = field(default_factory=dict)
    # False for a move the table allows that the row's data rules out (a second rating):
    # such a move is not offered; its effect refuses it with the reason.
    applicable: Callable[[Any, str], bool] = lambda obj, action: True
    event_data: Callable[[str, dict, dict], dict] = _no_data
    internal: frozenset[str] = frozenset()  # actions whose events the public never sees
    note_limit: int = 2000
    versioned: bool = False  # claim on a `version` column too, and bump it
    touch: str = ""  # a column set to now on every move ("updated_at")
    audit_path: Callable[[Any], str] | None = None  # where the audit entry is filed
    refresh: Callable[[Any], None] = _reload
    register: bool = True  # the model's one workflow, found by `workflow_of`

    def __post_init__(self) -> None:
        if self.register:
            _DECLARED[self.model] = self

    # --- questions ---------------------------------------------------------------------

    def allowed(self, state: str) -> list[str]:
        """Actions the table allows from `state` to someone (system moves aside)."""
        return [action for action, m in self.table.items()
                if state in m.sources and m.who != SYSTEM]

    def may(self, actor, obj, action: str) -> bool:
        """Role and scope only; whether the state allows it is the table's business."""
        m = self.table.get(action)
        if m is None or m.who == SYSTEM:
            return False
        return self.who[m.who](actor, obj)

    def actions_for(self, actor, obj) -> list[str]:
        """What `actor` may do to `obj` now, in the table's order: buttons and the API's
        `allowed_actions`."""
        return [action for action in self.allowed(obj.state)
                if self.may(actor, obj, action) and self.applicable(obj, action)]

    def check(self, actor, obj, action: str, note: str,
              expected_version: int | None = None) -> Move:
        """The move if `actor` may take `action` on `obj` now; else a clear refusal."""
        m = self.table.get(action)
        if m is None:
            raise ValidationFailed(str(_("Unknown action.")), code="unknown_action")
        if not self.may(actor, obj, action):
            raise PermissionDenied(str(self.refusals.denied))
        if (self.versioned and expected_version is not None
                and expected_version != obj.version):
            raise Conflict(str(self.refusals.stale), code="stale")
        if obj.state not in m.sources:
            raise ValidationFailed(self.refusals.wrong_state % {
                "state": obj.get_state_display()}, code="transition_not_allowed")
        if m.needs_note and not note:
            raise ValidationFailed(str(self.refusals.note_required), code="note_required")
        if len(note) > self.note_limit:
            raise ValidationFailed(str(self.refusals.note_too_long), code="note_too_long")
        return m

    # --- writing -----------------------------------------------------------------------

    def claim(self, obj, m: Move, now: datetime, updates: dict[str, Any]) -> None:
        """The conditional UPDATE: only the first of two concurrent movers matches."""
        values = {**updates, "state": m.target or obj.state}
        match: dict[str, Any] = {"pk": obj.pk, "state": obj.state}
        if self.versioned:
            values["version"] = F("version") + 1
            match["version"] = obj.version
        if self.touch:
            values[self.touch] = now
        if m.stamp:
            values[m.stamp] = now
        if not self.model._default_manager.filter(**match).update(**values):
            raise Conflict(str(self.refusals.conflict), code="conflict")

    def write_event(self, obj, *, actor, action: str, from_state: str, to_state: str,
                    at: datetime, note: str = "", data: dict | None = None,
                    is_public: bool = True):
        """Append the event and queue its notification for after commit."""
        event = self.record(obj, actor=actor, action=action, from_state=from_state,
                            to_state=to_state, at=at, note=note, data=data,
                            is_public=is_public)
        if self.notify_task:
            enqueue(self.notify_task, event.pk)
        return event

    def transition(self, *, actor, obj, action: str, note: str = "",
                   expected_version: int | None = None, now: datetime | None = None,
                   data: dict | None = None):
        """Move `obj` by `action` (call inside a transaction). `data` carries the action's
        inputs to its effect and after hook. Returns the event; `obj` is reloaded."""
        now = now or timezone.now()
        note = (note or "").strip()
        data = {**(data or {}), "note": note}
        m = self.check(actor, obj, action, note, expected_version)
        effect = self.effects.get(action)
        updates = effect(obj, actor, now, data) if effect else {}
        from_state, to_state = obj.state, m.target or obj.state
        self.claim(obj, m, now, updates)
        details = self.event_data(action, updates, data)
        event = self.write_event(obj, actor=actor, action=action, from_state=from_state,
                                 to_state=to_state, at=now, note=note, data=details,
                                 is_public=action not in self.internal)
        after = self.after.get(action)
        if after is not None:
            self.refresh(obj)
            after(obj, actor, now, data)
        audit_record(actor=actor, action=f"{self.audit_prefix}{action}", obj=obj,
                     changes={"state": [from_state, to_state], **details},
                     area_path=self.audit_path(obj) if self.audit_path else "")
        self.refresh(obj)
        return event

    def system_move(self, obj, action: str, now: datetime, note: str = "",
                    updates: dict | None = None, data: dict | None = None):
        """A consequence of another move (a wish fulfilled when its task completes): no
        actor, no check of who, the same claim and event (`data`: the event's details,
        e.g. the level a dispute was escalated to)."""
        m = self.table[action]
        from_state = obj.state
        self.claim(obj, m, now, updates or {})
        return self.write_event(obj, actor=None, action=action, from_state=from_state,
                                to_state=m.target or from_state, at=now, note=note,
                                data=data)
