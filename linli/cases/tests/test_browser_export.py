"""The 导出 Excel button in real Chromium at phone width, on the demo: the dispatcher filters
the queue, exports it, and the workbook's rows are the page's (ids, order, count, overdue
flags); a large export goes through the job page, whose progress HTMX polls until the file
is ready."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from linli.browser import fits_phone, log_in
from linli.cases.tests.test_browser_case import _shot
from linli.core.exports import services
from linli.core.exports.models import ExportJob

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

TITLES = ["编号", "标题", "类别", "区域", "地址", "上报时间", "来源", "优先级", "状态",
          "处置单位", "期限", "是否超期", "结案时间", "满意度"]


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def _workbook(path):
    """The first sheet of the downloaded file (saved without an extension, which openpyxl
    would refuse by name)."""
    with open(path, "rb") as file:
        return load_workbook(file).active


def _download(page):
    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    return download.suggested_filename, _workbook(download.path())


def _page_rows(page) -> list[tuple[int, bool]]:
    """(case id, shows the red "overdue" light) for each row of the list on the page."""
    rows = page.locator(".case-list .case-row")
    return [(int((rows.nth(i).get_attribute("id") or "").split("-")[1]),
             rows.nth(i).locator(".light-red").count() == 1) for i in range(rows.count())]


@pytest.mark.usefixtures("demo_committed")
def test_the_dispatcher_exports_the_filtered_queue(new_page):
    page = new_page(phone=True)
    log_in(page, "dispatcher")
    page.goto("/cases/queue/")
    page.locator(".filter-box summary").click()
    page.select_option("select[name=state]", "")  # every state, not only the open ones
    with page.expect_navigation():
        page.locator("#queue-filters button[type=submit]").click()
    fits_phone(page, "the queue with its export button")
    _shot(page, "case-queue-export")
    on_page = _page_rows(page)
    count = int("".join(ch for ch in page.locator("#queue-count").inner_text() if ch.isdigit()))
    assert on_page, "the demo queue should not be empty"
    filename, sheet = _download(page)
    assert filename.startswith("案件队列-")
    assert [c.value for c in sheet[1]] == TITLES
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == count  # every page of the list, not only the first
    assert [(r[0], r[11] == "是") for r in rows[:len(on_page)]] == on_page
    assert any(r[8] == "已结案" for r in rows)  # the filter the page applied, applied
    assert all(r[5] is not None for r in rows)  # reported at: a real date


@pytest.mark.usefixtures("demo_committed")
def test_a_large_export_is_followed_on_its_page(new_page, settings, monkeypatch):
    settings.EXPORT_SYNC_ROWS = 1
    # Hold the job back, as a busy worker would, to watch the page wait and then finish.
    monkeypatch.setattr(services, "enqueue", lambda *args, **kwargs: None)
    page = new_page(phone=True)
    log_in(page, "dispatcher")
    page.goto("/cases/queue/")
    with page.expect_navigation():
        page.locator("#export-xlsx").click()
    assert "/exports/" in page.url
    expect(page.locator("#export-progress")).to_have_attribute("data-state", "queued")
    fits_phone(page, "the export's page")
    services.export_job_run(job_id=ExportJob.objects.get().pk)  # the worker gets to it
    expect(page.locator("#export-done")).to_be_visible()  # HTMX polled the fragment
    _shot(page, "case-export-job")
    with page.expect_download() as info:
        page.locator("#export-download").click()
    sheet = _workbook(info.value.path())
    assert sheet.max_row - 1 == ExportJob.objects.get().rows_done > 1
    page.locator("text=返回列表").click()
    page.wait_for_url("**/cases/queue/")
