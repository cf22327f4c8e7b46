"""The party member list as a spreadsheet (core.exports): the list page's filters, read as
the person who asked, when the file is written. Party staff only (a member sees only
themselves and exports nothing); no phone or ID number is written. The request is audited
by the export kit (`export.requested`) and here as `party_member.export`."""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied
from linli.core.exports.registry import Column, Kind, Prepared, register
from linli.party import permissions
from linli.party import selectors_members as sel

COLUMNS = (
    Column(pgettext_lazy("export column", "Name"), Kind.TEXT, 12),
    Column(pgettext_lazy("export column", "Kind"), Kind.TEXT, 12),
    Column(pgettext_lazy("export column", "Employer"), Kind.TEXT, 24),
    Column(pgettext_lazy("export column", "Community"), Kind.TEXT, 14),
    Column(pgettext_lazy("export column", "Organisations"), Kind.TEXT, 40),
    Column(pgettext_lazy("export column", "Joined the party on"), Kind.DATE, 12),
)


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


def prepare(actor, parameters: dict[str, str]) -> Prepared:
    if not permissions.is_party_staff(actor):
        raise PermissionDenied(_("Only party-work staff export party members."),
                               code="not_party_staff")
    kind = parameters.get("kind", "")
    if sel.bad_member_filter(kind):
        kind = ""
    org = _int(parameters.get("organisation", ""))
    community = _int(parameters.get("community", ""))
    filters = {"kind": kind, "organisation": org, "community": community}

    def rows_qs():
        return sel.member_list(actor=actor, kind=kind, organisation=org, community=community)

    def rows() -> Iterator[list[Any]]:
        audit_record(actor=actor, action="party_member.export", object_type="party.member",
                     object_label="party_members", changes={"filters": filters})
        for member in rows_qs().prefetch_related("memberships__organisation"):
            orgs = "、".join(m.organisation.name for m in member.memberships.all()
                            if m.until is None)
            yield [member.name, member.get_kind_display(), member.employer,
                   member.community.name, orgs, member.joined_party_on]

    return Prepared(columns=COLUMNS, count=lambda: rows_qs().count(), rows=rows,
                    filename=str(_("party-members")), summary=filters)


register("party_members", prepare)
