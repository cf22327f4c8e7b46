"""The case lists as spreadsheets (core.exports): the dispatcher's queue with its filters,
a unit's inbox, the grid worker's cases to verify and "my cases".

Each list is read exactly as its page reads it (the same form, selectors and clock), as the
person who asked, when the file is written. Filters naming an area or unit outside the
person's own are refused with a message, never quietly dropped.
"""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases import permissions, selectors
from linli.cases.forms import QUEUE_FILTERS, queue_filter_form
from linli.cases.models import Case, Channel, Priority, Rating, State
from linli.cases.selectors import MINE_SHOWS
from linli.cases.transitions import CLOCKS
from linli.core.clocks import Light
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.exports.registry import Column, Kind, Prepared, register
from linli.orgs.models import Area, AreaKind
from linli.orgs.paths import common_path

COLUMNS = (
    Column(pgettext_lazy("export column", "No."), Kind.NUMBER, 8),
    Column(pgettext_lazy("export column", "Title"), Kind.TEXT, 28),
    Column(pgettext_lazy("export column", "Category"), Kind.TEXT, 16),
    Column(pgettext_lazy("export column", "Area"), Kind.TEXT, 36),
    Column(pgettext_lazy("export column", "Address"), Kind.TEXT, 28),
    Column(pgettext_lazy("export column", "Reported at"), Kind.DATETIME, 17),
    Column(pgettext_lazy("export column", "Source"), Kind.TEXT, 12),
    Column(pgettext_lazy("export column", "Priority"), Kind.TEXT, 8),
    Column(pgettext_lazy("export column", "State"), Kind.TEXT, 10),
    Column(pgettext_lazy("export column", "Handling unit"), Kind.TEXT, 18),
    Column(pgettext_lazy("export column", "Deadline"), Kind.DATETIME, 17),
    Column(pgettext_lazy("export column", "Overdue"), Kind.TEXT, 9),
    Column(pgettext_lazy("export column", "Closed at"), Kind.DATETIME, 17),
    Column(pgettext_lazy("export column", "Satisfaction"), Kind.TEXT, 10),
)
_CHUNK = 500
# The place column names the case's area from its community down ("花楼社区 花楼第一网格
# 花楼小区 1栋"): above it, every row would repeat the same street and district.
_PLACE_KINDS = {AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.ESTATE, AreaKind.BUILDING,
                AreaKind.ENTRANCE, AreaKind.DWELLING}


# --- the cells -------------------------------------------------------------------------

def _choice(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def overdue(case: Case, now) -> bool | None:
    """Past its deadline, as the page's traffic light says (red); for a case whose clock has
    stopped, whether it was handled (or, closed with advice, answered) late; None when no
    deadline applies (rejected, merged, on hold)."""
    colour = CLOCKS.light(case, now)
    if colour is not None:
        return colour == Light.RED
    if case.state == State.CLOSED:
        return case.resolved_late if case.resolved_late is not None else case.closed_late
    return None


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return pgettext("export cell", "yes") if value else pgettext("export cell", "no")


def _places(paths: set[str]) -> dict[str, str]:
    ids = {int(i) for path in paths for i in path.strip("/").split("/") if i}
    names = {pk: name for pk, kind, name in Area.objects.filter(
        pk__in=ids, kind__in=_PLACE_KINDS).order_by().values_list("id", "kind", "name")}
    return {path: " ".join(names[int(i)] for i in path.strip("/").split("/")
                           if i and int(i) in names) for path in paths}


def row(case: Case, place: str, now) -> list[Any]:
    return [case.pk, case.title, case.category.name, place, case.address, case.reported_at,
            _choice(Channel, case.channel), _choice(Priority, case.priority),
            _choice(State, case.state), case.unit.name if case.unit else "",
            CLOCKS.running_due(case), _yes_no(overdue(case, now)), case.closed_at,
            _choice(Rating, case.rating) if case.rating else ""]


def rows(cases: Iterable[Case]) -> Iterator[list[Any]]:
    """The rows, a chunk of cases at a time (their places read in one query per chunk)."""
    now = timezone.now()
    it = iter(cases)
    while chunk := list(islice(it, _CHUNK)):
        places = _places({c.area.path for c in chunk})
        for case in chunk:
            yield row(case, places[case.area.path] or case.area.name, now)


# --- the lists -------------------------------------------------------------------------

def _queue(actor, parameters: dict[str, str]) -> QuerySet[Case]:
    if not permissions.is_case_staff(actor):
        raise PermissionDenied(_("Only community and street staff export the case queue."))
    form = queue_filter_form(actor, {k: v for k, v in parameters.items()
                                     if k in QUEUE_FILTERS})
    if not form.is_valid():
        if any(parameters.get(name, "").isdigit() for name in ("area", "unit")
               if name in form.errors):
            raise PermissionDenied(_("That area or unit is not one of yours: you can only "
                                     "export the cases of your own areas."),
                                   code="out_of_scope")
        fields = ", ".join(str(form.fields[name].label) for name in form.errors)
        raise ValidationFailed(_("These filters are not right: %(fields)s. Correct them on "
                                 "the list, then export again.") % {"fields": fields})
    return selectors.case_list(actor=actor, filters=form.filters())


def _unit(actor, parameters: dict[str, str]) -> QuerySet[Case]:
    mine = scope.unit_ids(actor)
    if not mine:
        raise PermissionDenied(_("Only members of a handling unit export its inbox."))
    wanted = parameters.get("unit", "")
    if wanted:
        if not wanted.isdigit() or int(wanted) not in mine:
            raise PermissionDenied(_("You do not work for that unit: you can only export "
                                     "your own unit's inbox."), code="out_of_scope")
        mine = {int(wanted)}
    return selectors.unit_todo(actor=actor, unit_ids=mine)


def _verify(actor, parameters: dict[str, str]) -> list[Case]:
    if not scope.has_role(actor, Role.GRID_WORKER):
        raise PermissionDenied(_("Only grid workers export the cases to verify."))
    return selectors.verify_cases(actor=actor)


def _mine(actor, parameters: dict[str, str]) -> QuerySet[Case]:
    show = parameters.get("show", "")
    if show and show not in MINE_SHOWS:
        raise ValidationFailed(_("Choose which of your cases to export."))
    return selectors.my_cases(actor=actor, show=show)


Reader = Callable[[Any, dict[str, str]], "QuerySet[Case] | list[Case]"]
LISTS: dict[str, tuple[Reader, Any]] = {
    "queue": (_queue, pgettext_lazy("export file", "case queue")),
    "unit": (_unit, pgettext_lazy("export file", "unit inbox")),
    "verify": (_verify, pgettext_lazy("export file", "cases to verify")),
    "mine": (_mine, pgettext_lazy("export file", "my cases")),
}


def prepare(actor, parameters: dict[str, str]) -> Prepared:
    which = parameters.get("list", "")
    if which not in LISTS:
        raise ValidationFailed(_("Choose which case list to export."))
    read, name = LISTS[which]
    cases: QuerySet[Case] | list[Case] = read(actor, parameters)

    def count() -> int:
        return cases.count() if isinstance(cases, QuerySet) else len(cases)

    def all_rows() -> Iterator[list[Any]]:
        # A queryset is read afresh, streamed; the verify list was read by `read` above.
        if isinstance(cases, QuerySet):
            return rows(cases.all().iterator(chunk_size=_CHUNK))
        return rows(cases)

    return Prepared(columns=COLUMNS, count=count, rows=all_rows, filename=str(name),
                    area_path=common_path(scope.area_paths(actor)),
                    summary={k: v for k, v in parameters.items() if v})


register("cases", prepare)
