"""The daily report in real Chromium at phone width (issue #13 item 1): a grid worker files
today's patrol and a conflict sign that becomes a dispute; the dispatcher sees who has
reported. The pages fit 375 px and no request leaves the site."""

import pytest

from linli.accounts.tests.factories import PASSWORD
from linli.browser import fits_phone, log_in, offsite_requests, submit
from linli.dailyreports.models import DailyReport, Item, ItemKind
from linli.disputes.models import Dispute, Source

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


def test_a_grid_worker_files_a_conflict_sign_that_becomes_a_dispute(daily, phone_page,
                                                                   live_server):
    w = daily
    page = phone_page
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "gina", PASSWORD)
    page.goto("/daily/")
    assert page.locator("#daily-not-filed").is_visible()
    fits_phone(page, "today")
    page.locator("#id_patrol_done_0").check()  # yes
    page.fill("#id_route_notes", "花楼小区一圈，查看楼道")
    submit(page, "#patrol-save")
    assert page.locator("#daily-filed").is_visible()

    submit(page, "#add-conflict")
    fits_phone(page, "conflict sign")
    page.select_option("#id_kind", "neighbour")
    page.select_option("#id_area", str(w.building_a.pk))
    page.fill("#id_summary", "楼上漏水，楼下要求赔偿，双方争执")
    page.fill("#id_people_involved", "2")
    page.fill("#id_party1_name", "王大伟")
    page.fill("#id_party1_phone", "13900000001")
    page.fill("#id_party2_name", "李小红")
    submit(page, "#item-submit")

    dispute = Dispute.objects.get()
    assert dispute.source == Source.DAILY_REPORT and dispute.registered_by == w.gina
    item = Item.objects.get()
    assert item.kind == ItemKind.CONFLICT and item.dispute == dispute
    assert DailyReport.objects.get().patrol_done
    listed = page.locator("#daily-items")
    assert dispute.number in listed.inner_text()
    assert "王大伟" not in page.content()
    fits_phone(page, "today with an item")

    dispatcher = page.context.browser.new_context(viewport={"width": 375, "height": 812},
                                                  base_url=live_server.url, locale="zh-CN")
    other = dispatcher.new_page()
    more = offsite_requests(other, live_server.url)
    log_in(other, "alice", PASSWORD)
    other.goto("/daily/community/")
    assert other.locator('.daily-reported[data-worker="gina"]').count() == 1
    assert other.locator('.daily-unreported[data-worker="gary"]').count() == 1
    fits_phone(other, "community")
    other.goto("/daily/community/month/")
    fits_phone(other, "month")
    dispatcher.close()
    assert elsewhere == [] and more == []
