from datetime import date

import pytest

from linli.core.errors import NotFound, PermissionDenied
from linli.dailyreports import selectors
from linli.dailyreports.models import DailyReport
from linli.dailyreports.selectors import ReportFilters


def filed(worker, grid, *days: str) -> None:
    DailyReport.objects.bulk_create([
        DailyReport(worker=worker, grid=grid, community=grid.parent, area_path=grid.path,
                    day=date.fromisoformat(d)) for d in days])


def test_month_rate_counts_working_days_only(daily):
    w = daily
    # September 2026 has 22 working days. Gina reports on three of them, on a Sunday too.
    filed(w.gina, w.grid_a1, "2026-09-01", "2026-09-02", "2026-09-30", "2026-09-06")
    filed(w.gary, w.grid_a2, *[f"2026-09-{d:02d}" for d in range(1, 31)])
    span, rows = selectors.month_rates(actor=w.alice, community=w.community_a,
                                       month=date(2026, 9, 1), today=date(2026, 12, 6))
    assert span == (date(2026, 9, 1), date(2026, 9, 30))
    by_worker = {r.worker: r for r in rows}
    assert set(by_worker) == {w.gina, w.gary}  # community A's workers only
    gina, gary = by_worker[w.gina], by_worker[w.gary]
    assert (gina.reported, gina.working, str(gina.rate)) == (3, 22, "13.6")
    assert (gary.reported, gary.working, str(gary.rate)) == (22, 22, "100.0")


def test_the_current_month_counts_the_days_so_far(daily):
    w = daily
    filed(w.gina, w.grid_a1, "2026-10-08", "2026-10-09")
    # 1-7 October are the National Day holiday; 8, 9 and the make-up Saturday 10 work.
    span, rows = selectors.month_rates(actor=w.alice, community=w.community_a,
                                       month=date(2026, 10, 1), today=date(2026, 10, 10))
    gina = next(r for r in rows if r.worker == w.gina)
    assert span == (date(2026, 10, 1), date(2026, 10, 10))
    assert (gina.reported, gina.working, str(gina.rate)) == (2, 3, "66.7")
    _span, future = selectors.month_rates(actor=w.alice, community=w.community_a,
                                          month=date(2026, 11, 1), today=date(2026, 10, 10))
    assert all(r.working == 0 and r.rate is None for r in future)


def test_the_day_overview_lists_every_grid_worker(daily):
    w = daily
    filed(w.gina, w.grid_a1, "2026-09-30")
    rows = selectors.day_overview(actor=w.alice, community=w.community_a,
                                  day=date(2026, 9, 30))
    assert [(r.grid, [(x.worker, x.report is not None) for x in r.workers]) for r in rows] == [
        (w.grid_a1, [(w.gina, True)]), (w.grid_a2, [(w.gary, False)])]


def test_the_reports_behind_a_figure(daily):
    w = daily
    filed(w.gina, w.grid_a1, "2026-09-01", "2026-09-06")
    month = ReportFilters(worker_id=w.gina.pk, grid_id=w.grid_a1.pk, since=date(2026, 9, 1),
                          until=date(2026, 9, 30), workdays_only=True)
    assert [r.day for r in selectors.report_list(actor=w.alice, filters=month)] == [
        date(2026, 9, 1)]
    assert selectors.report_list(actor=w.bob, filters=month).count() == 0  # community B
    assert selectors.report_list(actor=w.gary).count() == 0  # a colleague's report


def test_scope_of_the_community_view(daily):
    w = daily
    assert selectors.community_get(actor=w.leo, community_id=w.community_b.pk) == w.community_b
    assert selectors.community_get(actor=w.alice, community_id=None) == w.community_a
    with pytest.raises(NotFound):
        selectors.community_get(actor=w.bob, community_id=w.community_a.pk)
    for outsider in (w.rita, w.gina):
        with pytest.raises(PermissionDenied):
            selectors.community_get(actor=outsider, community_id=w.community_a.pk)
    with pytest.raises(PermissionDenied):
        selectors.report_list(actor=w.rita)


def test_a_report_is_read_by_its_worker_and_the_overseers(daily):
    w = daily
    filed(w.gina, w.grid_a1, "2026-09-01")
    report = DailyReport.objects.get()
    for reader in (w.gina, w.alice, w.leo):
        assert selectors.report_get(actor=reader, report_id=report.pk) == report
    for outsider in (w.bob, w.gary):
        with pytest.raises(NotFound):
            selectors.report_get(actor=outsider, report_id=report.pk)
    with pytest.raises(PermissionDenied):
        selectors.report_get(actor=w.rita, report_id=report.pk)
