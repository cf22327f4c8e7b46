"""The ledger's figures (问题台账, 整改完成率) on exact fixtures (`ledger_fixtures.march`)."""

from datetime import date
from decimal import Decimal

import pytest

from linli.inspections.ledger import LedgerQuery, ledger_figures
from linli.inspections.tests.ledger_fixtures import MARCH_NOW, at, march, reject

pytestmark = pytest.mark.django_db

Q1 = LedgerQuery(first=date(2026, 1, 1), last=date(2026, 4, 30))
MARCH = Q1.months.index((2026, 3))
APRIL = Q1.months.index((2026, 4))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_march_completion_rate_is_rectified_over_due(world, media):
    march(world)
    ledger = ledger_figures(actor=world.alice, query=Q1, now=at(MARCH_NOW))
    cell = ledger.grids[0].cells[MARCH]
    assert [g.label for g in ledger.grids] == ["花楼第一网格"]
    assert (cell.due.count, cell.rectified.count) == (4, 3)
    assert cell.percent == Decimal("75.0")
    assert cell.words == "75.0%"


def test_an_order_due_next_month_counts_in_its_own_month(world, media):
    march(world)
    ledger = ledger_figures(actor=world.alice, query=Q1, now=at(MARCH_NOW))
    april = ledger.grids[0].cells[APRIL]
    assert (april.due.count, april.rectified.count, april.words) == (1, 1, "100.0%")
    assert ledger.grids[0].total.due.count == 5
    assert ledger.month_totals[MARCH].due.count == 4


def test_a_month_with_nothing_due_shows_a_dash(world, media):
    march(world)
    ledger = ledger_figures(actor=world.alice, query=Q1, now=at(MARCH_NOW))
    january = ledger.grids[0].cells[0]
    assert (january.due.count, january.percent, january.words) == (0, None, "—")


def test_a_rectification_rejected_at_recheck_no_longer_counts(world, media):
    orders = march(world)
    reject(world, orders["early"], "2026-03-19 15:00")
    ledger = ledger_figures(actor=world.alice, query=Q1, now=at(MARCH_NOW))
    cell = ledger.grids[0].cells[MARCH]
    # Its deadline (28 March) is still ahead and it is not rectified: not due any more.
    assert (cell.due.count, cell.rectified.count, cell.percent) == (3, 2, Decimal("66.7"))


def test_the_summary_counts_found_rectified_overdue_open_and_signed_off(world, media):
    march(world)
    row = ledger_figures(actor=world.alice, query=Q1, now=at(MARCH_NOW)).summary
    counts = [row.found.count, row.rectified.count, row.overdue.count, row.open.count,
              row.signed_off.count]
    assert counts == [6, 4, 1, 5, 1]
    assert (row.rate.due.count, row.rate.rectified.count, row.rate.words) == (5, 4, "80.0%")


def test_the_deadline_passing_makes_an_order_due(world, media):
    march(world)
    ledger = ledger_figures(actor=world.alice, query=Q1, now=at("2026-03-31 09:00"))
    cell = ledger.grids[0].cells[MARCH]
    # "ahead" (30 March) has passed unrectified: 5 due, 3 rectified.
    assert (cell.due.count, cell.rectified.count, cell.words) == (5, 3, "60.0%")
