"""The contacts API (mounted under /api/party): the contacts in sight, one contact's
visits, record a visit (with one optional raise in the same step), the monthly rates.

A contact named in the path is loaded through `selectors_contacts.contact_get`, so one out
of sight is a 404 before any service runs; the service decides who may record (403)."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.crypto import decrypt
from linli.core.errors import PermissionDenied
from linli.party import permissions
from linli.party import selectors_contacts as sel
from linli.party.schemas_contacts import PartyContactOut, PartyVisitIn, PartyVisitOut, RateOut
from linli.party.selectors import members_visible, organisations_visible
from linli.party.services.contacts import contact_visit_raise, raise_from

router = Router(tags=["party"])


def _contact(row: dict) -> dict:
    c = row["c"]
    return {"id": c.pk, "member_id": c.member_id, "member": c.member.name,
            "organisation_id": c.organisation_id, "organisation": c.organisation.name,
            "household_id": c.household_id, "address": row.get("address", ""),
            "head": row.get("head", ""), "visit_every_days": c.visit_every_days,
            "since": c.since, "until": c.until, "last_visited_on": c.last_visited_on,
            "visit_due_at": c.visit_due_at, "light": row["light"]}


def _visit(v, raised: str) -> dict:
    return {"id": v.pk, "contact_id": v.assignment_id, "visited_on": v.visited_on,
            "way": v.way, "raised": raised, "case_id": v.case_id,
            "dispute_id": v.dispute_id, "wish_id": v.wish_id, "care_note_id": v.care_note_id}


@router.get("/contacts", response=list[PartyContactOut])
@paginate(Pages, page_size=50)
def contact_list(request, organisation_id: Id | None = None, member_id: Id | None = None,
                 overdue: bool = False, month: str = "", visited: bool | None = None):
    """Party staff: the contacts of their places; a member: their own. Overdue first.
    `month` (YYYY-MM) with `visited`: the list behind a rate figure."""
    user = request.user
    org = (organisations_visible(user).filter(pk=organisation_id).first()
           if organisation_id else None)
    member = members_visible(user).filter(pk=member_id).first() if member_id else None
    filters = sel.ContactFilters(organisation=org, member=member, overdue=overdue,
                                 month=sel.month_parse(month) if month else None,
                                 visited=visited)
    qs = sel.contact_list(actor=user, filters=filters)
    if (organisation_id and org is None) or (member_id and member is None):
        qs = qs.none()
    return _Rows(qs)


class _Rows:
    """The page's rows, labelled in one query per page (after paging)."""

    def __init__(self, qs):
        self.qs = qs

    def __len__(self) -> int:
        return self.qs.count()

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, item):
        return [_contact(r) for r in sel.rows(self.qs[item])]


@router.get("/contacts/{contact_id}/visits", response=list[PartyVisitOut])
def contact_visits(request, contact_id: Id):
    contact = sel.contact_get(actor=request.user, contact_id=contact_id)
    return [_visit(item["v"], item["raised"])
            for item in sel.visit_history(actor=request.user, assignment=contact)]


@router.post("/contacts/{contact_id}/visits", response={201: PartyVisitOut})
def contact_visit(request, contact_id: Id, payload: PartyVisitIn):
    """The contact member records a visit (403 `not_the_contact` for anyone else); `also`
    raises a case, a dispute, a wish or a care-plan note in the same transaction: a refused
    raise writes nothing."""
    contact = sel.contact_get(actor=request.user, contact_id=contact_id)
    also = raise_from(kind=payload.also, text=payload.text, category_id=payload.category_id,
                      dispute_kind=payload.dispute_kind,
                      people_involved=payload.people_involved,
                      wish_category=payload.wish_category, starts_at=payload.starts_at,
                      ends_at=payload.ends_at)
    visit = contact_visit_raise(actor=request.user, assignment=contact,
                                visited_on=payload.visited_on, way=payload.way,
                                raised=payload.raised, also=also)
    return Status(201, _visit(visit, decrypt(visit.raised_cipher) if visit.raised_cipher else ""))


@router.get("/contact-rates", response=list[RateOut])
def contact_rates(request, month: str = ""):
    """The monthly contact-visit rate per organisation (see selectors_contacts.contact_rates
    for the exact definition); party staff only (403)."""
    user = request.user
    if not permissions.is_party_staff(user):
        from django.utils.translation import gettext as _

        raise PermissionDenied(_("Only party-work staff read contact-visit rates."),
                               code="not_party_staff")
    rates = sel.contact_rates(actor=user, month=sel.month_parse(month))
    return [{"organisation_id": r.organisation.pk, "organisation": r.organisation.name,
             "parent_id": r.organisation.parent_id, "depth": r.depth, "counted": r.counted,
             "visited": r.visited, "percent": r.percent} for r in rates]
