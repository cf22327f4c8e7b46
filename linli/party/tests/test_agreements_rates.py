"""The fulfilment rate on exact fixtures (rates.py's docstring is the rule)."""

import itertools
from datetime import UTC, date

import pytest

from linli.party import rates
from linli.party.models import Agreement, Commitment, Frequency


def _agreement(starts=date(2026, 1, 1), ends=date(2026, 12, 31), ended_at=None):
    return Agreement(pk=1, unit_id=1, starts_on=starts, ends_on=ends, ended_at=ended_at)


def _commitment(frequency=Frequency.MONTHLY, times=1):
    return Commitment(pk=1, frequency=frequency, times=times)


def test_the_briefs_example_is_eighty_percent():
    days = [date(2026, 1, 9), date(2026, 2, 3), date(2026, 4, 1), date(2026, 4, 20),
            date(2026, 5, 2)]
    t = rates.commitment_tally(_commitment(), _agreement(), days, 2026, date(2026, 5, 15))
    assert (t.expected, t.fulfilled, t.delivered) == (5, 4, 5)
    assert str(t.percent) == "80.0"
    assert t.colour == "amber"


def test_the_running_period_without_delivery_does_not_hurt():
    t = rates.commitment_tally(_commitment(), _agreement(), [date(2026, 1, 9)], 2026,
                               date(2026, 2, 10))
    assert (t.expected, t.fulfilled) == (1, 1)
    assert t.colour == "green"


def test_nothing_due_is_none():
    t = rates.commitment_tally(_commitment(Frequency.YEARLY), _agreement(), [], 2026,
                               date(2026, 3, 1))
    assert (t.expected, t.fulfilled, t.rate, t.colour) == (0, 0, None, "none")


def test_quarterly_times_two_and_a_past_year():
    days = [date(2025, 2, 1), date(2025, 2, 2), date(2025, 2, 3), date(2025, 5, 1)]
    t = rates.commitment_tally(_commitment(Frequency.QUARTERLY, 2),
                               _agreement(date(2025, 1, 1), date(2025, 12, 31)), days, 2025,
                               rates.as_of_for(2025, date(2026, 3, 1)))
    # Q1 2 of 2 (the third is no credit elsewhere), Q2 1 of 2, Q3 and Q4 0 of 2.
    assert (t.expected, t.fulfilled, t.delivered) == (8, 3, 4)
    assert t.colour == "red"


def test_periods_outside_the_term_are_not_counted():
    agreement = _agreement(date(2026, 3, 15), date(2027, 3, 14))
    t = rates.commitment_tally(_commitment(), agreement, [date(2026, 3, 20)], 2026,
                               date(2026, 6, 10))
    # March (overlaps the term), April, May ended; June running with none.
    assert (t.expected, t.fulfilled) == (3, 1)


def test_an_agreement_ended_early_stops_expecting():
    from datetime import datetime

    agreement = _agreement(ended_at=datetime(2026, 2, 10, 4, tzinfo=UTC))
    t = rates.commitment_tally(_commitment(), agreement, [date(2026, 1, 5)], 2026,
                               date(2026, 6, 1))
    assert (t.expected, t.fulfilled) == (2, 1)


@pytest.mark.parametrize(("frequency", "n"), [(Frequency.MONTHLY, 12),
                                              (Frequency.QUARTERLY, 4), (Frequency.YEARLY, 1)])
def test_periods_cover_the_year(frequency, n):
    found = rates.periods(frequency, 2024)
    assert len(found) == n
    assert found[0][0] == date(2024, 1, 1) and found[-1][1] == date(2024, 12, 31)
    assert all((b[0] - a[1]).days == 1 for a, b in itertools.pairwise(found))
