"""How Linli's case states and steps read in GeoReport's two statuses.

closed: closed (including closed with advice), rejected, merged. open: every other state,
on hold included (the matter is parked, not settled). `status_notes` says which Linli
state it is and, where staff gave one, the public reason.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.cases.models import Case, CaseEvent, State

OPEN, CLOSED = "open", "closed"
STATUSES = (OPEN, CLOSED)
CLOSED_STATES = (State.CLOSED, State.REJECTED, State.MERGED)

# Steps shown to the public, and what they are called. Other events (ratings, photos,
# extensions, supervision) are internal or personal and never leave Linli.
LABELS = {
    "report": gettext_lazy("Reported"),
    "accept": gettext_lazy("Accepted"),
    "reject": gettext_lazy("Not accepted"),
    "advise": gettext_lazy("Closed with advice"),
    "dispatch": gettext_lazy("Dispatched"),
    "acknowledge": gettext_lazy("Taken on by the handling unit"),
    "return": gettext_lazy("Returned to the community to choose another unit"),
    "resolve": gettext_lazy("Handled"),
    "verify": gettext_lazy("Checked on site"),
    "fail": gettext_lazy("Check failed; sent back for rework"),
    "close": gettext_lazy("Closed"),
    "reopen": gettext_lazy("Reopened"),
    "hold": gettext_lazy("On hold"),
    "unhold": gettext_lazy("Taken off hold"),
    "merge": gettext_lazy("Merged into another request"),
}
PUBLIC_ACTIONS = tuple(LABELS)
# Steps whose note is an official public statement (a reason, the advice, what was done).
# Other notes may be a resident's own words or an internal remark, so only the label shows.
NOTE_ACTIONS = ("reject", "advise", "resolve", "hold")


def status_of(state: str) -> str:
    return CLOSED if state in CLOSED_STATES else OPEN


def states_for(statuses: Iterable[str]) -> list[str]:
    wanted = set(statuses)
    return [s for s in State.values if status_of(s) in wanted]


def _with_detail(label: str, detail: str) -> str:
    # Chinese puts a full-width colon here, so the separator is the translator's.
    return _("%(step)s: %(detail)s") % {"step": label, "detail": detail}


def event_text(event: CaseEvent, master_public: bool = False) -> str:
    """One public step in words: its name, and the unit, master or public note it has."""
    label = str(LABELS.get(event.action, event.action))
    data = event.data or {}
    if event.action == "dispatch" and data.get("unit"):
        return _with_detail(label, str(data["unit"]))
    if event.action == "merge" and master_public and data.get("master"):
        return _("Merged into request %(id)s") % {"id": data["master"]}
    if event.action in NOTE_ACTIONS and event.note.strip():
        return _with_detail(label, event.note.strip())
    return label


def status_notes(case: Case, events: list[CaseEvent], master_public: bool) -> str:
    """The Linli state, with the reason when the step that led there gave a public one."""
    for event in reversed(events):
        if event.to_state != case.state:
            continue
        if event.action in (*NOTE_ACTIONS, "merge"):
            return event_text(event, master_public)
        break
    return str(State(case.state).label)
