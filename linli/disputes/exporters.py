"""The dispute list as a spreadsheet (core.exports), read with the list page's own filter
form, as the person who asked, when the file is written.

No party appears in the file at all, masked or not, nor the summary (free text that may
name them): the register of disputes is counted and followed from it, and a party's
identity is only ever shown on the dispute page through an audited reveal.
"""

from collections.abc import Iterator
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from linli.accounts import scope
from linli.core.clocks import Light
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.exports.registry import Column, Kind, Prepared, register
from linli.disputes import permissions, selectors
from linli.disputes.forms import FILTERS, FilterForm, state_words
from linli.disputes.models import Dispute
from linli.disputes.transitions import CLOCKS
from linli.orgs.models import AreaKind
from linli.orgs.paths import common_path

COLUMNS = (
    Column(pgettext_lazy("export column", "No."), Kind.TEXT, 16),
    Column(pgettext_lazy("export column", "Type"), Kind.TEXT, 10),
    Column(pgettext_lazy("export column", "Grade"), Kind.TEXT, 8),
    Column(pgettext_lazy("export column", "State"), Kind.TEXT, 10),
    Column(pgettext_lazy("export column", "Area"), Kind.TEXT, 30),
    Column(pgettext_lazy("export column", "Source"), Kind.TEXT, 12),
    Column(pgettext_lazy("export column", "People involved"), Kind.NUMBER, 8),
    Column(pgettext_lazy("export column", "Owner"), Kind.TEXT, 12),
    Column(pgettext_lazy("export column", "Registered at"), Kind.DATETIME, 17),
    Column(pgettext_lazy("export column", "Deadline"), Kind.DATETIME, 17),
    Column(pgettext_lazy("export column", "Overdue"), Kind.TEXT, 8),
    Column(pgettext_lazy("export column", "Closed at"), Kind.DATETIME, 17),
    Column(pgettext_lazy("export column", "Resolved"), Kind.TEXT, 8),
)
# Filters that repeat on the page (?state=a&state=b) travel joined by commas.
REPEATED = ("state", "grade")
_CHUNK = 500


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return pgettext("export cell", "yes") if value else pgettext("export cell", "no")


def _place(dispute: Dispute) -> str:
    """Community and place, from the rows the list already joined (no query per row)."""
    if dispute.area_id == dispute.community_id:
        return dispute.community.name
    return f"{dispute.community.name} {dispute.area.name}"


def row(dispute: Dispute, now) -> list[Any]:
    colour = CLOCKS.light(dispute, now)
    return [dispute.number, dispute.get_kind_display(), dispute.get_grade_display(),
            state_words(dispute.state), _place(dispute),
            dispute.get_source_display(), dispute.people_involved,
            str(dispute.owner) if dispute.owner else "", dispute.registered_at,
            CLOCKS.running_due(dispute), _yes_no(colour == Light.RED if colour else None),
            dispute.closed_at, _yes_no(dispute.resolved)]


def _form(actor, parameters: dict[str, str]) -> FilterForm:
    data = QueryDict(mutable=True)
    for name, value in parameters.items():
        if name not in FILTERS or not value:
            continue
        for part in value.split(",") if name in REPEATED else [value]:
            data.appendlist(name, part)
    return FilterForm(data, areas=selectors.staff_places(actor=actor, kinds=[AreaKind.COMMUNITY]),
                      grids=selectors.staff_places(actor=actor, kinds=[AreaKind.GRID]))


def prepare(actor, parameters: dict[str, str]) -> Prepared:
    if not scope.has_role(actor, permissions.STAFF):
        raise PermissionDenied(_("Only dispute staff export the dispute list."))
    form = _form(actor, parameters)
    if not form.is_valid():
        fields = ", ".join(str(form.fields[name].label) for name in form.errors)
        raise ValidationFailed(_("These filters are not right: %(fields)s. Correct them on "
                                 "the list, then export again.") % {"fields": fields})
    disputes = selectors.dispute_list(actor=actor, filters=form.filters())

    def rows() -> Iterator[list[Any]]:
        now = timezone.now()
        for dispute in disputes.all().iterator(chunk_size=_CHUNK):
            yield row(dispute, now)

    return Prepared(columns=COLUMNS, count=disputes.count, rows=rows,
                    filename=str(pgettext_lazy("export file", "disputes")),
                    area_path=common_path(scope.area_paths(actor, permissions.STAFF)),
                    summary={k: v for k, v in parameters.items() if v})


register("disputes", prepare)
