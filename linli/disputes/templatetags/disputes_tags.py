"""Template helpers of the dispute pages: grade reasons and events in words, the traffic
light, the home tiles, and the case page's link to make a dispute."""


from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from linli.accounts import scope
from linli.core.clocks import Light
from linli.core.tiles import Tile
from linli.disputes import permissions, selectors
from linli.disputes.forms import state_words
from linli.disputes.models import Dispute, Grade
from linli.disputes.selectors import DisputeFilters
from linli.disputes.transitions import CLOCKS, ENDED, OPEN
from linli.orgs.models import Area, AreaKind

register = template.Library()

_KINDS_SHOWN = {AreaKind.GRID, AreaKind.ESTATE, AreaKind.BUILDING, AreaKind.ENTRANCE,
                AreaKind.DWELLING}

# The history's entries, by the event's action (moves, and the acts around them).
EVENT_LABELS = {
    "register": gettext_lazy("Registered"),
    "accept": pgettext_lazy("dispute event", "Accepted"),
    "mediate": gettext_lazy("Mediation started"),
    "session": gettext_lazy("Mediation session recorded"),
    "agreement": gettext_lazy("Agreement recorded"),
    "agree": gettext_lazy("Agreed"),
    "withdraw": gettext_lazy("Withdrawn"),
    "fail": gettext_lazy("Mediation failed"),
    "refer": gettext_lazy("Referred"),
    "follow_up": gettext_lazy("Followed up"),
    "close": gettext_lazy("Closed"),
    "regrade": gettext_lazy("Grade changed"),
    "reassign": gettext_lazy("Reassigned"),
    "escalate": gettext_lazy("Escalated (overdue)"),
    "performance": gettext_lazy("Performance checked"),
    "judicial": gettext_lazy("Judicial confirmation applied for"),
}

# The buttons, by move.
ACTION_LABELS = {
    "accept": pgettext_lazy("dispute action", "Accept"),
    "mediate": gettext_lazy("Start mediation"),
    "agree": gettext_lazy("Agreement reached"),
    "withdraw": gettext_lazy("Withdrawn"),
    "fail": gettext_lazy("Mediation failed"),
    "refer": gettext_lazy("Refer"),
    "follow_up": gettext_lazy("Record the follow-up"),
    "close": gettext_lazy("Close"),
    "reassign": gettext_lazy("Reassign"),
}

# What the note field asks for, by move; a move not listed takes an optional note.
NOTE_LABELS = {
    "withdraw": gettext_lazy("Why it is withdrawn"),
    "fail": gettext_lazy("Why mediation failed"),
    "refer": gettext_lazy("Why it is referred"),
    "follow_up": gettext_lazy("What the follow-up visit found"),
    "reassign": gettext_lazy("Why it is reassigned"),
}


@register.filter
def place_name(area: Area) -> str:
    """The area below its community ("花楼小区 1栋"); the community itself when the place
    is the community or above."""
    names = [a.name for a in area.ancestors() if a.kind in _KINDS_SHOWN]
    return " ".join(names) or area.name


@register.filter
def grade_reason(code: str) -> str:
    """A grading rule's code ("people_at_least_5", "repeat_within_90" ...) in words."""
    condition, _sep, threshold = code.rpartition("_")
    if not threshold.isdigit():
        condition, threshold = code, ""
    words = {
        "people_at_least": _("%(n)s or more people involved"),
        "repeat_within": _("Again between the same parties within %(n)s days"),
        "violence": _("Threat of violence"),
        "petition": _("Risk of a group petition"),
        "vulnerable": _("A party is vulnerable (care tag)"),
    }.get(condition)
    return words % {"n": threshold} if words else code


@register.filter
def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def note_label(action: str) -> str:
    return str(NOTE_LABELS.get(action, ""))


@register.filter
def grade_label(grade: str) -> str:
    return str(Grade(grade).label) if grade in Grade.values else grade


@register.filter
def state_label(state: str) -> str:
    return state_words(state)


@register.filter
def light(dispute: Dispute) -> str | None:
    return CLOCKS.light(dispute, timezone.now())


@register.filter
def running_due(dispute: Dispute):
    return CLOCKS.running_due(dispute)


@register.filter
def light_label(colour: str) -> str:
    return Light.words(colour)


def _count(user, **filters) -> int:
    return selectors.dispute_list(actor=user, filters=DisputeFilters(**filters)).count()


@register.simple_tag
def dispute_home_tiles(user) -> list[Tile]:
    """The dispute counts on the home page, for dispute staff only."""
    if not scope.has_role(user, permissions.STAFF):
        return []
    url = reverse("disputes:list")
    # Mine: what the person owns and has not closed (open, or waiting for the follow-up).
    unclosed = sorted(OPEN | ENDED)
    mine = f"{url}?owner={user.pk}&" + "&".join(f"state={s}" for s in unclosed)
    return [
        Tile("mine", _("Mine, not closed"), mine, _count(user, owner_id=user.pk,
                                                        state=unclosed)),
        Tile("open", _("Open disputes"), f"{url}?open=1", _count(user, open=True)),
        Tile("red", _("Red, open"), f"{url}?open=1&grade=red",
             _count(user, open=True, grade=[Grade.RED])),
        Tile("yellow", _("Yellow, open"), f"{url}?open=1&grade=yellow",
             _count(user, open=True, grade=[Grade.YELLOW])),
        Tile("overdue", _("Overdue disputes"), f"{url}?overdue=1",
             _count(user, overdue=True)),
        Tile("followup", _("Waiting for the follow-up"), f"{url}?ended=1",
             _count(user, ended=True)),
        Tile("register", _("Register a dispute"), reverse("disputes:register")),
    ]


@register.simple_tag
def case_disputes(user, case) -> dict:
    """For the case page: the disputes made from this case that the person may see, and
    whether they may make one (dispute staff of the case's place)."""
    made = list(selectors.dispute_list(actor=user).filter(case_id=case.pk))
    return {"made": made, "may_make": permissions.may_register(user, case.area),
            "open": [d for d in made if d.state in OPEN]}
