"""Clocks on the working calendar (ADR 0006): limits, deadlines, traffic lights, overdue.

A workflow declares its clocks once. A `Clock` names the states in which it runs and the
columns that hold its deadline (`due`), its 80 % point (`warn`) and the deadline its last
supervision notice was raised for (`supervised`). Everything that asks "is this late?" —
the overdue filters of the lists, the traffic light on pages and in the API, the template
filter, the supervision sweep (`core.supervision`) — reads the declaration, so the states
that run a clock are written in one place.

Timers are data: deadlines are indexed columns computed when a clock starts, so the light
is two comparisons and the sweep one indexed query, with no calendar maths at read time.
"""

import operator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import reduce

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linli.core.workcalendar import deadline

WARN_FRACTION = Decimal("0.8")  # yellow from 80 % of the limit, red past 100 %


class LimitUnit(models.TextChoices):
    WORK_HOURS = "work_hours", _("working hours")
    WORK_DAYS = "work_days", _("working days")
    CLOCK_HOURS = "clock_hours", _("clock hours")


def due_and_warn(start: datetime, amount: Decimal, unit: str) -> tuple[datetime, datetime]:
    """The deadline `amount` `unit`s after `start`, and the 80 % point before it."""
    return deadline(start, amount, unit), deadline(start, amount * WARN_FRACTION, unit)


class Light:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @staticmethod
    def words(colour: str | None) -> str:
        """The light as pages say it; "" for none."""
        return str({Light.GREEN: _("on time"), Light.YELLOW: _("due soon"),
                    Light.RED: _("overdue")}.get(colour or "", ""))


def light_at(moment: datetime, warn_at: datetime | None, due_at: datetime | None) -> str | None:
    if due_at is None:
        return None
    if moment > due_at:
        return Light.RED
    if warn_at is not None and moment >= warn_at:
        return Light.YELLOW
    return Light.GREEN


@dataclass(frozen=True)
class Clock:
    name: str
    states: frozenset[str]  # the clock runs while the row is in one of these
    due: str
    warn: str
    supervised: str = ""  # empty: nobody is told when it runs out
    # States after the clock stopped in which the light still shows, frozen at the moment
    # in column `stopped_at` (a case resolved late stays red until it is closed).
    stopped_states: frozenset[str] = frozenset()
    stopped_at: str = ""

    def overdue_q(self, now: datetime) -> Q:
        """Rows whose clock runs and is past its deadline."""
        return Q(state__in=self.states, **{f"{self.due}__lt": now})

    def unsupervised_q(self) -> Q:
        """Rows with no notice yet for their current deadline (a moved deadline, e.g. after
        an extension or a rework, gets a new one)."""
        return Q(**{f"{self.supervised}__isnull": True}) | ~Q(
            **{self.supervised: F(self.due)})

    def light(self, obj, now: datetime) -> str | None:
        if obj.state in self.states:
            return light_at(now, getattr(obj, self.warn), getattr(obj, self.due))
        if obj.state in self.stopped_states:
            moment = getattr(obj, self.stopped_at) or now
            return light_at(moment, getattr(obj, self.warn), getattr(obj, self.due))
        return None


@dataclass(frozen=True)
class Clocks:
    """The clocks of one workflow; at most one runs in any state."""

    clocks: tuple[Clock, ...]

    def running(self, obj) -> Clock | None:
        return next((c for c in self.clocks if obj.state in c.states), None)

    def running_due(self, obj) -> datetime | None:
        """The deadline whose clock runs now, or None: the one the light measures."""
        clock = self.running(obj)
        return getattr(obj, clock.due) if clock else None

    def light(self, obj, now: datetime) -> str | None:
        """Green < 80 % of the running limit, yellow 80-100 %, red past it; None when no
        clock runs or shows."""
        for clock in self.clocks:
            colour = clock.light(obj, now)
            if colour is not None or obj.state in clock.states:
                return colour
        return None

    def overdue_q(self, now: datetime) -> Q:
        """Rows past the deadline of whichever clock runs for them."""
        return reduce(operator.or_, (clock.overdue_q(now) for clock in self.clocks))

    def supervised(self) -> tuple[Clock, ...]:
        return tuple(c for c in self.clocks if c.supervised)
