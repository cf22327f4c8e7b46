"""Scoped reading of contact households (党员联系户): the list with its filters, one
contact with its visits, members short of contacts, and the monthly contact-visit rate per
organisation. Everything starts from selectors.contacts_visible / visits_visible."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from linli.core.crypto import decrypt
from linli.core.tiles import Tile
from linli.party import permissions
from linli.party.models import ContactAssignment, ContactVisit, Member, Organisation
from linli.party.selectors import contacts_visible, organisations_visible, visits_visible


def home_tiles(user) -> list[Tile]:
    return []


# --- months --------------------------------------------------------------------------------

def month_parse(value: str | None) -> date:
    """"YYYY-MM" → its first day; anything else → this month."""
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def counted_in(month: date) -> Q:
    """Assignments live at any time in the month."""
    first, last = month_bounds(month)
    return Q(since__lte=last) & (Q(until__isnull=True) | Q(until__gte=first))


def visited_in(month: date) -> Exists:
    first, last = month_bounds(month)
    return Exists(ContactVisit.objects.filter(assignment=OuterRef("pk"),
                                              visited_on__gte=first, visited_on__lte=last))


# --- the list ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContactFilters:
    organisation: Organisation | None = None
    member: Member | None = None
    overdue: bool = False
    month: date | None = None      # with `visited`: the rate figure's list
    visited: bool | None = None
    live_only: bool = True


def organisation_subtree_q(org: Organisation, field: str = "organisation") -> Q:
    """The organisation and its descendants (by the parent chain, one query per level)."""
    ids, frontier = {org.pk}, [org.pk]
    while frontier:
        frontier = list(Organisation.objects.filter(parent_id__in=frontier)
                        .exclude(pk__in=ids).values_list("pk", flat=True))
        ids.update(frontier)
    return Q(**{f"{field}_id__in": ids})


def contact_list(*, actor, filters: ContactFilters = ContactFilters()
                 ) -> QuerySet[ContactAssignment]:
    """Overdue first (by due moment), then the rest; filtered as asked."""
    qs = contacts_visible(actor).select_related("member", "organisation",
                                                "household__dwelling")
    f = filters
    if f.month is not None:
        qs = qs.filter(counted_in(f.month))
        if f.visited is not None:
            qs = qs.filter(visited_in(f.month)) if f.visited else qs.exclude(visited_in(f.month))
    elif f.live_only:
        qs = qs.filter(until__isnull=True)
    if f.organisation is not None:
        qs = qs.filter(organisation_subtree_q(f.organisation))
    if f.member is not None:
        qs = qs.filter(member=f.member)
    if f.overdue:
        qs = qs.filter(until__isnull=True, visit_due_at__lt=timezone.now())
    return qs.order_by("visit_due_at", "pk")


def contact_get(*, actor, contact_id: int) -> ContactAssignment:
    found = (contacts_visible(actor).select_related("member", "organisation",
                                                     "household__dwelling")
             .filter(pk=contact_id).first())
    if found is None:
        raise Http404
    return found


def light(assignment: ContactAssignment, now=None) -> str:
    """The traffic light of the next visit: red overdue, yellow within a week, green."""
    now = now or timezone.now()
    if assignment.until is not None:
        return "ended"
    left = (assignment.visit_due_at - now).total_seconds()
    return "red" if left < 0 else "yellow" if left < 7 * 86400 else "green"


def household_labels(assignments) -> dict[int, dict[str, str]]:
    """Each household's address label and head's name (never phone or ID)."""
    from linli.people.models import Relation, Resident
    from linli.people.selectors import place_labels

    households = {a.household_id: a.household for a in assignments}
    labels = place_labels([h.dwelling for h in households.values()])
    heads: dict[int, str] = {}
    for r in (Resident.objects.filter(household_id__in=households, moved_out__isnull=True,
                                      anonymised_at__isnull=True)
              .order_by("household_id", "pk").only("household_id", "name", "relation")):
        if r.relation == Relation.HEAD or r.household_id not in heads:
            heads[r.household_id] = r.name
    return {pk: {"address": labels.get(h.dwelling_id, ""), "head": heads.get(pk, "")}
            for pk, h in households.items()}


def rows(assignments) -> list[dict]:
    items = list(assignments)
    labels = household_labels(items)
    now = timezone.now()
    return [{"c": a, "light": light(a, now), **labels.get(a.household_id, {})} for a in items]


def visit_history(*, actor, assignment: ContactAssignment) -> list[dict]:
    """The visits, what was raised decrypted: only party staff and the member get here."""
    visits = (visits_visible(actor).filter(assignment=assignment)
              .select_related("visitor"))
    return [{"v": v, "raised": decrypt(v.raised_cipher) if v.raised_cipher else ""}
            for v in visits]


def members_short(*, actor) -> list[tuple[Member, int]]:
    """In-scope members keeping in touch with fewer than PARTY_CONTACTS_MIN households."""
    if not permissions.is_party_staff(actor):
        return []
    from linli.party.selectors import party_q

    qs = (Member.objects.filter(party_q(actor), left_on__isnull=True)
          .annotate(held=Count("contacts", filter=Q(contacts__until__isnull=True)))
          .filter(held__lt=settings.PARTY_CONTACTS_MIN).order_by("held", "name"))
    return [(m, m.held) for m in qs[:200]]


def households_in(*, actor, organisation: Organisation, search: str = "", limit: int = 30):
    """Households in the organisation's area the actor keeps party data of, by address."""
    from linli.people.models import Household

    if not permissions.keeps(actor, organisation.area_path):
        return []
    qs = Household.objects.filter(area_path__startswith=organisation.area_path)
    search = search.strip()
    if search:
        qs = qs.filter(Q(dwelling__name__icontains=search)
                       | Q(dwelling__parent__name__icontains=search)
                       | Q(dwelling__parent__parent__name__icontains=search))
    return list(qs.select_related("dwelling").order_by("area_path")[:limit])


