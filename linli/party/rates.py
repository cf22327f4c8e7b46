"""The yearly fulfilment rate of co-building agreements (共建协议履约率), exactly:

For year Y as of day D, take each commitment's periods of Y (its months, its quarters or
the year itself, by `frequency`) that overlap the agreement's term (from `starts_on` to
`ends_on`, or to the day it was ended early) and have started by D:

- a period that has ended before D expects `times` deliveries;
- the running period (the one containing D) expects min(times, delivered in it): it is not
  due yet, so an early delivery counts and none does not hurt;
- fulfilled = Σ over those periods of min(delivered in the period, times): delivering more
  in one period makes up for nothing in another;
- rate = fulfilled / expected, or None when nothing is expected yet.

Only deliveries that are not voided count. Per agreement: the sums over its commitments;
per unit: the sums over all its agreements in the reader's scope (a rate of sums, not a
mean of rates).

Example: monthly ×1 from January, as of 15 May, deliveries in Jan, Feb, Apr ×2 and May:
expected 4 (Jan–Apr) + 1 (May, delivered) = 5, fulfilled 1 + 1 + 0 + 1 + 1 = 4 → 80.0 %.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from linli.party.models import Agreement, Commitment, Delivery, Frequency

GREEN = Decimal("0.90")   # at or above: on track
AMBER = Decimal("0.70")   # at or above: behind; below: red


@dataclass
class Tally:
    expected: int = 0
    fulfilled: int = 0
    delivered: int = 0  # every delivery of the year's counted periods (the figure's link)

    def add(self, other: "Tally") -> None:
        self.expected += other.expected
        self.fulfilled += other.fulfilled
        self.delivered += other.delivered

    @property
    def rate(self) -> Decimal | None:
        if not self.expected:
            return None
        return Decimal(self.fulfilled) / Decimal(self.expected)

    @property
    def percent(self) -> Decimal | None:
        rate = self.rate
        return None if rate is None else (rate * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def colour(self) -> str:
        rate = self.rate
        if rate is None:
            return "none"
        return "green" if rate >= GREEN else "amber" if rate >= AMBER else "red"


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def periods(frequency: str, year: int) -> list[tuple[date, date]]:
    """The periods of a year for a frequency, each (first day, last day)."""
    if frequency == Frequency.MONTHLY:
        return [(date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    if frequency == Frequency.QUARTERLY:
        return [(date(year, m, 1), _month_end(year, m + 2)) for m in (1, 4, 7, 10)]
    return [(date(year, 1, 1), date(year, 12, 31))]


def term_end(agreement: Agreement) -> date:
    """The last day of the term: an agreement ended early ends on the day it was ended."""
    if agreement.ended_at is not None:
        return min(agreement.ends_on, timezone.localdate(agreement.ended_at))
    return agreement.ends_on


def counted_periods(commitment: Commitment, agreement: Agreement, year: int,
                    as_of: date) -> list[tuple[date, date]]:
    """The commitment's periods of the year that overlap the term and have started."""
    last = term_end(agreement)
    return [(start, end) for start, end in periods(commitment.frequency, year)
            if start <= last and end >= agreement.starts_on and start <= as_of]


def commitment_tally(commitment: Commitment, agreement: Agreement, days: Iterable[date],
                     year: int, as_of: date) -> Tally:
    """One commitment's figures from the days of its (not voided) deliveries."""
    days = sorted(days)
    tally = Tally()
    for start, end in counted_periods(commitment, agreement, year, as_of):
        delivered = sum(1 for d in days if start <= d <= end)
        done = min(delivered, commitment.times)
        running = start <= as_of <= end
        tally.expected += done if running else commitment.times
        tally.fulfilled += done
        tally.delivered += delivered
    return tally


def _deliveries(agreements: list[Agreement], year: int) -> dict[int, list[date]]:
    by_commitment: dict[int, list[date]] = defaultdict(list)
    rows = (Delivery.objects.filter(commitment__agreement__in=agreements, voided_at__isnull=True,
                                    delivered_on__year=year)
            .values_list("commitment_id", "delivered_on"))
    for commitment_id, day in rows:
        by_commitment[commitment_id].append(day)
    return by_commitment


def agreement_tallies(agreements: Iterable[Agreement], year: int,
                      as_of: date) -> dict[int, Tally]:
    """Each agreement's figures for the year as of the day (agreement pk → Tally)."""
    agreements = list(agreements)
    days = _deliveries(agreements, year)
    commitments = defaultdict(list)
    for c in Commitment.objects.filter(agreement__in=agreements):
        commitments[c.agreement_id].append(c)
    result = {}
    for agreement in agreements:
        tally = Tally()
        for c in commitments[agreement.pk]:
            tally.add(commitment_tally(c, agreement, days[c.pk], year, as_of))
        result[agreement.pk] = tally
    return result


def unit_tallies(agreements: Iterable[Agreement], year: int,
                 as_of: date) -> dict[int, Tally]:
    """Per unit (unit pk → Tally): the sums over its agreements given."""
    agreements = list(agreements)
    per_agreement = agreement_tallies(agreements, year, as_of)
    result: dict[int, Tally] = defaultdict(Tally)
    for agreement in agreements:
        result[agreement.unit_id].add(per_agreement[agreement.pk])
    return dict(result)


def as_of_for(year: int, today: date) -> date:
    """The day a year is judged at: today for this year; for a past year the day after it,
    so that every period of it has ended (none is still running)."""
    return min(today, date(year + 1, 1, 1))
