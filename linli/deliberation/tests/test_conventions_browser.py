"""At phone width (375 px) in real Chromium: a dispatcher drafts a convention, adds a
second version and sees the line diff; once version 1 is adopted (its vote stands) a
resident sees only the text in force. Every page fits the phone, nothing is fetched from
elsewhere."""

import pytest
from django.utils import timezone

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.deliberation import services
from linli.deliberation.models import Convention

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def test_draft_version_diff_and_the_residents_view(new_page, live_server, world):
    enrol_otp(world.alice)
    alice = new_page(phone=True)
    elsewhere = offsite_requests(alice, live_server.url)
    log_in(alice, "alice", PASSWORD)
    alice.goto("/deliberation/")
    fits_phone(alice, "the hall for staff")
    alice.goto("/deliberation/conventions/")
    submit(alice, "#convention-new")
    fits_phone(alice, "the new convention form")
    alice.select_option("#id_area", str(world.community_a.pk))
    alice.fill("#id_title", "花楼社区居民公约")
    alice.fill("#id_text", "第一条 爱护公共环境。\n第二条 文明养犬，及时清理。")
    submit(alice, "#convention-submit")
    assert alice.locator("#convention-error").count() == 0
    convention = Convention.objects.get()
    alice.locator("#details-add summary").click()
    alice.fill("#add-form textarea[name=text]",
               "第一条 爱护公共环境。\n第二条 文明养犬，牵绳出行。\n第三条 不高空抛物。")
    alice.fill("#add-form input[name=note]", "养犬条款加牵绳，增加第三条")
    submit(alice, "#add-submit")
    assert alice.locator("#convention-error").count() == 0
    assert alice.locator("#convention-diff .conv-line.conv-added").count() == 2
    assert alice.locator("#convention-diff .conv-line.conv-removed").count() == 1
    assert alice.locator("#put-to-vote-2").count() == 1
    fits_phone(alice, "the convention with its diff")
    _shot(alice, "convention-diff")

    services.version_adopted(convention.versions.get(number=1), timezone.now())
    rita = new_page(phone=True)
    elsewhere += offsite_requests(rita, live_server.url)
    log_in(rita, "rita", PASSWORD)
    rita.goto("/deliberation/")
    fits_phone(rita, "the hall for a resident")
    rita.locator(f"#in-force-{convention.pk}").click()
    rita.wait_for_url(f"**/deliberation/conventions/{convention.pk}/")
    text = rita.locator("#in-force-text").inner_text()
    assert "及时清理" in text and "不高空抛物" not in rita.content()
    assert rita.locator("#add-form").count() == 0
    fits_phone(rita, "the convention in force")
    _shot(rita, "convention-in-force")
    assert elsewhere == []