def household_rows(households) -> list[dict]:
    """Households for the assign form: address label and head's name."""
    from linli.people.models import Relation, Resident
    from linli.people.selectors import place_labels

    labels = place_labels([h.dwelling for h in households])
    heads = dict(Resident.objects.filter(household__in=households, relation=Relation.HEAD,
                                         moved_out__isnull=True)
                 .values_list("household_id", "name"))
    return [{"pk": h.pk, "address": labels.get(h.dwelling_id, ""), "head": heads.get(h.pk, "")}
            for h in households]


def assign_checked(*, actor, organisation: int, member: int, household: int,
                   visit_every_days: int | None = None) -> dict:
    """The rows an assignment names, each looked up in the actor's scope (unknown → 404)."""
    from linli.party.selectors import party_q
    from linli.people.models import Household

    org = organisations_visible(actor).filter(party_q(actor), pk=organisation).first()
    who = Member.objects.filter(party_q(actor), pk=member).first()
    home = Household.objects.filter(pk=household).select_related("dwelling").first()
    if org is None or who is None or home is None or not permissions.keeps(actor,
                                                                         home.area_path):
        raise Http404
    return {"organisation": org, "member": who, "household": home,
            "visit_every_days": visit_every_days}


def has_care_plan(household) -> bool:
    from linli.people.models import CarePlan

    return CarePlan.objects.filter(resident__household=household,
                                   resident__moved_out__isnull=True).exists()


# --- the monthly rate ------------------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    organisation: Organisation
    depth: int
    counted: int
    visited: int

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.visited / self.counted, 1) if self.counted else None


def contact_rates(*, actor, month: date) -> list[Rate]:
    """The monthly contact-visit rate (联系户走访率) of each visible organisation, as a tree.

    An assignment counts in month M when it was live at any time in M (since ≤ the last
    day of M, and until is empty or ≥ the first day of M); it is visited when it has at
    least one visit with visited_on in M. An organisation counts its own assignments and
    its descendants' (rolled up). rate = visited / counted, in per cent to one decimal;
    no counted assignment, no rate. Only party-work staff see rates."""
    if not permissions.is_party_staff(actor):
        return []
    orgs = list(organisations_visible(actor).filter(party_q_orgs(actor)).order_by("level",
                                                                                  "name"))
    own: dict[int, tuple[int, int]] = {}
    for row in (contacts_visible(actor).filter(counted_in(month))
                .annotate(seen=visited_in(month)).values("organisation_id", "seen")):
        c, v = own.get(row["organisation_id"], (0, 0))
        own[row["organisation_id"]] = (c + 1, v + int(bool(row["seen"])))
    children: dict[int | None, list[Organisation]] = {}
    ids = {o.pk for o in orgs}
    for o in orgs:
        children.setdefault(o.parent_id if o.parent_id in ids else None, []).append(o)
    out: list[Rate] = []

    def walk(org: Organisation, depth: int) -> tuple[int, int]:
        at = len(out)
        c, v = own.get(org.pk, (0, 0))
        for child in children.get(org.pk, []):
            cc, vv = walk(child, depth + 1)
            c, v = c + cc, v + vv
        out.insert(at, Rate(org, depth, c, v))
        return c, v

    for root in children.get(None, []):
        walk(root, 0)
    return out


def party_q_orgs(actor) -> Q:
    from linli.party.selectors import party_q

    return party_q(actor)
