"""The working calendar as the statute gives it, for tests of deadlines: none of the
environment's overrides, and no cached calendar left from another test."""

from linli.core import workcalendar

OVERRIDES = ("LINLI_WORK_HOURS", "LINLI_EXTRA_HOLIDAYS", "LINLI_EXTRA_WORKDAYS")


def clear_caches() -> None:
    workcalendar.working_windows.cache_clear()
    workcalendar._overrides.cache_clear()
    workcalendar.is_workday.cache_clear()


def statutory(monkeypatch) -> None:
    """Drop the environment's overrides and the caches that hold them (undo: `clear_caches`
    after the monkeypatch is undone)."""
    for name in OVERRIDES:
        monkeypatch.delenv(name, raising=False)
    clear_caches()
