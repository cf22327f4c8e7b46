"""Every figure of the ledger links to the orders list that shows exactly its orders: each
link read back as the orders page reads it gives a list as long as the figure."""

from datetime import date

import pytest

from linli.inspections.ledger import LedgerQuery, ledger_figures, orders_url
from linli.inspections.selectors import OrderFilters, order_list
from linli.inspections.tests.ledger_fixtures import (
    MARCH_NOW,
    at,
    figures_of,
    filters_from,
    march,
    reject,
)

pytestmark = pytest.mark.django_db

Q1 = LedgerQuery(first=date(2026, 1, 1), last=date(2026, 4, 30))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _mismatches(actor, ledger, now) -> list:
    wrong = []
    for where, figure in figures_of(ledger):
        listed = order_list(actor=actor, filters=filters_from(figure.url), now=now).count()
        if listed != figure.count:
            wrong.append((where, figure.count, listed, figure.url))
    return wrong


def test_orders_url_spells_the_filters_as_the_orders_page_reads_them():
    url = orders_url(OrderFilters(state=["closed", "rectified"], campaign_id=7,
                                  due_from=date(2026, 3, 1), due_reached=True, open=False))
    assert url == ("/inspections/orders/?state=closed&state=rectified&campaign_id=7"
                   "&open=false&due_from=2026-03-01&due_reached=true")
    assert orders_url(OrderFilters()) == "/inspections/orders/?"


@pytest.mark.parametrize("narrow", [{}, {"topic": "gas"}, {"campaign": True},
                                    {"area": "grid_a1"}, {"area": "community_a"}])
def test_every_figure_equals_the_list_its_link_opens(world, media, narrow):
    orders = march(world)
    reject(world, orders["early"], "2026-03-19 15:00")
    query = LedgerQuery(
        first=Q1.first, last=Q1.last, topic=narrow.get("topic", ""),
        campaign_id=orders["late"].campaign_id if narrow.get("campaign") else None,
        area_id=getattr(world, narrow["area"]).pk if "area" in narrow else None)
    now = at(MARCH_NOW)
    for actor in (world.alice, world.gina, world.leo):
        ledger = ledger_figures(actor=actor, query=query, now=now)
        assert ledger.summary.found.count == 6
        assert _mismatches(actor, ledger, now) == []


def test_the_ledger_counts_in_five_queries(world, media, django_assert_max_num_queries):
    march(world)
    # The actor's roles are read once and cached; then one query per table, and the names.
    ledger_figures(actor=world.alice, query=Q1, now=at(MARCH_NOW))
    with django_assert_max_num_queries(7):
        ledger_figures(actor=world.alice, query=Q1, now=at(MARCH_NOW))
