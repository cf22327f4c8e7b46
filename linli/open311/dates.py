"""Dates as GeoReport v2 writes them: W3C-DTF (a profile of ISO 8601) with a timezone."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed

MAX_WINDOW = timedelta(days=90)
# Dates a request may name: far enough either way for any real query, and far from the
# ends of Python's calendar, where a 90-day window or a timezone shift overflows.
YEARS = range(1970, 3000)
MAX_RESULTS = 1000

_W3C = re.compile(
    r"^\d{4}-\d{2}-\d{2}"                     # date
    r"(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"         # time, seconds optional
    r"(Z|[+-]\d{2}:?\d{2}))?$"                # a timezone is required with a time
)


def w3c(moment: datetime | None) -> str | None:
    """2026-05-01T09:30:00+08:00: the local time with its offset."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def parse_w3c(raw: str, name: str) -> datetime:
    """A W3C-DTF date or datetime. A bare date is midnight in the server's timezone; a time
    without a timezone is refused, since the spec requires one."""
    # An unencoded "+08:00" (or "+0800") in a query string arrives as " 08:00" (" 0800").
    text = re.sub(r"(T[\d:.]+) (\d{2}:?\d{2})$", r"\1+\2", raw.strip())
    # +0800 and -0500 (ISO 8601's basic offset, as FixMyStreet sends) mean +08:00, -05:00.
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text) if "T" in text else text
    if not _W3C.match(text):
        raise ValidationFailed(_("%(name)s must be a W3C date such as 2026-01-01T00:00:00Z "
                                 "(with a timezone).") % {"name": name}, code="bad_date")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(_("%(name)s is not a real date.") % {"name": name},
                               code="bad_date") from None
    if parsed.year not in YEARS:
        raise ValidationFailed(_("%(name)s must be a date between 1970 and 2999.") % {
            "name": name}, code="bad_date")
    if parsed.tzinfo is None:
        parsed = timezone.make_aware(parsed)
    return parsed


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


def window(start_raw: str, end_raw: str, now: datetime | None = None) -> Window:
    """The requested range, at most 90 days; the most recent 90 days when neither end is
    given, 90 days from (or up to) the one given end otherwise."""
    now = now or timezone.now()
    start = parse_w3c(start_raw, "start_date") if start_raw else None
    end = parse_w3c(end_raw, "end_date") if end_raw else None
    if start is None and end is None:
        return Window(now - MAX_WINDOW, now)
    if start is None:
        assert end is not None
        return Window(end - MAX_WINDOW, end)
    if end is None:
        return Window(start, start + MAX_WINDOW)
    if end < start:
        raise ValidationFailed(_("end_date is before start_date."), code="bad_range")
    if end - start > MAX_WINDOW:
        raise ValidationFailed(_("The date range may not span more than 90 days."),
                               code="range_too_long")
    return Window(start, end)
