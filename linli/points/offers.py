"""What the store page offers a resident: each item with how many they may redeem now, or
why they cannot (out of stock, not enough points, this month's limit reached).

Only for showing: a button disabled here saves a refused round trip, but the service
(`store.redemption_place`) still decides, under locks, with the same rules.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.points import selectors
from linli.points.models import StoreItem
from linli.points.store import MAX_QUANTITY, month_start


@dataclass(frozen=True)
class Offer:
    item: StoreItem
    balance: int
    most: int  # the largest quantity the resident may ask for now; 0 when none
    reason: str  # why not, when `most` is 0

    @property
    def can_redeem(self) -> bool:
        return self.most > 0


def _reason(item: StoreItem, balance: int, left_this_month: int | None) -> str:
    if item.stock <= 0:
        return _("Out of stock")
    if left_this_month is not None and left_this_month <= 0:
        return _("You have redeemed this month's limit of %(n)d.") % {
            "n": item.per_person_limit}
    if balance < item.price_points:
        return _("Not enough points: you have %(balance)d, this costs %(points)d.") % {
            "balance": balance, "points": item.price_points}
    return ""


def offers(*, actor, items, balances: dict[int, int]) -> list[Offer]:
    """`items` as the catalogue lists them; `balances` by community id."""
    taken = selectors.redeemed_this_month(actor=actor, since=month_start(timezone.now()))
    found = []
    for item in items:
        balance = balances.get(item.community_id, 0)
        left = (None if item.per_person_limit is None
                else item.per_person_limit - taken.get(item.pk, 0))
        reason = _reason(item, balance, left)
        most = 0
        if not reason:
            bounds = [MAX_QUANTITY, item.stock, balance // max(item.price_points, 1)]
            most = min(bounds + ([left] if left is not None else []))
        found.append(Offer(item=item, balance=balance, most=most, reason=reason))
    return found
