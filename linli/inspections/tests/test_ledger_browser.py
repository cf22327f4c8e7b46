"""The ledger page in real Chromium at phone width: it fits 375 px (its tables scroll inside
their frames), no request leaves the site, its figures are links to the orders list, and
导出 Excel hands over the file with the page's rows."""

import pytest
from openpyxl import load_workbook

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import fits_phone, log_in, offsite_requests
from linli.inspections.tests.ledger_fixtures import march

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_ledger_on_a_phone(new_page, live_server, world, tmp_path):
    march(world)
    enrol_otp(world.gina)
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "gina", PASSWORD)
    page.goto("/inspections/ledger/?from=2026-01&to=2026-06")
    assert page.locator("h1").inner_text() == "问题台账"
    found = page.locator("#ledger-summary tbody tr td a.figure").first
    assert found.inner_text() == "6"
    assert found.get_attribute("href") == (
        "/inspections/orders/?issued_from=2026-01-01&issued_to=2026-06-30")
    assert page.locator("#ledger-rows tbody tr").count() == 6
    fits_phone(page, "the problem ledger")
    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    path = tmp_path / "ledger.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][0] == "序号" and len(rows) == 7
    assert elsewhere == []
