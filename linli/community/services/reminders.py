"""The day-before reminder of an activity (the activities part fills this in)."""

from datetime import datetime


def activities_remind(*, now: datetime) -> int:
    return 0
