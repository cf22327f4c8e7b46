"""The demo's store: stocked in every community, redemptions in every state, the ledger
consistent."""

import pytest
from django.db.models import Sum

from linli.orgs.models import Area
from linli.points.demo import CATALOGUE, RULES
from linli.points.models import Account, AccountKind, EarningRule, Redemption, StoreItem

pytestmark = pytest.mark.django_db


def test_the_demo_stocks_every_store_and_redeems_in_every_state(demo):
    # The demo's street; the Open311 sandbox's community stands apart and keeps no store.
    street = Area.objects.get(kind="street", name="民族街道")
    communities = list(Area.objects.filter(kind="community", path__startswith=street.path))
    assert len(communities) == 2
    for community in communities:
        items = StoreItem.objects.filter(community=community)
        assert sorted(items.values_list("name", flat=True)) == sorted(c[0] for c in CATALOGUE)
        states = set(Redemption.objects.filter(community=community)
                     .values_list("state", flat=True))
        assert states == {"held", "completed", "cancelled"}
        assert EarningRule.objects.filter(community=community).count() >= len(RULES)
        held = Redemption.objects.filter(community=community, state="held").aggregate(
            s=Sum("points"))["s"]
        # The hold account also holds the points of service bookings not yet served.
        from linli.library.models import LIVE_BOOKING, Booking

        booked = Booking.objects.filter(service__provider__community=community,
                                        state__in=LIVE_BOOKING).aggregate(
            s=Sum("points"))["s"] or 0
        hold = Account.objects.get(kind=AccountKind.HOLD, community=community)
        assert hold.balance == held + booked
        initial = {name: stock for name, _k, _p, stock, _l, _d in CATALOGUE}
        for item in items:
            out = item.redemptions.filter(state__in=["held", "completed"]).aggregate(
                q=Sum("quantity"))["q"] or 0
            assert item.stock + out == initial[item.name]
    assert Account.objects.aggregate(s=Sum("balance"))["s"] == 0
    assert not Account.objects.exclude(kind=AccountKind.ISSUER).filter(balance__lt=0).exists()
