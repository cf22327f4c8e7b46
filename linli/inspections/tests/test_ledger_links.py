"""Every figure of the ledger links to the orders list that shows exactly its orders: each
link read back as the orders page reads it gives a list as long as the figure."""

from datetime import date

import pytest
from django.utils import timezone

from linli.inspections.ledger import LedgerQuery, ledger_figures, orders_url, this_year
from linli.inspections.selectors import OrderFilters, order_list
from linli.inspections.tests.ledger_fixtures import (
    MARCH_NOW,
    at,
    figures_of,
    filters_from,
    march,
    reject,
    spread,
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
                   "&open=0&due_from=2026-03-01&due_reached=1")
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


def test_the_ledger_takes_six_queries_however_many_orders(world, media,
                                                          django_assert_num_queries):
    march(world)
    ledger_figures(actor=world.alice, query=Q1, now=at(MARCH_NOW))  # the roles, cached
    # The summary, the grid cells and their areas' names, the campaigns and their names,
    # the topics: one query each, never one per cell.
    with django_assert_num_queries(6):
        ledger_figures(actor=world.alice, query=Q1, now=at(MARCH_NOW))
    spread(world)  # three more orders, in three more campaigns, issued today
    since_march = LedgerQuery(first=Q1.first, last=this_year(timezone.localdate()).last)
    ledger_figures(actor=world.leo, query=since_march)
    with django_assert_num_queries(6):
        ledger = ledger_figures(actor=world.leo, query=since_march)
    assert (len(ledger.by_campaign), ledger.summary.found.count) == (4, 9)


def test_a_premises_above_any_grid_has_its_own_row_and_exact_links(world, media):
    """A target placed at community level (no grid): its orders are counted in the
    community-level row, whose links open exactly them, not the whole community."""
    from linli.inspections.tests.factories import campaign, order, target

    march(world)
    c = campaign(world, name="社区级排查", starts_on=date(2026, 3, 1))
    placed_high = target(world, area=world.community_a, name="社区广场")
    order(world, campaign=c, target=placed_high, actor=world.alice,
          now=at("2026-03-02 10:00"))
    now = at(MARCH_NOW)
    ledger = ledger_figures(actor=world.alice, query=Q1, now=now)
    high = [row for row in ledger.grids if row.label.startswith(world.community_a.name)]
    assert len(high) == 1 and high[0].total.due.count == 1  # due 16 March, not rectified
    listed = order_list(actor=world.alice, filters=filters_from(high[0].total.due.url), now=now)
    assert [o.target_id for o in listed] == [placed_high.pk]
    assert _mismatches(world.alice, ledger, now) == []
