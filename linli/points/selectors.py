"""Reads of points and the store, limited to what the actor may see.

A resident sees their own accounts and redemptions and the catalogue of the communities
they live in. Dispatchers, leaders and admins see those of the communities in their areas
(through the one scope helper). Anything else is a 404.
"""

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from linli.accounts import scope
from linli.orgs.models import Area, AreaKind
from linli.points.models import (
    Account,
    AccountKind,
    EarningRule,
    Entry,
    Redemption,
    RedemptionState,
    StoreItem,
)
from linli.points.permissions import READ_ROLES, resident_communities


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _staff_q(actor, field: str) -> Q:
    """Rows whose community lies in the actor's areas for the reading roles."""
    return scope.scope_q(actor, roles=READ_ROLES, area_field=field)


def _visible_q(actor, field: str, own: Q) -> Q:
    """`own` (the actor's own rows) or the staff's scope. A superuser sees everything (an
    empty Q ORed with more would narrow it to the rest, hence the early return)."""
    if actor.is_superuser:
        return Q()
    return own | _staff_q(actor, field)


def _get(qs: QuerySet, pk: int):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def community_list(*, actor) -> QuerySet[Area]:
    """Communities whose points the actor deals with: where they live or work."""
    if not _authenticated(actor):
        return Area.objects.none()
    lived = [c.pk for c in resident_communities(actor)]
    return Area.objects.filter(_visible_q(actor, "", Q(pk__in=lived)),
                               kind=AreaKind.COMMUNITY).order_by("path")


def community_get(*, actor, community_id: int) -> Area:
    return _get(community_list(actor=actor), community_id)


def staff_communities(*, actor) -> QuerySet[Area]:
    if not _authenticated(actor):
        return Area.objects.none()
    staff = Q() if actor.is_superuser else _staff_q(actor, "")
    return Area.objects.filter(staff, kind=AreaKind.COMMUNITY).order_by("path")


# --- accounts and entries ----------------------------------------------------------------

def my_accounts(*, actor) -> QuerySet[Account]:
    if not _authenticated(actor):
        return Account.objects.none()
    return (Account.objects.filter(owner=actor, kind=AccountKind.RESIDENT)
            .select_related("community").order_by("community__path"))


def earned_from(*, account: Account, source_prefix: str) -> int:
    """Points credited to `account` by postings whose source starts with `source_prefix`
    (e.g. "volunteering.claim:"): what another app's work earned here."""
    return Entry.objects.filter(credit=account, source__startswith=source_prefix).aggregate(
        total=Sum("amount"))["total"] or 0


def rule_active(*, community_id: int, action: str) -> EarningRule | None:
    """The community's active earning rule for `action`, if any (for explaining points)."""
    return EarningRule.objects.filter(community_id=community_id, action=action,
                                      is_active=True).first()


def account_list(*, actor, community: Area | None = None, search: str = "") -> QuerySet[Account]:
    """Residents' accounts the actor may read: their own, and as staff those in scope."""
    if not _authenticated(actor):
        return Account.objects.none()
    qs = Account.objects.filter(_visible_q(actor, "community", Q(owner=actor)),
                                kind=AccountKind.RESIDENT)
    if community is not None:
        qs = qs.filter(community=community)
    if search:
        qs = qs.filter(Q(owner__username__icontains=search)
                       | Q(owner__display_name__icontains=search))
    return qs.select_related("owner", "community").order_by("community__path", "owner_id")


def account_get(*, actor, account_id: int) -> Account:
    return _get(account_list(actor=actor), account_id)


def entry_get(*, actor, entry_id: int) -> Entry:
    """An entry of an account the actor may read (a resident's own, or staff's scope)."""
    if not _authenticated(actor):
        raise Http404
    entry = Entry.objects.select_related("debit__community", "credit__community").filter(
        pk=entry_id).first()
    if entry is None:
        raise Http404
    visible = account_list(actor=actor).filter(pk__in=[entry.debit_id, entry.credit_id])
    if not visible.exists():
        raise Http404
    return entry


# --- the store ---------------------------------------------------------------------------

def item_list(*, actor, community: Area | None = None,
              include_inactive: bool = False) -> QuerySet[StoreItem]:
    """The catalogue: residents see what is on offer in their communities; staff also see
    items taken off offer."""
    if not _authenticated(actor):
        return StoreItem.objects.none()
    lived = [c.pk for c in resident_communities(actor)]
    if include_inactive:
        qs = StoreItem.objects.filter(_visible_q(actor, "community",
                                                 Q(community_id__in=lived, is_active=True)))
    else:
        qs = StoreItem.objects.filter(_visible_q(actor, "community", Q(community_id__in=lived)),
                                      is_active=True)
    if community is not None:
        qs = qs.filter(community=community)
    return qs.select_related("community").order_by("community__path", "name")


def item_get(*, actor, item_id: int) -> StoreItem:
    return _get(item_list(actor=actor, include_inactive=True), item_id)


def redeemed_this_month(*, actor, since) -> dict[int, int]:
    """How many of each item the actor redeemed since `since` (held or handed over): what
    counts against an item's monthly limit per person."""
    if not _authenticated(actor):
        return {}
    rows = (Redemption.objects.filter(resident=actor, created_at__gte=since,
                                      state__in=[RedemptionState.HELD,
                                                 RedemptionState.COMPLETED])
            .values("item_id").annotate(n=Sum("quantity")).order_by())
    return {row["item_id"]: row["n"] for row in rows}


def redemption_list(*, actor, state: str = "", mine: bool = False,
                    community: Area | None = None) -> QuerySet[Redemption]:
    if not _authenticated(actor):
        return Redemption.objects.none()
    qs = Redemption.objects.filter(
        Q(resident=actor) if mine else _visible_q(actor, "community", Q(resident=actor)))
    if state:
        qs = qs.filter(state=state)
    if community is not None:
        qs = qs.filter(community=community)
    return qs.select_related("item", "resident", "community", "handled_by").order_by("-id")


def redemption_get(*, actor, redemption_id: int) -> Redemption:
    return _get(redemption_list(actor=actor), redemption_id)


# --- earning rules -----------------------------------------------------------------------

def rule_list(*, actor, community: Area | None = None) -> QuerySet[EarningRule]:
    """Residents may read their communities' rules (how to earn); staff those in scope."""
    if not _authenticated(actor):
        return EarningRule.objects.none()
    lived = [c.pk for c in resident_communities(actor)]
    qs = EarningRule.objects.filter(_visible_q(actor, "community", Q(community_id__in=lived)))
    if community is not None:
        qs = qs.filter(community=community)
    return qs.select_related("community").order_by("community__path", "action")


def rule_get(*, actor, rule_id: int) -> EarningRule:
    return _get(rule_list(actor=actor), rule_id)
