"""Whose orders the ledger counts: the inspectors' own areas, through the orders list's
selector. alice (community A) sees A, leo (the street) all, gina her grid's orders only,
bob none of A."""

import pytest
from django.utils import timezone

from linli.inspections.ledger import ledger_figures, ledger_rows, this_year
from linli.inspections.tests.ledger_fixtures import spread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "seen"), [
    ("alice", {"a1", "a2"}), ("leo", {"a1", "a2", "b"}), ("gina", {"a1"}), ("bob", {"b"}),
    ("rita", set()), ("uma", set()), ("nobody", set()),
])
def test_each_person_counts_only_the_orders_of_their_areas(world, who, seen):
    orders = spread(world)
    actor = getattr(world, who)
    query = this_year(timezone.localdate())
    ledger = ledger_figures(actor=actor, query=query)
    assert ledger.summary.found.count == len(seen)
    assert ledger.summary.open.count == len(seen)
    assert {o.pk for o in ledger_rows(actor=actor, query=query)} == {
        orders[name].pk for name in seen}
    assert sum(len(r.label) > 0 for r in ledger.by_campaign) == len(
        {orders[name].campaign_id for name in seen})
