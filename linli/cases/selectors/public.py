"""What anyone outside the case's work may read of a public case: the steps of its timeline
and how each reads, and its place no finer than the building.

One rule for every public face of a case (the Open311 interface, the public case pages):
which steps are public and what they say, and how a home is hidden. Which cases are public
at all is `public_q`. Other apps read this module, never a copy of it.
"""

from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.cases.models import Case, CaseEvent, State
from linli.orgs.models import Area, AreaKind

# Steps shown to the public, and what they are called. Other events (ratings, photos,
# extensions, supervision) are internal or personal and never leave Linli; internal steps
# (transitions.INTERNAL_ACTIONS) are written with is_public=False and filtered out too.
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
    # The reporter's own words: the label is public, the note is not (see NOTE_ACTIONS).
    "remark": gettext_lazy("Update from the reporter"),
}
PUBLIC_ACTIONS = tuple(LABELS)
# Steps whose note is an official public statement (a reason, the advice, what was done).
# Other notes may be a resident's own words or an internal remark, so only the label shows.
NOTE_ACTIONS = ("reject", "advise", "resolve", "hold")

# Someone's home: never shown, located or named publicly.
PRIVATE_KINDS = (AreaKind.ENTRANCE, AreaKind.DWELLING)
ADDRESS_KINDS = (AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.ESTATE, AreaKind.BUILDING)


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


def public_chain(chain: list[Area]) -> list[Area]:
    """The areas of a place's chain (top down) that may be shown: down to the building."""
    return [a for a in chain if a.kind not in PRIVATE_KINDS]


def public_point(area: Area, chain: list[Area], lat: Decimal | None, lng: Decimal | None
                 ) -> tuple[Decimal | None, Decimal | None]:
    """Where a case may be drawn: its own pin, unless it lies in someone's home or has none;
    then the centre of the nearest public area above it (None if no area has one)."""
    if area.kind not in PRIVATE_KINDS and lat is not None and lng is not None:
        return lat, lng
    located = next((a for a in reversed(public_chain(chain)) if a.lat is not None), None)
    return (located.lat, located.lng) if located else (None, None)


def public_q() -> Q:
    """Cases anyone may read about (Open311, the public case pages): the case is public and
    so is its category. Where they may read it (which community publishes) is the caller's."""
    return Q(is_public=True, category__is_public=True)


def public_events() -> QuerySet[CaseEvent]:
    """The steps of a public case's timeline that the public reads (above)."""
    return CaseEvent.objects.filter(is_public=True, action__in=PUBLIC_ACTIONS)


def merged_into_public(case: Case) -> bool:
    """A merged case whose master the public may read too, so the step may name it."""
    master = case.master
    return (case.state == State.MERGED and master is not None and master.is_public
            and master.category.is_public and master.community_id == case.community_id)
